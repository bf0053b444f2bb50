"""The rule catalogue: every registered rule (linter/rules/), and the thread rules of `audit`
(linter/audit/rules.toml: they judge a message within its thread, so the draft engine never runs them), looked
up by code, name, prefix or category."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from .rules import FAMILY_PREFIX, Rule, registry

CATEGORIES = ("hard-sell", "personalisation", "self-centred", "form")
RuleMeta = Rule  # a rule's identity and documentation
THREAD_RULE_FILES = ("audit/rules.toml",)

__all__ = ["CATEGORIES", "FAMILY_PREFIX", "RuleMeta", "by_name", "is_valid_selector", "lookup", "markdown",
           "matches", "rules", "visible"]


def _no_check(*args, **kwargs) -> tuple:
    return ()


@lru_cache(maxsize=1)
def _thread_rules() -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for name in THREAD_RULE_FILES:
        raw = tomllib.loads(resources.files("linter").joinpath(name).read_text(encoding="utf-8"))
        for code, spec in raw.items():
            out[code] = Rule(code=code, check=_no_check, thread=True, **spec)
    return out


def rules() -> dict[str, Rule]:
    """All rules by code, in catalogue order: the draft rules, then the thread rules."""
    return {**registry(), **_thread_rules()}


def by_name() -> dict[str, Rule]:
    return {meta.name: meta for meta in rules().values()}


def lookup(key: str) -> Rule | None:
    """A rule by code (any case) or kebab-case name."""
    return rules().get(key.upper()) or by_name().get(key.lower())


def matches(selector: str, meta: Rule) -> bool:
    """True when a select/ignore entry (code, name, code prefix or category) names this rule."""
    sel = selector.strip()
    return meta.code.startswith(sel.upper()) or sel.lower() == meta.name or sel.lower() == meta.category


def is_valid_selector(selector: str) -> bool:
    return any(matches(selector, meta) for meta in rules().values())


def visible(text: str) -> str:
    """Invisible format characters (FM008's bidi controls) written as <U+202E>, for docs and terminals."""
    import unicodedata

    return "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) == "Cf" else c for c in text)


def markdown() -> str:
    """The rule catalogue as Markdown (the README's catalogue is this output, checked by a test)."""
    from .draft import STAGES

    out = []
    for meta in rules().values():
        stages = ", ".join(f"{s} {meta.severity_for(s)}" for s in STAGES if meta.severity_for(s) != meta.severity)
        out.append(f"#### {meta.code} `{meta.name}` ({meta.category}, {meta.severity}"
                   f"{'; ' + stages if stages else ''})\n")
        out.append(f"{meta.what}\n\n*Why:* {meta.why}\n")
        out.append(f"Flagged ({meta.example_stage}):\n\n```text\n{visible(meta.example)}\n```\n")
        out.append(f"Instead:\n\n```text\n{visible(meta.instead)}\n```\n")
    return "\n".join(out)
