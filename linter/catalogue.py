"""Rule metadata (codes, names, categories, severities, docs) loaded from `data/rules.toml`."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

CATEGORIES = ("hard-sell", "personalisation", "self-centred", "form")
FAMILY_PREFIX = {"HS": "hard-sell", "PZ": "personalisation", "SC": "self-centred", "FM": "form"}
# Rule files of drivers, merged after data/rules.toml: the thread and timing rules of `audit` (HS101...).
EXTRA_RULE_FILES = ("audit/rules.toml",)


@dataclass(frozen=True)
class RuleMeta:
    """A rule's identity and documentation."""

    code: str
    name: str
    category: str
    severity: str
    what: str
    why: str
    example: str
    instead: str
    example_stage: str
    by_stage: dict[str, str] = field(default_factory=dict)

    def severity_for(self, stage: str) -> str:
        """The default severity at a stage, or "off"."""
        return self.by_stage.get(stage, self.severity)


@lru_cache(maxsize=1)
def rules() -> dict[str, RuleMeta]:
    """All rules by code, in catalogue order."""
    raw = tomllib.loads(resources.files("linter").joinpath("data/rules.toml").read_text(encoding="utf-8"))
    for extra in EXTRA_RULE_FILES:
        raw.update(tomllib.loads(resources.files("linter").joinpath(extra).read_text(encoding="utf-8")))
    return {code: RuleMeta(code=code, **spec) for code, spec in raw.items()}


def by_name() -> dict[str, RuleMeta]:
    return {meta.name: meta for meta in rules().values()}


def lookup(key: str) -> RuleMeta | None:
    """A rule by code (any case) or kebab-case name."""
    return rules().get(key.upper()) or by_name().get(key.lower())


def matches(selector: str, meta: RuleMeta) -> bool:
    """True when a select/ignore entry (code, name, code prefix or category) names this rule."""
    sel = selector.strip()
    return (meta.code.startswith(sel.upper()) or sel.lower() == meta.name or sel.lower() == meta.category)


def is_valid_selector(selector: str) -> bool:
    return any(matches(selector, meta) for meta in rules().values())


def markdown() -> str:
    """The rule catalogue as Markdown (the README's catalogue is this output, checked by a test)."""
    from .draft import STAGES

    out = []
    for meta in rules().values():
        stages = ", ".join(f"{s} {meta.severity_for(s)}" for s in STAGES if meta.severity_for(s) != meta.severity)
        out.append(f"#### {meta.code} `{meta.name}` ({meta.category}, {meta.severity}"
                   f"{'; ' + stages if stages else ''})\n")
        out.append(f"{meta.what}\n\n*Why:* {meta.why}\n")
        out.append(f"Flagged ({meta.example_stage}):\n\n```text\n{meta.example}\n```\n")
        out.append(f"Instead:\n\n```text\n{meta.instead}\n```\n")
    return "\n".join(out)
