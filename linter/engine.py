"""The one-way flow: text -> Draft -> Doc (spaCy, once, batched) -> rules -> Report."""
from __future__ import annotations

import fnmatch
from collections import deque
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from . import catalogue, decide, draft as draft_mod, features, nlp as nlp_mod, profile as profile_mod
from .config import Config
from .errors import SetupError, UserError
from .normalise import to_original
from .report import Finding, Report
from .rules import Context, Hit

if TYPE_CHECKING:
    from .cache import Cache

BATCH_SIZE = 64
PARALLEL_MIN = 2 * BATCH_SIZE  # fewer drafts than this are linted in-process: workers cost a model load
AUTO_AHEAD = 4 * BATCH_SIZE  # jobs=0 looks at this many drafts (how many are cached) before it decides
AUTO_WINDOW = 0.1  # seconds over which jobs=0 measures the idle CPU time
HUGE_CHARS = 20_000  # a draft longer than this (LinkedIn's longest message is 8,000) is parsed on its own


@dataclass
class Source:
    """One draft to lint, with the per-run overrides that apply to it."""

    text: str
    path: str = "<text>"
    base_dir: Path | None = None
    stage: str | None = None
    profile: profile_mod.Profile | None = None
    sequence_step: int | None = None
    replied: bool | None = None
    config: Config | None = None  # this draft's own config (discovered per file); else lint_many's
    error: str | None = None  # why the draft could not be read (it is reported, not linted)


def lint(text: str, *, stage: str | None = None, profile: profile_mod.Profile | dict | None = None,
         config: Config | None = None, path: str = "<text>", sequence_step: int | None = None,
         replied: bool | None = None, base_dir: Path | None = None) -> Report:
    """Lint one draft (front matter allowed) and return its Report."""
    if isinstance(profile, dict):
        profile = profile_mod.from_mapping(profile, "profile")
    source = Source(text, path, base_dir, stage, profile, sequence_step, replied)
    return next(lint_many([source], config or Config()))  # a draft that cannot be linted raises UserError


def active_rules(config: Config, stage: str, ignore: Iterable[str] = (), path: str | None = None) -> frozenset[str]:
    """Codes of the rules that run for this stage and file after select, extend-select, ignore,
    per-file-ignores and severity overrides."""
    ignore = (*config.ignore, *ignore, *_per_file_ignores(config, path))
    out = set()
    for meta in catalogue.rules().values():
        selected = not config.select or any(catalogue.matches(s, meta) for s in config.select)
        if not selected and not any(catalogue.matches(s, meta) for s in config.extend_select):
            continue
        if any(catalogue.matches(s, meta) for s in ignore):
            continue
        if config.severity.get(meta.code, meta.severity_for(stage)) == "off":
            continue
        out.add(meta.code)
    return frozenset(out)


def _per_file_ignores(config: Config, path: str | None) -> list[str]:
    """Rules ignored for this file by `per-file-ignores` globs (relative to the config's folder)."""
    if not config.per_file_ignores or not path or path == "-":
        return []
    target = Path(path).resolve()
    try:
        rel = target.relative_to(config.root).as_posix() if config.root else target.as_posix()
    except ValueError:
        rel = target.as_posix()
    return [rule for pattern, rules in config.per_file_ignores.items()
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(target.name, pattern) for rule in rules]


def lint_many(sources: Iterable[Source], config: Config | None = None, keep_analysis: bool = False,
              cache: "Cache | None" = None, jobs: int = 1, on_error: str = "raise") -> Iterator[Report]:
    """Lint drafts in batches through one spaCy pipeline; yields reports in input order, streaming.

    A source's own `config` wins over `config`. With keep_analysis, each report carries
    `analysis = (doc, profile)` for rewrites and `judgement = (candidates, signal vectors)` for evaluation.
    With a cache, unchanged drafts are not parsed again.
    With jobs > 1 and at least PARALLEL_MIN drafts, batches go to that many worker processes (not with
    keep_analysis: a parse cannot leave its process); jobs=0 picks the number from the cores idle now and
    the drafts not cached (see `_auto_jobs`). A draft that cannot be linted (malformed front matter,
    a missing or broken profile, a `Source.error`) raises UserError, or with on_error="report" yields a
    Report whose `error` says why, and the other drafts are still linted. The cache's store is closed when
    the run ends (and opened again by the next)."""
    try:
        for report in _lint_many(sources, config or Config(), keep_analysis, cache, jobs):
            if report.error is not None and on_error == "raise":
                raise UserError(report.error)
            yield report
    finally:
        if cache is not None:
            cache.close()


def _lint_many(sources: Iterable[Source], default: Config, keep_analysis: bool, cache: "Cache | None",
               jobs: int) -> Iterator[Report]:
    if keep_analysis:
        cache = None  # a cached report has no parse to keep
    chunks = _chunks(((s, s.config or default) for s in sources), BATCH_SIZE)
    if jobs == 0:  # auto: decided while the first drafts are read
        if keep_analysis:
            jobs = 1
        else:
            chunks, jobs = _auto_jobs(chunks, cache)
    if jobs > 1 and not keep_analysis:
        head = list(islice(chunks, max(PARALLEL_MIN // BATCH_SIZE, jobs)))
        if sum(map(len, head)) >= PARALLEL_MIN:  # never more workers than chunks of work
            yield from _parallel(chain(head, chunks), min(jobs, len(head)), cache)
            return
        chunks = iter(head)
    for chunk in chunks:
        keys, done, misses = _cached(chunk, cache)
        yield from _merge(chunk, keys, done, misses, _lint_pairs([chunk[i] for i in misses], keep_analysis), cache)


def _auto_jobs(chunks: Iterator[list[tuple[Source, Config]]], cache: "Cache | None"
               ) -> tuple[Iterator[list[tuple[Source, Config]]], int]:
    """(the chunks, read ahead, and) the workers for `jobs=0`: 1 when the first AUTO_AHEAD drafts hold fewer
    than PARALLEL_MIN that are not cached (a small run, or one the cache mostly answers: workers would cost a
    model load and the forks); else the cores left idle, measured from /proc/stat over the time those drafts
    take to read and the pipelines they need take to load here (at least AUTO_WINDOW seconds), counting this
    process's own work as idle. 1 where there is no /proc/stat. The load is not wasted either way: a serial
    run parses with it, and forked workers share it (see `_parallel`)."""
    import time

    from .parallel_cpu import idle_cores, snapshot

    before = snapshot()
    head = list(islice(chunks, AUTO_AHEAD // BATCH_SIZE))
    rest = chain(head, chunks)
    if before is None or sum(len(_cached(c, cache)[2]) for c in head) < PARALLEL_MIN:
        return rest, 1
    for model, ner in _pipelines([pair for chunk in head for pair in chunk]):
        try:
            nlp_mod.load(model, ner=ner)
        except SetupError:
            break  # reported by the first batch that needs it, as without the look-ahead
    left = AUTO_WINDOW - (time.monotonic() - before.at)
    if left > 0:
        time.sleep(left)
    return rest, idle_cores(before)


def _chunks(pairs: Iterator[tuple[Source, Config]], size: int) -> Iterator[list[tuple[Source, Config]]]:
    while chunk := list(islice(pairs, size)):
        yield chunk


def _parallel(chunks: Iterator[list[tuple[Source, Config]]], jobs: int, cache: "Cache | None"
              ) -> Iterator[Report]:
    """Uncached drafts of each chunk linted in a pool of `jobs` processes; at most 2 x jobs chunks are in flight,
    so memory does not grow with the number of drafts. Where processes fork (Linux), the pipelines the first
    chunks need are loaded here first and the workers share them (one model load, not one per worker, and no
    worker waits for one); elsewhere each worker starts loading them as it starts, while this process reads
    the files. However the run ends (done, an error, Ctrl-C or SIGTERM in this process), the workers are
    terminated: none is left behind. While the workers fork, the objects alive here (the pipelines above all)
    are frozen out of the garbage collector's reach, which the workers inherit: a collection in a worker would
    otherwise write to each of them, copying every page it touches (a fifth of the workers' page faults on
    1,000 drafts)."""
    import gc
    import multiprocessing

    head = next(chunks)
    variants = _pipelines(head)
    forking = "fork" in multiprocessing.get_all_start_methods()
    if forking:
        for model, ner in variants:
            nlp_mod.load(model, ner=ner)
    context = multiprocessing.get_context("fork" if forking else None)
    pending: deque = deque()
    if forking:
        gc.freeze()
    try:
        pool = context.Pool(jobs, initializer=_worker_init, initargs=(variants,))
    finally:
        gc.unfreeze()
    try:
        for chunk in chain([head], chunks):
            keys, done, misses = _cached(chunk, cache)
            result = pool.apply_async(_lint_pairs, ([chunk[i] for i in misses],)) if misses else None
            pending.append((chunk, keys, done, misses, result))
            while len(pending) > 2 * jobs:
                yield from _collect(pending.popleft(), cache)
        while pending:
            yield from _collect(pending.popleft(), cache)
    finally:
        pool.terminate()


def _pipelines(pairs: list[tuple[Source, Config]]) -> list[tuple[str | None, bool]]:
    """(model, ner) of the pipelines these drafts' configs ask for at their configured stage."""
    configs = {id(c): c for _, c in pairs}.values()
    return sorted({(c.model, needs_ner(active_rules(c, c.stage))) for c in configs}, key=repr)


def _worker_init(variants: list[tuple[str | None, bool]] = ()) -> None:
    """Workers leave Ctrl-C to the main process (which terminates them) and die at once on SIGTERM; each loads
    the pipelines it will need now (a no-op when it was forked with them loaded)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for model, ner in variants:
        try:
            nlp_mod.load(model, ner=ner)
        except SetupError:
            return  # reported by the first chunk that needs it, as in a serial run


def _collect(item: tuple, cache: "Cache | None") -> Iterator[Report]:
    chunk, keys, done, misses, result = item
    yield from _merge(chunk, keys, done, misses, result.get() if result else [], cache)


def _cached(chunk: list[tuple[Source, Config]], cache: "Cache | None"
            ) -> tuple[list, dict[int, Report], list[int]]:
    """Cache keys of a chunk's drafts, the reports already cached and the positions still to lint."""
    keys = [cache.key(s, c) if s.error is None else None for s, c in chunk] if cache is not None \
        else [None] * len(chunk)
    done = {}
    if cache is not None:
        asked = [i for i, key in enumerate(keys) if key is not None]
        hits = cache.get_many([(keys[i], chunk[i][0].text, chunk[i][1]) for i in asked])
        done = {i: hit for i, hit in zip(asked, hits) if hit is not None}
    return keys, done, [i for i in range(len(chunk)) if i not in done]


def _merge(chunk: list, keys: list, done: dict[int, Report], misses: list[int], reports: Iterable[Report],
           cache: "Cache | None") -> Iterator[Report]:
    """Cached and new reports of a chunk in input order, storing the new ones in the cache (one write)."""
    for i, report in zip(misses, reports):
        done[i] = report
    if cache is not None:
        cache.put_many([(keys[i], done[i]) for i in misses if keys[i] is not None and done[i].error is None])
    for i in range(len(chunk)):
        yield done[i]


def _lint_pairs(pairs: list[tuple[Source, Config]], keep_analysis: bool = False) -> list[Report]:
    """Parse and lint (source, config) pairs; consecutive pairs sharing a config go through spaCy together.
    Module-level so worker processes can run it."""
    out: list[Report] = []
    run: list[Source] = []
    for k, (source, cfg) in enumerate(pairs):
        run.append(source)
        if k == len(pairs) - 1 or pairs[k + 1][1] is not cfg:
            out.extend(_run_or_fail(run, cfg, keep_analysis))
            run = []
    return out


def _run_or_fail(sources: list[Source], config: Config, keep_analysis: bool) -> list[Report]:
    """Reports of sources sharing a config. A source that cannot be linted (unreadable, malformed front
    matter, a missing or broken profile, a template that does not render) gets a Report with `error`; the
    others are linted as usual (one at a time, when their batch held such a draft)."""
    out: list[Report | None] = [None] * len(sources)
    batch, positions = [], []
    for i, s in enumerate(sources):
        try:
            if s.error is not None:
                raise UserError(s.error)
            batch.append((draft_mod.parse(s.text, s.path, s.base_dir, config.max_bytes), s))
            positions.append(i)
        except UserError as exc:
            out[i] = _failed(s, config, exc)
    try:
        reports = list(_run(batch, config, keep_analysis)) if batch else []
    except SetupError:
        raise  # the model or the config, not a draft: the run stops
    except UserError:  # a draft of this batch cannot be prepared: lint each alone to find which
        reports = []
        for d, s in batch:
            try:
                reports.extend(_run([(d, s)], config, keep_analysis))
            except SetupError:
                raise
            except UserError as exc:
                reports.append(_failed(s, config, exc))
    for i, report in zip(positions, reports):
        out[i] = report
    return out


def _failed(source: Source, config: Config, exc: UserError) -> Report:
    return Report(path=source.path, stage=source.stage or config.stage, fail_on=config.fail_on, error=str(exc))


def _resolve(d: draft_mod.Draft, source: Source, config: Config) -> tuple[str, profile_mod.Profile | None, int, bool]:
    meta = d.meta
    stage = source.stage or meta.get("stage") or config.stage
    profile = source.profile
    if profile is None and meta.get("recipient") is not None:
        recipient = meta["recipient"]
        if isinstance(recipient, dict):
            profile = profile_mod.from_mapping(recipient, f"{d.path}: recipient")
        else:
            try:
                profile = profile_mod.load(recipient_path(d.base_dir, recipient, config, d.path))
            except UserError as exc:
                line = d.meta_lines.get("recipient")
                raise UserError(f"{d.path}{f':{line}' if line else ''}: recipient: {exc}") from None
    step = source.sequence_step or meta.get("sequence_step") or (2 if stage == "follow-up" else 1)
    replied = source.replied if source.replied is not None else bool(meta.get("replied", False))
    return stage, profile, step, replied


def _run(batch: list[tuple[draft_mod.Draft, Source]], config: Config, keep_analysis: bool) -> Iterator[Report]:
    rules = catalogue.rules()
    contexts = [(d, *_resolve(d, s, config)) for d, s in batch]
    actives = [active_rules(config, stage, d.meta.get("ignore") or (), d.path) for d, stage, *_ in contexts]
    nlp = nlp_mod.load(config.model, ner=any(needs_ner(a) for a in actives))
    folded = [d.analysed() for d, *_ in contexts]  # (text, index into the body) per draft
    renderings = [_rendering(d, text, config) for (d, *_), (text, _) in zip(contexts, folded)]
    texts = [r.text if r is not None else f[0] for f, r in zip(folded, renderings)]
    fact_texts = sorted({f.text for _, _, p, *_ in contexts if p is not None for f in p.facts()})
    docs = _pipe(nlp, texts)
    fact_docs = dict(zip(fact_texts, nlp.pipe(fact_texts, batch_size=BATCH_SIZE)))
    for (d, stage, profile, step, replied), active, doc, rendering, (_, index) in zip(
            contexts, actives, docs, renderings, folded):
        features.annotate(doc, features.Situation(profile, config, stage, fact_docs))
        ctx = Context(d, doc, stage, profile, config, step, replied, active, rendering)
        hits = _filtered([h for code in active if not (rules[code].after_suppression or rules[code].thread)
                          for h in rules[code].check(ctx)], doc, config)
        judgement = decide.judge(ctx, hits)
        settled = decide.settle(hits, stage, rules, judgement.confidence, _thresholds())
        report = Report(path=d.path, stage=stage, text=d.text, fail_on=config.fail_on)
        spans = Spans(d, doc._.text, rendering, index)
        found = _suppress(d, _findings(d, settled, config, spans))
        post = [h for code in active if rules[code].after_suppression for h in rules[code].check(ctx, found)]
        report.findings = sorted(found + _findings(d, [(h, rules[h.code].severity_for(stage)) for h in post],
                                                   config, spans), key=lambda f: (f.start, f.code))
        report.metrics = _metrics(doc)
        report.confidence = judgement.confidence
        if keep_analysis:
            report.analysis = (doc, profile)
            report.judgement = (hits, judgement.vectors)
        yield report


def needs_ner(active: frozenset[str]) -> bool:
    """NER runs when a selected rule reads entities, or a family decision does (its signals read evidence)."""
    rules = catalogue.rules()
    decided = set(decide.models())
    return any("ner" in rules[c].requires or rules[c].category in decided and not rules[c].thread for c in active)


def _thresholds() -> dict[str, float]:
    return {fam: m.threshold for fam, m in decide.models().items()}


def _filtered(hits: list[Hit], doc, config: Config) -> list[Hit]:
    """Candidates that stand: not inside quoted text, not a phrase the team accepts, one per code and span."""
    from .features.text import in_quotes

    seen: set[tuple[str, int, int]] = set()
    out = []
    for hit in hits:
        key = (hit.code, hit.start, hit.end)
        if key in seen or hit.code[:2] != "FM" and not hit.template_offsets and in_quotes(doc, hit.start, hit.end):
            continue
        if config.accept and _accepted(doc._.text, hit.start, hit.end, config.accept):
            continue  # a phrase the team accepts
        seen.add(key)
        out.append(hit)
    return out


def recipient_path(base_dir: Path | None, recipient: str, config: Config, path: str) -> Path:
    """A front matter `recipient:` file, which must stay inside the draft's folder, its config's folder or the
    current folder (the repo is untrusted: `../../secret.yaml` or `/proc/self/environ` is an error)."""
    from .paths import confine

    base = base_dir or Path.cwd()
    return confine(base / recipient, (base, config.root, Path.cwd()), f"{path}: front matter recipient")


def sample_profile_path(config: Config) -> Path:
    """The config's `sample-profile`, which must stay inside the config's folder."""
    from .paths import confine

    if config.root is None:  # a Config built by the caller, not read from a (repo) file
        return Path(config.sample_profile)
    return confine(config.root / config.sample_profile, (config.root,), f"{config.source}: 'sample-profile'")


def _pipe(nlp, texts: list[str]) -> list:
    """Parse texts in batches; a text over HUGE_CHARS is parsed alone, so a batch never holds many huge parses
    at once (spaCy's memory grows with the batch's total length)."""
    docs: list = [None] * len(texts)
    small = [i for i, t in enumerate(texts) if len(t) <= HUGE_CHARS]
    for i, doc in zip(small, nlp.pipe([texts[i] for i in small], batch_size=BATCH_SIZE)):
        docs[i] = doc
    for i, text in enumerate(texts):
        if docs[i] is None:
            docs[i] = nlp(text)
    return docs


def _rendering(d: draft_mod.Draft, text: str, config: Config):
    """The sample rendering of a template draft's analysed text, or None for an ordinary draft."""
    from .templating import is_template, render

    if not is_template(d.path, d.meta, config.template_files):
        return None
    sample = None
    if config.sample_profile:
        sample = profile_mod.load(sample_profile_path(config))
    known = set(config.template_variables) | {"first_name", "last_name", "name", "headline", "role", "company",
                                              "location", "about", "how_we_met", "company_news"}
    return render(text, config.merge_syntax, known, sample)


@dataclass
class Spans:
    """Maps offsets in the text spaCy saw back to the file: through a template's rendering (if any), then the
    fold (normalisation), then the front matter."""

    draft: draft_mod.Draft
    analysed: str
    rendering: object
    index: list[int]

    def to_file(self, start: int, end: int, folded: bool = False) -> tuple[int, int]:
        """File offsets of [start, end) in the analysed text (or, with folded, in the folded text)."""
        if not folded:
            while end > start + 1 and self.analysed[end - 1].isspace():  # never underline blank lines
                end -= 1
            while start < end - 1 and self.analysed[start].isspace():
                start += 1
            if self.rendering is not None:
                start, end = self.rendering.to_template(start, end)
        start, end = to_original(self.index, len(self.draft.body), start, end)
        return start + self.draft.body_start, end + self.draft.body_start


def _findings(d: draft_mod.Draft, settled: list[tuple[Hit, str]], config: Config, spans: Spans) -> list[Finding]:
    """Settled candidates (in analysed-text offsets) to findings in file offsets, with excerpts; the config's
    severity overrides win."""
    rules = catalogue.rules()
    out: list[Finding] = []
    for hit, severity in settled:
        meta = rules[hit.code]
        severity = config.severity.get(hit.code) or severity
        if hit.file_offsets:
            start, end = hit.start, hit.end
        else:
            start, end = spans.to_file(hit.start, hit.end, folded=hit.template_offsets)
        line, col = d.position(start)
        end_line, end_col = d.position(end)
        out.append(Finding(code=meta.code, name=meta.name, category=meta.category, severity=severity,
                           message=hit.message, line=line, column=col, end_line=end_line, end_column=end_col,
                           start=start, end=end, excerpt=d.text[start:end], suggestion=hit.suggestion))
    out.sort(key=lambda f: (f.start, f.code))
    return out


def _accepted(text: str, start: int, end: int, phrases: tuple[str, ...]) -> bool:
    """Whether the finding's words [start, end) lie within an occurrence of an accepted phrase (case and
    spacing aside): accepting "quick question" drops a finding on those words, not one on the sentence
    around them."""
    import re

    while end > start and text[end - 1] in " \t\r\n.,;:!?":
        end -= 1
    for phrase in phrases:
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)"
        if any(m.start() <= start and end <= m.end() for m in re.finditer(pattern, text, re.I)):
            return True
    return False


def _suppress(d: draft_mod.Draft, findings: list[Finding]) -> list[Finding]:
    """Drop findings silenced by directive lines, marking the directives that silenced something."""
    if not d.directives:
        return findings
    rules = catalogue.rules()

    def names(directive, code):
        return any(r.lower() == "all" or catalogue.matches(r, rules[code]) for r in directive.rules)

    kept = []
    for f in findings:
        silenced = None
        for directive in d.directives:
            if directive.kind == "disable-next-line":
                nxt = next((n for n in range(directive.line + 1, d.line_count + 1) if d.line_text(n).strip()),
                           directive.line + 1)
                if f.line == nxt and names(directive, f.code):
                    silenced = directive
            elif directive.line < f.line and names(directive, f.code):
                silenced = directive if directive.kind == "disable" else None
        if silenced is None:
            kept.append(f)
        else:
            silenced.used = True
    return kept


def _metrics(doc) -> dict:
    """Metrics of the text as analysed (a template's sample rendering)."""
    from .readability import readability

    body = doc._.text
    grade, ease = readability(body)
    focus = doc._.focus
    return {
        "words": len(body.split()),
        "characters": len(body.strip()),
        "sentences": len(doc._.sentences),
        "reading_grade": grade,
        "reading_ease": ease,
        "questions": sum(1 for s in doc._.sentences if features.span_text(s).rstrip().endswith("?")),
        "sender_clauses": sum(1 for c in doc._.clauses if c.role == "sender"),
        "recipient_clauses": sum(1 for c in doc._.clauses if c.role == "recipient"),
        "sender_sentences": sum(f.side == "sender" for f in focus),
        "recipient_sentences": sum(f.side == "recipient" for f in focus),
        "opt_outs": len(doc._.opt_outs),  # exits offered ("if it's not a priority, just say so"), from the parse
        "profile_facts_used": doc._.facts_used,
    }


def check_selectors(selectors: Iterable[str]) -> None:
    """Reject select/ignore entries that name no rule."""
    for sel in selectors:
        if not catalogue.is_valid_selector(sel):
            raise UserError(f"unknown rule '{sel}' (see: outreach-lint rules)")
