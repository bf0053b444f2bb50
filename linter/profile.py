"""Recipient profiles: loading YAML/JSON/TOML, validating types, and listing the facts a draft can use."""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .draft import key_lines, yaml_problem
from .errors import UserError

_TEXT_FIELDS = ("name", "first_name", "last_name", "headline", "role", "company", "location", "about",
                "how_we_met", "connected_on", "company_news")
_LIST_FIELDS = ("recent_posts", "shared_connections", "shared_groups", "education", "skills", "interests")
# Bounds on what a profile costs (each fact is parsed by spaCy): a profile file is read up to MAX_PROFILE_BYTES and
# may hold MAX_PROFILE_VALUES values (YAML aliases cannot multiply it); the facts used are the first MAX_POSTS
# recent posts (profiles list them newest first, as LinkedIn does, and as the rewrite templates read them), the
# first MAX_LIST_ITEMS of each other list, each fact cut at MAX_FACT_CHARS (LinkedIn's own post limit), and at
# most MAX_FACTS_CHARS characters of facts in all.
MAX_PROFILE_BYTES = 10_000_000
MAX_PROFILE_VALUES = 200_000
MAX_POSTS = 20
MAX_LIST_ITEMS = 100
MAX_FACT_CHARS = 3_000
MAX_FACTS_CHARS = 50_000
# Facts that took research count as personalisation; merge fields (name, company, role...) do not.


@dataclass
class Fact:
    """One thing the profile says, with the field it came from."""

    field: str
    text: str
    kind: str  # "name" (match any name token) or "text" (match content lemmas)


@dataclass
class Profile:
    """A recipient profile. Unknown fields are kept in `data` for templates."""

    data: dict[str, Any] = field(default_factory=dict)

    @property
    def first_name(self) -> str | None:
        if self.data.get("first_name"):
            return str(self.data["first_name"]).strip()
        name = str(self.data.get("name") or "").strip()
        return name.split()[0] if name else None

    @property
    def company(self) -> str | None:
        value = self.data.get("company")
        return str(value).strip() if value else None

    def facts(self) -> list[Fact]:
        """The research-grade facts a personalised draft might use (bounded: see MAX_POSTS and the others).
        Only text and numbers count; a list or mapping where text belongs is skipped, never printed."""
        out: list[Fact] = []
        for post in _items(self.data.get("recent_posts"), MAX_POSTS):
            if isinstance(post, dict):
                for key in ("topic", "text", "title"):
                    out.append(Fact("recent_posts", _text(post.get(key)), "text"))
            else:
                out.append(Fact("recent_posts", _text(post), "text"))
        for person in _items(self.data.get("shared_connections")):
            out.append(Fact("shared_connections", _text(person.get("name") if isinstance(person, dict) else person),
                            "name"))
        for group in _items(self.data.get("shared_groups")):
            out.append(Fact("shared_groups", _text(group.get("name") if isinstance(group, dict) else group), "text"))
        for school in _items(self.data.get("education")):
            if isinstance(school, dict):
                text = " ".join(t for t in (_text(school.get(k)) for k in ("school", "degree", "field")) if t)
            else:
                text = _text(school)
            out.append(Fact("education", text, "text"))
        for key in ("how_we_met", "about", "company_news"):
            out.append(Fact(key, _text(self.data.get(key)), "text"))
        for interest in _items(self.data.get("interests")):
            out.append(Fact("interests", _text(interest), "text"))
        kept, total = [], 0
        for fact in out:
            if not fact.text.strip():
                continue
            total += len(fact.text)
            if total > MAX_FACTS_CHARS:
                break
            kept.append(fact)
        return kept


def _items(value: Any, limit: int = MAX_LIST_ITEMS) -> list[Any]:
    return value[:limit] if isinstance(value, list) else []


def _text(value: Any) -> str:
    """A profile value as fact text: strings, numbers and dates only, cut at MAX_FACT_CHARS."""
    if not value or isinstance(value, (dict, list, tuple, set)):
        return ""
    return str(value)[:MAX_FACT_CHARS]


def from_mapping(data: Any, source: str, lines: dict[str, int] | None = None) -> Profile:
    """Validate a profile mapping; wrong types are a user error naming the field (and, with `lines`, the line
    of the file it is written on)."""
    if not isinstance(data, dict):
        raise UserError(f"{source}: a profile must be a mapping of fields to values")
    _check_size(data, source)

    def at(key: str) -> str:
        return f":{lines[key]}" if lines and key in lines else ""

    for key in _TEXT_FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, (str, int, float)) and key != "connected_on":
            raise UserError(f"{source}{at(key)}: profile field '{key}' must be text")
    for key in _LIST_FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, list):
            raise UserError(f"{source}{at(key)}: profile field '{key}' must be a list")
    return Profile(dict(data))


def _check_size(data: dict, source: str) -> None:
    """Refuse more than MAX_PROFILE_VALUES values, counted as if written out: YAML aliases can build a small file
    that expands exponentially ("billion laughs"), or one that contains itself."""
    stack: list[Any] = [data]
    count = 0
    while stack:
        value = stack.pop()
        count += 1
        if count > MAX_PROFILE_VALUES:
            raise UserError(f"{source}: profile has more than {MAX_PROFILE_VALUES} values (YAML aliases that "
                            "repeat or contain themselves?)")
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple, set)):
            stack.extend(value)


def load(path: Path) -> Profile:
    """Load a profile file by its extension (.yaml/.yml, .json, .toml); at most MAX_PROFILE_BYTES are read."""
    from .paths import read_regular

    data, _ = read_regular(path, MAX_PROFILE_BYTES, "profile file")  # regular files only: a FIFO would hang
    if len(data) > MAX_PROFILE_BYTES:
        raise UserError(f"{path}: over the {MAX_PROFILE_BYTES}-byte limit for a profile")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: cannot read profile ({exc})") from None
    suffix = path.suffix.lower()
    kind = suffix.lstrip(".").upper()
    try:
        if suffix == ".json":
            parsed = json.loads(raw)
        elif suffix == ".toml":
            parsed = tomllib.loads(raw)
        elif suffix in (".yaml", ".yml"):
            parsed = yaml.safe_load(raw)  # not libyaml's CSafeLoader: it crashes the process on deep nesting
        else:
            raise UserError(f"{path}: unknown profile format '{suffix}' (use .yaml, .yml, .json or .toml)")
    except yaml.YAMLError as exc:
        where, reason = yaml_problem(exc)
        raise UserError(f"{path}{where}: profile is not valid YAML: {reason}") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}:{exc.lineno}:{exc.colno}: profile is not valid JSON: {exc.msg}") from None
    except tomllib.TOMLDecodeError as exc:
        where, reason = toml_problem(exc)
        raise UserError(f"{path}{where}: profile is not valid TOML: {reason}") from None
    except RecursionError:
        raise UserError(f"{path}: profile is not valid {kind}: nested too deeply") from None
    except ValueError as exc:  # a constructor's own error: a date like 2026-13-45, an int over 4300 digits
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(f"{path}: profile is not valid {kind}: {first}") from None
    return from_mapping(parsed, str(path), key_lines(raw) if suffix != ".json" else None)


def toml_problem(exc: Exception) -> tuple[str, str]:
    """(":LINE:COL" or "", reason) of a tomllib error (its message ends "(at line L, column C)")."""
    text = (str(exc).splitlines() or [type(exc).__name__])[0]
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", text)
    return (f":{m.group(1)}:{m.group(2)}", text[:m.start()]) if m else ("", text)
