"""Recipient profiles: loading YAML/JSON/TOML, validating types, and listing the facts a draft can use."""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import UserError

_TEXT_FIELDS = ("name", "first_name", "last_name", "headline", "role", "company", "location", "about",
                "how_we_met", "connected_on", "company_news")
_LIST_FIELDS = ("recent_posts", "shared_connections", "shared_groups", "education", "skills", "interests")
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
        """The research-grade facts a personalised draft might use."""
        out: list[Fact] = []
        for post in self.data.get("recent_posts") or []:
            if isinstance(post, dict):
                for key in ("topic", "text", "title"):
                    if post.get(key):
                        out.append(Fact("recent_posts", str(post[key]), "text"))
            elif post:
                out.append(Fact("recent_posts", str(post), "text"))
        for person in self.data.get("shared_connections") or []:
            name = person.get("name") if isinstance(person, dict) else person
            if name:
                out.append(Fact("shared_connections", str(name), "name"))
        for group in self.data.get("shared_groups") or []:
            out.append(Fact("shared_groups", str(group.get("name") if isinstance(group, dict) else group), "text"))
        for school in self.data.get("education") or []:
            if isinstance(school, dict):
                text = " ".join(str(school[k]) for k in ("school", "degree", "field") if school.get(k))
            else:
                text = str(school)
            out.append(Fact("education", text, "text"))
        for key in ("how_we_met", "about", "company_news"):
            if self.data.get(key):
                out.append(Fact(key, str(self.data[key]), "text"))
        for interest in self.data.get("interests") or []:
            out.append(Fact("interests", str(interest), "text"))
        return [f for f in out if f.text.strip()]


def from_mapping(data: Any, source: str) -> Profile:
    """Validate a profile mapping; wrong types are a user error naming the field."""
    if not isinstance(data, dict):
        raise UserError(f"{source}: a profile must be a mapping of fields to values")
    for key in _TEXT_FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, (str, int, float)) and key != "connected_on":
            raise UserError(f"{source}: profile field '{key}' must be text")
    for key in _LIST_FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, list):
            raise UserError(f"{source}: profile field '{key}' must be a list")
    return Profile(dict(data))


def load(path: Path) -> Profile:
    """Load a profile file by its extension (.yaml/.yml, .json, .toml)."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"{path}: profile file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read profile ({getattr(exc, 'strerror', None) or exc})") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            data = json.loads(raw)
        elif suffix == ".toml":
            data = tomllib.loads(raw)
        elif suffix in (".yaml", ".yml"):
            data = yaml.safe_load(raw)
        else:
            raise UserError(f"{path}: unknown profile format '{suffix}' (use .yaml, .yml, .json or .toml)")
    except (json.JSONDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(f"{path}: profile is not valid {suffix.lstrip('.').upper()}: {first}") from None
    return from_mapping(data, str(path))
