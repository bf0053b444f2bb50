"""What the server asks of the library: settings, one document linted as `check` would, and its diagnostics.

Everything here runs on the server's worker thread and goes through the library API (`lint_many`, `Source`,
the config `Resolver`, `catalogue`, `rewrite.suggest`); nothing here knows about the protocol's transport.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lsprotocol import types

from .. import catalogue, config as config_mod, draft as draft_mod, profile as profile_mod
from ..config import FAIL_ON, Config
from ..draft import STAGES
from ..engine import Source, check_selectors, lint_many
from ..errors import UserError
from ..formatters import file_error
from ..report import Finding, Report
from ..templating import is_template
from .positions import Lines

log = logging.getLogger("outreach-lint.server")

SOURCE = "outreach-lint"
DOCS_URL = "https://github.com/outreach-lint/outreach-lint/blob/main/README.md"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
LANGUAGES = {"plaintext", "text", "plain text", "markdown"}  # and any .txt/.md file or template file
SETTING_KEYS = ("stage", "profile", "fail-on", "select", "ignore", "config")


@dataclass(frozen=True)
class Settings:
    """Editor settings (`initializationOptions`, `workspace/configuration` section "outreach-lint"); each wins
    over config files as the CLI flag of the same name does."""

    stage: str | None = None
    profile: Path | None = None
    fail_on: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    config: Path | None = None


def parse_settings(raw: dict[str, Any], root: Path) -> Settings:
    """Validate settings; paths are relative to the workspace root. A bad value is a UserError naming it."""
    unknown = sorted(set(raw) - set(SETTING_KEYS))
    if unknown:
        raise UserError(f"unknown setting '{unknown[0]}' (known: {', '.join(SETTING_KEYS)})")
    values: dict[str, Any] = {}
    for key in ("stage", "fail-on"):
        allowed = STAGES if key == "stage" else FAIL_ON
        if raw.get(key) is not None:
            if raw[key] not in allowed:
                raise UserError(f"setting '{key}' must be one of {', '.join(allowed)}")
            values[key.replace("-", "_")] = raw[key]
    for key in ("select", "ignore"):
        value = raw.get(key)
        if value is None:
            continue
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise UserError(f"setting '{key}' must be a list of rule codes, names, prefixes or categories")
        values[key] = tuple(v.strip() for v in items if v.strip())
        check_selectors(values[key])
    for key in ("profile", "config"):
        if raw.get(key) is not None:
            if not isinstance(raw[key], str) or not raw[key]:
                raise UserError(f"setting '{key}' must be a path")
            values[key] = root / Path(raw[key]).expanduser()
    return Settings(**values)


@dataclass
class Result:
    """One lint of one revision of a document: the report (or the error that stopped it) and its diagnostics."""

    lines: Lines
    diagnostics: list[types.Diagnostic] = field(default_factory=list)
    report: Report | None = None
    config: Config | None = None
    profile_known: bool = False
    skipped: bool = False  # not a document the linter lints (its language or file name)
    key: tuple[int, int] = (-1, -1)  # (document revision, settings generation), set by the server


def source_for(text: str, path: Path | None, settings: Settings, root: Path) -> tuple[Source, Config]:
    """The Source and Config `check` would use for this file: config discovered above it (or the settings'
    `config`), settings as CLI flags, profiles relative to the file."""
    resolver = config_mod.Resolver(settings.config, fail_on=settings.fail_on, select=settings.select,
                                   ignore=settings.ignore)
    config = resolver.for_path(str(path) if path else str(root))
    profile = _load_profile(settings.profile) if settings.profile else None
    source = Source(text=text, path=str(path) if path else "<editor>", base_dir=path.parent if path else root,
                    stage=settings.stage, profile=profile, config=config)
    return source, config


def _load_profile(path: Path) -> profile_mod.Profile:
    """A profile file, read again only when it changes on disk."""
    try:
        stat = path.stat()
    except OSError:
        return profile_mod.load(path)  # the loader's own error message
    return _cached_profile(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _cached_profile(path: Path, mtime_ns: int, size: int) -> profile_mod.Profile:
    del mtime_ns, size  # cache key only
    return profile_mod.load(path)


def lintable(path: Path | None, language_id: str, config: Config) -> bool:
    """Plain text and Markdown documents, .txt/.md files, and template files (by the config's globs)."""
    if language_id.lower() in LANGUAGES:
        return True
    return path is not None and (path.name.lower().endswith((".txt", ".md"))
                                 or is_template(str(path), {}, config.template_files))


def lint_document(text: str, path: Path | None, language_id: str, settings: Settings, root: Path,
                  encoding: str) -> Result:
    """Lint one document as `outreach-lint check` would lint the file; a user error (bad config, front
    matter or profile) becomes one diagnostic, and so does an unexpected failure (logged), never a crash."""
    lines = Lines(text, encoding)
    try:
        source, config = source_for(text, path, settings, root)
        if not lintable(path, language_id, config):
            return Result(lines, skipped=True)
        report = next(lint_many([source], on_error="report"))
    except UserError as exc:  # the config or the settings' profile: not this document's own lines
        if not lintable(path, language_id, Config()):  # a broken config is not a Python file's problem
            return Result(lines, skipped=True)
        return Result(lines, [error_diagnostic(str(exc), None, lines)])
    except Exception as exc:  # a bug must not take the editor's server down with it
        log.exception("linting %s failed", path)
        return Result(lines, [error_diagnostic(f"internal error: {exc!r}", None, lines)])
    if report.error is not None:  # front matter, a directive, the profile it names: where `check` says
        where = file_error(report)
        return Result(lines, [error_diagnostic(where["message"], where["line"], lines)])
    known = source.profile is not None or _has_recipient(text)
    return Result(lines, [diagnostic(f, lines, config) for f in report.findings], report, config, known)


def _has_recipient(text: str) -> bool:
    try:
        return draft_mod.parse(text).meta.get("recipient") is not None
    except UserError:
        return False


def diagnostic(f: Finding, lines: Lines, config: Config) -> types.Diagnostic:
    fails = Report(path="", stage="", findings=[f], fail_on=config.fail_on).fails()
    return types.Diagnostic(
        range=lines.range(f.start, f.end), severity=SEVERITY[f.severity], code=f.code, source=SOURCE,
        message=f"{f.message}\n{f.suggestion}", code_description=types.CodeDescription(href=docs_url(f.code)),
        data={"name": f.name, "category": f.category, "severity": f.severity, "fails": fails})


def error_diagnostic(message: str, line: int | None, lines: Lines) -> types.Diagnostic:
    """A draft that could not be linted, as one error diagnostic over its 1-based `line` (else the first)."""
    index = max(0, min((line or 1) - 1, len(lines.starts) - 1))
    return types.Diagnostic(range=lines.range(lines.starts[index], lines.line_end(index)),
                            severity=types.DiagnosticSeverity.Error, source=SOURCE, message=message)


@lru_cache(maxsize=1)
def _anchors() -> dict[str, str]:
    """README anchors of the rule catalogue's headings (GitHub's slugs of `catalogue.markdown()`'s)."""
    out = {}
    for heading in re.findall(r"^#### (.+)$", catalogue.markdown(), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        out[heading.split()[0]] = slug
    return out


def docs_url(code: str) -> str:
    return f"{DOCS_URL}#{_anchors().get(code, 'rules')}"


def explain(code: str, markdown: bool = True) -> str:
    """A rule's four-part documentation (as `outreach-lint explain` prints it), as Markdown or plain text."""
    meta = catalogue.lookup(code)
    if meta is None:
        raise UserError(f"unknown rule '{code}' (see: outreach-lint rules)")
    stages = ", ".join(f"{s}: {meta.severity_for(s)}" for s in STAGES)
    bold, fence, end = (lambda s: f"**{s}**", "```text\n", "\n```") if markdown else (str, "", "")
    return (f"{bold(f'{meta.code} {meta.name}')} ({meta.category}, {meta.severity}; by stage: {stages})\n\n"
            f"{bold('What it does')}\n{meta.what}\n\n{bold('Why is this bad?')}\n{meta.why}\n\n"
            f"{bold(f'Example ({meta.example_stage})')}\n{fence}{meta.example}{end}\n\n"
            f"{bold('Use instead')}\n{fence}{meta.instead}{end}")


def verified_rewrite(text: str, path: Path | None, settings: Settings, root: Path) -> tuple[str | None, str]:
    """(the new body, its template) of the best rewrite that passes its own lint, as `outreach-lint rewrite`
    shows it, or (None, why there is none)."""
    from ..rewrite import suggest

    try:
        source, config = source_for(text, path, settings, root)
        if is_template(source.path, draft_mod.parse(text).meta, config.template_files):
            return None, "a message template is not rewritten (its merge fields would be lost)"
        report = next(lint_many([source], keep_analysis=True))
        outcome = suggest(report, config, n=1)
    except UserError as exc:
        return None, str(exc)
    except Exception as exc:  # as in lint_document: logged, and the server lives on
        log.exception("rewriting %s failed", path)
        return None, f"internal error: {exc!r}"
    if not outcome.rewrites:
        return None, outcome.reason or "no rewrite passed its own checks"
    return outcome.rewrites[0].text, outcome.rewrites[0].template
