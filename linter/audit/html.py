"""`--html report.html`: one self-contained offline page (inline CSS, SVG and a few lines of JS; a Content
Security Policy that forbids every request). Charts are pygal SVG: a 130 KB pure-Python wheel with no
dependencies that renders plain SVG on the server side, so the page needs no chart library in the browser."""
from __future__ import annotations

import html
import re
from typing import Any

from ..catalogue import CATEGORIES, rules
from .outcomes import CHASE_BUCKETS, DELAY_BUCKETS
from .rules import THREAD_CODES

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
COLOURS = ("#c0392b", "#2e86c1", "#8e44ad", "#7f8c8d", "#27ae60", "#d68910")

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1c2833;background:#f6f7f9}
header{background:#1c2833;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#c9d1d9}main{padding:18px 28px;max-width:1280px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:18px}
.card{background:#fff;border-radius:8px;padding:10px 16px;box-shadow:0 1px 2px #0002;min-width:130px}
.card b{display:block;font-size:22px}.card span{color:#566573;font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:16px}
figure.chart{background:#fff;border-radius:8px;margin:0;padding:10px;box-shadow:0 1px 2px #0002}
figure.chart figcaption{font-weight:600;margin:0 0 4px}figure.chart svg{width:100%;height:auto}
table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002;margin-top:8px}
th,td{padding:6px 8px;border-bottom:1px solid #e5e8e8;text-align:left;vertical-align:top}
th{background:#eaecee;cursor:pointer;user-select:none;white-space:nowrap}
th[data-dir=asc]::after{content:" \\25B2"}th[data-dir=desc]::after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
details summary{cursor:pointer}.msg{border-left:3px solid #aeb6bf;margin:6px 0;padding:4px 8px;background:#fbfcfc}
.msg.mine{border-color:#2e86c1}.msg .meta{color:#566573;font-size:12px}
.msg pre{white-space:pre-wrap;font:inherit;margin:2px 0}
mark{border-radius:3px;padding:0 1px}mark.error{background:#f5b7b1}mark.warning{background:#fad7a0}
mark.info{background:#d6eaf8}.codes code{background:#eaecee;border-radius:3px;padding:0 3px;margin-right:3px}
.note{color:#566573;font-size:12px}
"""

JS = """
document.querySelectorAll('table.sortable th').forEach(function (th, i) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0];
    var dir = th.dataset.dir === 'asc' ? 'desc' : 'asc';
    table.querySelectorAll('th').forEach(function (h) { delete h.dataset.dir; });
    th.dataset.dir = dir;
    var num = th.dataset.type === 'number';
    var key = function (row) {
      var cell = row.cells[i], v = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent;
      return num ? parseFloat(v) : v.toLowerCase();
    };
    Array.prototype.slice.call(body.rows).sort(function (a, b) {
      var x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (dir === 'asc' ? 1 : -1);
    }).forEach(function (row) { body.appendChild(row); });
  });
});
"""


def render(exports: list[dict], outcomes: dict, summary: dict, worst: list[dict], settings: dict) -> str:
    """The whole report page."""
    charts = outcomes["charts"]
    first = outcomes["first_messages"]
    owners = ", ".join(sorted({e["owner"]["name"] for e in exports}))
    cards = [(summary["threads"], "threads"), (summary["sent"], "messages sent"),
             (summary["findings"], "findings"), (summary["errors"], "errors")]
    cards += [(summary["by_code"].get(c, 0), f"{c} {rules()[c].name}") for c in THREAD_CODES]
    any_rate = first["any"]
    cards += [(_pct(any_rate["flagged"]), "reply rate, flagged first messages"),
              (_pct(any_rate["clean"]), "reply rate, clean first messages")]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>outreach-lint audit</title>", f"<style>{CSS}</style></head><body>",
        f"<header><h1>outreach-lint audit</h1><p>{len(exports)} export{'s' if len(exports) != 1 else ''}; "
        f"owner{'s' if len(exports) != 1 else ''}: {html.escape(owners)}</p></header><main>",
        '<section class="cards">' + "".join(f'<div class="card"><b>{html.escape(str(v))}</b>'
                                            f'<span>{html.escape(label)}</span></div>' for v, label in cards)
        + "</section>",
        '<section class="charts">',
        _findings_by_month(charts["findings_by_month"]), _reply_rates(first["by_family"]),
        _single("accept-to-pitch", "Time from accepted connection to a first message with a hard sell",
                list(DELAY_BUCKETS), [charts["accept_to_pitch_days"][b] for b in DELAY_BUCKETS], "first messages"),
        _single("chasing-depth", "Chasing depth: the longest run of messages with no reply, per thread",
                list(CHASE_BUCKETS), [charts["chasing_depth"][b] for b in CHASE_BUCKETS], "threads"),
        _openers(charts["top_openers"]),
        "</section>",
        "<h2>Worst threads</h2>",
        f'<p class="note">The {len(worst)} threads with the lowest scores (100 minus 25 per error, 10 per warning '
        "and 2 per info, over every sent message and the thread rules). Click a column to sort; open a thread "
        "to read it with its findings highlighted.</p>",
        _table(worst, exports),
        f'<p class="note">Thresholds: {html.escape(", ".join(f"{k} = {v}" for k, v in settings.items()))}.</p>',
        f"</main><script>{JS}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _pct(rate: dict[str, Any]) -> str:
    return "n/a" if rate["rate"] is None else f"{rate['rate']:.0%} of {rate['messages']}"


def _chart(kind: str, **config):
    import pygal
    from pygal.style import Style

    style = Style(background="white", plot_background="white", colors=COLOURS, font_family="system-ui, sans-serif",
                  label_font_size=11, major_label_font_size=11, legend_font_size=12, value_font_size=10,
                  title_font_size=13)
    return getattr(pygal, kind)(js=[], disable_xml_declaration=True, width=640, height=340, style=style,
                                 legend_at_bottom=True, print_values=False, no_data_text="no data", **config)


def _svg(chart, name: str) -> str:
    """pygal's SVG with a stable id and without its comments, ready to inline."""
    svg = chart.render(is_unicode=True)
    uid = re.search(r'id="(chart-[0-9a-f-]+)"', svg).group(1)
    svg = svg.replace(uid, f"chart-{name}")
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S)


def _figure(name: str, caption: str, svg: str, points: int) -> str:
    """A chart; `data-points` is how many non-zero values it draws (the browser test counts its bars)."""
    return (f'<figure class="chart" id="fig-{name}" data-chart="{name}" data-points="{points}">'
            f"<figcaption>{html.escape(caption)}</figcaption>{svg}</figure>")


def _findings_by_month(by_month: dict[str, dict[str, int]]) -> str:
    months = sorted(by_month)
    chart = _chart("StackedBar", x_label_rotation=30, show_minor_x_labels=False,
                   x_labels_major_every=max(1, len(months) // 12))
    chart.x_labels = months
    points = 0
    for cat in CATEGORIES:
        values = [by_month[m].get(cat) or None for m in months]
        points += sum(bool(v) for v in values)
        chart.add(cat, values)
    return _figure("findings-by-month", "Findings (warning and error) per family, by month sent", _svg(
        chart, "findings-by-month"), points)


def _reply_rates(by_family: dict[str, dict[str, dict]]) -> str:
    chart = _chart("Bar", range=(0, 100), y_title="% replied")
    chart.x_labels = list(CATEGORIES)
    points = 0
    for side in ("flagged", "clean"):
        values = []
        for cat in CATEGORIES:
            r = by_family[cat][side]
            if r["rate"] is None:
                values.append(None)
                continue
            lo, hi = r["ci95"]
            values.append({"value": round(100 * r["rate"], 1),
                           "label": f"{r['replied']}/{r['messages']} replied, 95% CI {lo:.0%}-{hi:.0%}"})
            points += r["rate"] > 0
        chart.add(side, values)
    return _figure("reply-rates", "Reply rate of first messages: flagged vs clean, per family",
                   _svg(chart, "reply-rates"), points)


def _single(name: str, caption: str, labels: list[str], values: list[int], what: str) -> str:
    chart = _chart("Bar", show_legend=False)
    chart.x_labels = labels
    chart.add(what, values)
    return _figure(name, caption, _svg(chart, name), sum(v > 0 for v in values))


def _openers(openers: list[dict]) -> str:
    chart = _chart("Bar", show_legend=False, range=(0, max([o["copies"] for o in openers] + [1])))
    chart.x_labels = [f"#{i}" for i in range(1, len(openers) + 1)]
    chart.add("recipients", [o["copies"] for o in openers])
    listing = "".join(f"<li>{html.escape(o['text'])} <span class=\"note\">({o['copies']} recipients)</span></li>"
                      for o in openers)
    return _figure("top-openers", "Top repeated openers: recipients of each near-identical first message",
                   _svg(chart, "top-openers") + f'<ol class="openers">{listing}</ol>', len(openers))


def _table(worst: list[dict], exports: list[dict]) -> str:
    owners = {e["index"]: e["owner"]["name"] for e in exports}
    head = ('<table class="sortable" id="worst"><thead><tr><th data-type="number">Score</th><th>Rep</th>'
            '<th>Thread</th><th data-type="number">Sent</th><th>Replied</th><th data-type="number">Findings</th>'
            "<th>Codes</th><th>First sent</th></tr></thead><tbody>")
    rows = []
    for t in worst:
        found = [f for m in t["messages"] for f in m.get("findings", ())] + t["findings"]
        codes = sorted({f["code"] for f in found})
        first = next((m for m in t["messages"] if m["mine"]), {})
        rows.append(
            f'<tr><td class="num" data-sort="{t["score"]}">{t["score"]}</td>'
            f"<td>{html.escape(owners.get(t['export'], ''))}</td>"
            f"<td><details><summary>{html.escape(', '.join(t['with']) or '(unknown)')}</summary>"
            f"{_messages(t)}</details></td>"
            f'<td class="num">{t["sent"]}</td><td>{"yes" if t["replied"] else "no"}</td>'
            f'<td class="num">{len(found)}</td>'
            f'<td class="codes">{"".join(f"<code>{c}</code>" for c in codes)}</td>'
            f"<td>{html.escape((first.get('date') or '')[:10])}</td></tr>")
    return head + "".join(rows) + "</tbody></table>"


def _messages(t: dict) -> str:
    by_row: dict[tuple, list[dict]] = {}
    for f in t["findings"]:
        by_row.setdefault((f["file"], f["row"]), []).append(f)
    out = []
    for m in t["messages"]:
        found = m.get("findings", []) + by_row.get((m["file"], m["row"]), [])
        stage = f" · {m['stage']} (step {m['sequence_step']})" if m["mine"] else ""
        codes = "".join(f'<div class="note"><code>{html.escape(f["code"])}</code> [{f["severity"]}] '
                        f"{html.escape(f['message'])}</div>" for f in found)
        out.append(f'<div class="msg{" mine" if m["mine"] else ""}"><div class="meta">{html.escape(m["from"])} · '
                   f"{html.escape(m['date'] or '')}{stage} · {html.escape(m['file'])}:{m['row']}</div>"
                   f"<pre>{highlight(m['text'], found)}</pre>{codes}</div>")
    return "".join(out)


def highlight(text: str, findings: list[dict]) -> str:
    """The text, escaped, with each finding's span in a <mark> (overlaps: the earlier span wins)."""
    spans = sorted(((f["start"], f["end"], f) for f in findings if f["end"] > f["start"]), key=lambda s: s[:2])
    out, pos = [], 0
    for start, end, f in spans:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark class="{f["severity"]}" data-code="{f["code"]}" title="{html.escape(f["code"])}: '
                   f'{html.escape(f["message"])}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)
