"""Lint settings: defaults, validation of a mapping (from a TOML file or the API), and loading."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .draft import MAX_BYTES_DEFAULT, STAGES
from .errors import UserError

SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class Sender:
    """Who is writing: their name, company and product names count as self-talk."""

    name: str | None = None
    company: str | None = None
    products: tuple[str, ...] = ()

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
    audit: dict[str, Any] = field(default_factory=dict)  # `audit` thresholds, checked by linter.audit.rules
    # where the config came from (not keys): per-file-ignores globs are relative to `root`
    root: Path | None = None
    source: str | None = None

    def with_overrides(self, **changes: Any) -> "Config":
        """A copy with the given non-None fields changed (CLI flags win over files)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Config) if f.name not in ("root", "source")}
CONFIG_FILES = (".outreach-lint.toml", "pyproject.toml")


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
        import re

        from .templating import SYNTAXES

        if not isinstance(value, str):
            raise UserError(f"{where} must be one of {', '.join(SYNTAXES)} or a regex with a (?P<name>...) group")
        if value not in SYNTAXES:
            try:
                if "name" not in re.compile(value).groupindex:
                    raise re.error("no (?P<name>...) group")
            except re.error as exc:
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
        if not isinstance(value, dict) or set(value) - {"name", "company", "products"}:
            raise UserError(f"{where} must be a table with name, company and products")
        products = value.get("products", [])
        if not isinstance(products, list):
            raise UserError(f"{where}.products must be a list of names")
        return Sender(value.get("name"), value.get("company"), tuple(str(p) for p in products))
    return value


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
    folder = start if start.is_dir() else start.parent
    for directory in [folder.resolve(), *folder.resolve().parents]:
        dotfile = directory / CONFIG_FILES[0]
        if dotfile.is_file():
            return dotfile
        pyproject = directory / CONFIG_FILES[1]
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        return "outreach-lint" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def to_toml(config: Config) -> str:
    """The resolved config as `[tool.outreach-lint]` TOML (for `outreach-lint config --show`)."""
    import json

    lines = [f"# resolved from: {config.source or 'defaults'}", "[tool.outreach-lint]"]
    tables = []
    for f in fields(Config):
        if f.name in ("root", "source"):
            continue
        value = getattr(config, f.name)
        key = f.name.replace("_", "-")
        if isinstance(value, Sender):
            value = {"name": value.name, "company": value.company, "products": list(value.products)}
        if isinstance(value, dict):
            tables.append(f"\n[tool.outreach-lint.{key}]")
            tables += [f"{json.dumps(k)} = {json.dumps(list(v) if isinstance(v, tuple) else v)}"
                       for k, v in value.items() if v is not None]
        elif value is not None:
            lines.append(f"{key} = {json.dumps(list(value) if isinstance(value, tuple) else value)}")
    return "\n".join(lines + tables)


def load(path: Path) -> Config:
    """Read a TOML config file: `[tool.outreach-lint]` in a pyproject.toml, or top-level keys."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read config ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: config is not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("outreach-lint", {})
    return replace(from_mapping(data, str(path)), root=path.resolve().parent, source=str(path))


class Resolver:
    """The config for each linted file: `--config FILE` for all, `--isolated` for none, else the nearest
    config file above the file (or above the current folder for stdin); CLI flags win over files."""

    def __init__(self, explicit: Path | None = None, isolated: bool = False, **overrides: Any) -> None:
        self.overrides = overrides
        self.isolated = isolated
        self._explicit = load(explicit).with_overrides(**overrides) if explicit else None
        self._by_file: dict[Path | None, Config] = {}

    def for_path(self, path: str | None) -> Config:
        if self._explicit is not None:
            return self._explicit
        found = None if self.isolated else discover(Path(path) if path and path != "-" else Path.cwd())
        if found not in self._by_file:
            base = load(found) if found else Config()
            self._by_file[found] = base.with_overrides(**self.overrides)
        return self._by_file[found]
