"""Precision, recall and F1 per family and per rule on labelled JSON Lines corpora."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlparse

from . import catalogue, decide
from .config import Config
from .draft import STAGES
from .engine import Source, lint_many
from .errors import UserError
from .profile import from_mapping

FAMILIES = ("hard-sell", "personalisation", "self-centred")


def source_group(source: str) -> str:
    """The unit of a grouped split: a GitHub repository ("github.com/owner/repo", also for "owner/repo:path"),
    else a web site's host, else the source text itself. Messages of one group never sit in two folds."""
    first = source.strip().split()[0] if source.strip() else ""
    if first.startswith(("http://", "https://")):
        parsed = urlparse(first)
        host = parsed.netloc.lower().removeprefix("www.")
        if host == "github.com":
            return "github.com/" + "/".join([p for p in parsed.path.split("/") if p][:2]).lower()
        return host
    repo = re.match(r"^([\w.-]+/[\w.-]+):", first)
    return f"github.com/{repo.group(1).lower()}" if repo else source.strip().lower()


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, expected: bool) -> None:
        if predicted and expected:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif expected:
            self.fn += 1
        else:
            self.tn += 1

    def as_dict(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        far = self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "precision": round(p, 3),
                "recall": round(r, 3), "f1": round(f1, 3), "false_alarm_rate": round(far, 3)}


VIEWS = ("non-template", "template", "all")


@dataclass
class Result:
    """Tallies per view (non-template records, template records, all), per provenance and per rule."""

    records: int = 0
    views: dict[str, dict[str, Tally]] = field(
        default_factory=lambda: {v: {f: Tally() for f in FAMILIES} for v in VIEWS})
    provenance: dict[str, dict[str, Tally]] = field(default_factory=dict)
    rules: dict[str, Tally] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)
    folds: int | None = None

    @property
    def families(self) -> dict[str, Tally]:
        return self.views["all"]

    def add(self, rec: dict[str, Any], got: set[str], fired: set[str], stage: str) -> None:
        self.records += 1
        expected = set(rec["categories"])
        view = "template" if rec.get("template") else "non-template"
        prov = self.provenance.setdefault(str(rec.get("provenance", "unknown")), {f: Tally() for f in FAMILIES})
        wrong = []
        for fam in FAMILIES:
            for tallies in (self.views[view], self.views["all"], prov):
                tallies[fam].add(fam in got, fam in expected)
            if (fam in got) != (fam in expected):
                wrong.append(("+" if fam in got else "-") + fam)
        if "codes" in rec:
            labelled = set(rec["codes"]) & set(catalogue.rules())
            for code in fired | labelled:
                self.rules.setdefault(code, Tally()).add(code in fired, code in labelled)
        if wrong:
            self.misses.append({"id": rec.get("id"), "stage": stage, "wrong": wrong, "fired": sorted(fired)})

    def as_dict(self) -> dict[str, Any]:
        return {"records": self.records, "folds": self.folds,
                "families": {k: v.as_dict() for k, v in self.views["all"].items()},
                "views": {view: {k: v.as_dict() for k, v in t.items()} for view, t in self.views.items()},
                "provenance": {p: {k: v.as_dict() for k, v in t.items()} for p, t in sorted(self.provenance.items())},
                "rules": {k: v.as_dict() for k, v in sorted(self.rules.items())}, "errors": self.misses}


def load_records(paths: Iterable[str]) -> list[dict[str, Any]]:
    """Records from .jsonl files or directories of them; malformed lines are user errors."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(p.rglob("*.jsonl")))
        elif p.is_file():
            files.append(p)
        else:
            raise UserError(f"{raw}: no such file or directory")
    if not files:
        raise UserError("no .jsonl files to evaluate")
    records = []
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{path}: cannot read ({exc})") from None
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
            _validate(rec, f"{path}:{n}")
            records.append(rec)
    return records


def _validate(rec: Any, where: str) -> None:
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise UserError(f"{where}: a record needs a 'text' string")
    if rec.get("stage", "post-connection") not in STAGES:
        raise UserError(f"{where}: unknown stage '{rec.get('stage')}'")
    cats = rec.get("categories")
    if not isinstance(cats, list) or not all(isinstance(c, str) and c in FAMILIES for c in cats):
        raise UserError(f"{where}: 'categories' must be a list drawn from {', '.join(FAMILIES)}")
    codes = rec.get("codes", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise UserError(f"{where}: 'codes' must be a list of rule codes")
    step = rec.get("sequence_step")
    if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step < 1):
        raise UserError(f"{where}: 'sequence_step' must be a whole number from 1")
    if rec.get("replied") is not None and not isinstance(rec["replied"], bool):
        raise UserError(f"{where}: 'replied' must be true or false")
    if rec.get("profile") is not None and not isinstance(rec["profile"], dict):
        raise UserError(f"{where}: 'profile' must be a mapping")


@dataclass
class Scored:
    """One linted record: its candidates and signal vectors, kept so a decision can be refitted and re-applied."""

    record: dict[str, Any]
    stage: str
    hits: list
    vectors: dict[str, dict[str, float]]


def score(records: list[dict[str, Any]], config: Config | None = None) -> list[Scored]:
    """Lint every record at its stage (with its profile), keeping candidates and signals, not the parse."""
    sources = [Source(text=r["text"], path=str(r.get("id", i)), stage=r.get("stage"),
                      profile=from_mapping(r["profile"], f"record {r.get('id', i)}") if r.get("profile") else None,
                      sequence_step=r.get("sequence_step"), replied=r.get("replied"))
               for i, r in enumerate(records)]
    out = []
    for rec, report in zip(records, lint_many(sources, config, keep_analysis=True)):
        hits, vectors = report.judgement
        out.append(Scored(rec, report.stage, _after_directives(hits, report), vectors))
    return out


def _after_directives(hits: list, report) -> list:
    """The candidates that survived suppression and post rules (records carry no directives: all of them)."""
    return hits


def verdict(item: Scored, models: dict[str, decide.Model], config: Config | None = None
            ) -> tuple[set[str], set[str]]:
    """(families flagged, rules fired at warning or error, or at any severity for info-default rules)."""
    rules = catalogue.rules()
    cfg = config or Config()
    confidence = {fam: m.confidence(item.vectors[fam]) for fam, m in models.items()}
    settled = decide.settle(item.hits, item.stage, rules, confidence, {f: m.threshold for f, m in models.items()})
    got, fired = set(), set()
    for hit, severity in settled:
        severity = cfg.severity.get(hit.code) or severity
        meta = rules[hit.code]
        if severity in ("warning", "error"):
            got.add(meta.category)
        if severity in ("warning", "error") or meta.severity == "info":
            fired.add(hit.code)
    return got & set(FAMILIES), fired


def evaluate(records: list[dict[str, Any]], config: Config | None = None,
             models: dict[str, decide.Model] | None = None) -> Result:
    """Lint every record and compare flagged families with the labels (the shipped decision, or `models`)."""
    models = decide.models() if models is None else models
    result = Result()
    for item in score(records, config):
        got, fired = verdict(item, models, config)
        result.add(item.record, got, fired, item.stage)
    return result


def folds_of(records: list[dict[str, Any]], k: int) -> list[int]:
    """A fold number per record; records of one source group share a fold (groups dealt largest first onto the
    smallest fold, ties broken by a hash of the group name, so the split is stable)."""
    import hashlib

    groups: dict[str, list[int]] = {}
    for i, rec in enumerate(records):
        groups.setdefault(source_group(str(rec.get("source") or rec.get("id", i))), []).append(i)
    order = sorted(groups, key=lambda g: (-len(groups[g]), hashlib.sha256(g.encode()).hexdigest()))
    sizes = [0] * k
    fold = [0] * len(records)
    for g in order:
        target = min(range(k), key=lambda f: (sizes[f], f))
        for i in groups[g]:
            fold[i] = target
        sizes[target] += len(groups[g])
    return fold


def fit_models(items: list[Scored], real_weight: float = 1.0) -> dict[str, decide.Model]:
    """Fit one model per family on linted records (records with a `source` weigh `real_weight`)."""
    weights = [real_weight if it.record.get("source") else 1.0 for it in items]
    return {fam: decide.fit([it.vectors[fam] for it in items], [fam in it.record["categories"] for it in items],
                            weights) for fam in FAMILIES}


def cross_validate(records: list[dict[str, Any]], train: list[dict[str, Any]], k: int,
                   config: Config | None = None, real_weight: float = 1.0) -> Result:
    """Grouped K-fold cross-validation: for each fold, fit the decision on `train` plus the other folds and
    score the records of this fold (no source group is ever in both)."""
    if k < 2:
        raise UserError("--folds needs at least 2 folds")
    scored = score(records, config)
    extra = score(train, config) if train else []
    fold = folds_of(records, k)
    result = Result(folds=k)
    for f in range(k):
        models = fit_models(extra + [s for s, g in zip(scored, fold) if g != f], real_weight)
        for item, g in zip(scored, fold):
            if g == f:
                got, fired = verdict(item, models, config)
                result.add(item.record, got, fired, item.stage)
    return result


def to_text(result: Result, show_errors: bool = False) -> str:
    how = f", grouped {result.folds}-fold cross-validation by source" if result.folds else ""
    out = [f"{result.records} records{how}"]
    header = f"{'family':<16}{'precision':>10}{'recall':>8}{'F1':>7}{'false alarms':>14}{'tp':>5}{'fp':>5}{'fn':>5}" \
             f"{'tn':>5}"
    for view in VIEWS:
        tallies = result.views[view]
        if not any(t.tp + t.fp + t.fn + t.tn for t in tallies.values()):
            continue
        out += ["", f"{view}:", header]
        for fam, tally in tallies.items():
            d = tally.as_dict()
            out.append(f"{fam:<16}{d['precision']:>10.3f}{d['recall']:>8.3f}{d['f1']:>7.3f}"
                       f"{d['false_alarm_rate']:>14.3f}{d['tp']:>5}{d['fp']:>5}{d['fn']:>5}{d['tn']:>5}")
    if len(result.provenance) > 1:
        out += ["", f"{'provenance':<26}" + "".join(f"{fam + ' F1/FA':>26}" for fam in FAMILIES)]
        for prov, tallies in sorted(result.provenance.items()):
            cells = "".join(f"{tallies[f].as_dict()['f1']:>19.2f} /{tallies[f].as_dict()['false_alarm_rate']:>5.2f}"
                            for f in FAMILIES)
            n = tallies[FAMILIES[0]]
            out.append(f"{prov + f' ({n.tp + n.fp + n.fn + n.tn})':<26}{cells}")
    if result.rules:
        out += ["", f"{'rule':<34}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
        rules = catalogue.rules()
        for code, tally in sorted(result.rules.items()):
            d = tally.as_dict()
            out.append(f"{code + ' ' + rules[code].name:<34}{d['precision']:>10.3f}{d['recall']:>8.3f}"
                       f"{d['f1']:>7.3f}{d['tp']:>5}{d['fp']:>5}{d['fn']:>5}")
    if show_errors and result.misses:
        out += ["", "disagreements (+ flagged but not labelled, - labelled but not flagged):"]
        out += [f"  {m['id']} [{m['stage']}] {' '.join(m['wrong'])}  fired: {','.join(m['fired']) or '-'}"
                for m in result.misses]
    return "\n".join(out)


def rewrite_figures(records: list[dict[str, Any]], config: Config | None = None) -> dict[str, Any]:
    """Over records that have a profile and a warning or error: the share that get a rewrite, the share of
    shown rewrites that lint clean, the share that keep the sender's offer, and the templates used."""
    from .rewrite import suggest

    config = config or Config()
    with_profile = [r for r in records if r.get("profile")]
    sources = [Source(text=r["text"], path=str(r.get("id", i)), stage=r.get("stage"),
                      profile=from_mapping(r["profile"], f"record {r.get('id', i)}"),
                      sequence_step=r.get("sequence_step"), replied=r.get("replied"))
               for i, r in enumerate(with_profile)]
    failing = got = shown = clean = offers = kept = 0
    templates: set[str] = set()
    for report in lint_many(sources, config, keep_analysis=True):
        if not any(f.severity in ("warning", "error") for f in report.findings):
            continue
        failing += 1
        outcome = suggest(report, config)
        got += bool(outcome.rewrites)
        for rw in outcome.rewrites:
            shown += 1
            clean += not any(f.severity in ("warning", "error") for f in rw.report.findings)
            templates.add(rw.template)
            if outcome.offer.keywords:
                offers += 1
                words = rw.text.lower()
                kept += sum(k in words for k in outcome.offer.keywords) * 2 >= len(outcome.offer.keywords)
    share = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
    return {"failing_drafts_with_profile": failing, "with_rewrite": share(got, failing),
            "rewrites_shown": shown, "rewrites_lint_clean": share(clean, shown),
            "rewrites_with_an_offer": offers, "keep_offer": share(kept, offers),
            "distinct_templates": len(templates), "templates": sorted(templates)}
