"""Lint settings: defaults, validation of a mapping (from a TOML file or the API), and loading."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .draft import STAGES
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
    reading_grade: float = 8.0
    self_talk_ratio: float = 1.0
    self_talk_min: float = 2.0
    sender: Sender = Sender()
    templates: str | None = None

    def with_overrides(self, **changes: Any) -> "Config":
        """A copy with the given non-None fields changed (CLI flags win over files)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Config)}


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
    if name in ("select", "ignore"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UserError(f"{where} must be a list of rule codes, names or prefixes")
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
    if name in ("note_limit", "word_limit", "inmail_limit"):
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
    return from_mapping(data, str(path))
