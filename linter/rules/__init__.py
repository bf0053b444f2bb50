"""The rule registry. A rule is one function in one module of its family's package, registered with `@rule`:

    @rule("HS002", "uninvited-meeting-ask", severity="warning", by_stage={"reply": "off"}, example_stage="cold")
    def uninvited_meeting_ask(ctx: Context) -> Iterator[Hit]:
        '''Flags a request for a call ... (what it does)

        Why is this bad?
            ...
        Example:
            <a draft it flags>
        Use instead:
            <a draft it does not flag>
        '''

The docstring is the rule's documentation (`outreach-lint explain`, the README catalogue) and its examples are
tests. The engine runs every registered rule over each draft's features (`ctx.doc._.asks`, `ctx.doc._.offers`...)
and the family decision (decide.py) settles how loud each candidate is.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from ..config import Config
    from ..draft import Draft
    from ..profile import Profile

FAMILY_PREFIX = {"HS": "hard-sell", "PZ": "personalisation", "SC": "self-centred", "FM": "form"}
SECTIONS = ("Why is this bad?", "Example:", "Use instead:")


@dataclass
class Hit:
    """A rule firing on [start, end) of the analysed text; severity None means the rule's stage default."""

    code: str
    start: int
    end: int
    message: str
    suggestion: str
    severity: str | None = None
    strength: float = 1.0            # how clearly the words show the problem (the family decision promotes the strongest)
    template_offsets: bool = False   # offsets are in the template before rendering (PZ006)
    file_offsets: bool = False       # offsets are already in the file (FM007)
    weak: bool = False               # too thin to speak alone: shown only if the family decision needs it


@dataclass
class Context:
    """Everything a rule may look at for one draft: the parse and its features are on `doc._`."""

    draft: "Draft"
    doc: "Doc"
    stage: str
    profile: "Profile | None"
    config: "Config"
    sequence_step: int
    replied: bool
    active: frozenset[str]
    rendering: Any = None            # a template's sample rendering (templating.Rendering) or None

    def on(self, code: str) -> bool:
        return code in self.active

    def hit(self, code: str, span: "Span", message: str, suggestion: str, severity: str | None = None,
            strength: float = 1.0) -> Hit:
        return Hit(code, span.start_char, span.end_char, message, suggestion, severity, strength)

    @property
    def first_touch(self) -> bool:
        return self.stage in ("connection-request", "post-connection", "cold")

    @property
    def known(self) -> bool:
        """The two already know each other: the draft shows it, they replied, or the profile says how they met."""
        return bool(self.doc._.relationship) or self.replied or bool(
            self.profile is not None and self.profile.data.get("how_we_met"))


@dataclass(frozen=True)
class Rule:
    """A registered rule: identity, defaults, documentation and its check."""

    code: str
    name: str
    category: str
    severity: str
    what: str
    why: str
    example: str
    instead: str
    example_stage: str
    check: Callable[..., Iterable[Hit]] = field(compare=False, repr=False)
    by_stage: dict[str, str] = field(default_factory=dict)
    requires: frozenset[str] = frozenset()   # pipeline components beyond the parser ("ner")
    decisive: bool = False                   # findings stand whatever the family decision says
    after_suppression: bool = False          # check(ctx, findings) runs on the findings left after directives
    thread: bool = False                     # a thread rule of `audit`: never run on a single draft

    def severity_for(self, stage: str) -> str:
        """The default severity at a stage, or "off"."""
        return self.by_stage.get(stage, self.severity)


REGISTRY: dict[str, Rule] = {}


def _sections(doc: str, where: str) -> tuple[str, str, str, str]:
    """(what, why, example, instead) from a rule docstring."""
    text = inspect.cleandoc(doc or "")
    parts = re.split(r"^(Why is this bad\?|Example:|Use instead:)[ \t]*$", text, flags=re.M)
    if len(parts) != 7 or tuple(parts[1::2]) != SECTIONS:
        raise ValueError(f"{where}: the docstring needs the sections {', '.join(SECTIONS)} in that order")

    def block(s: str) -> str:
        return inspect.cleandoc(s).strip()

    what = " ".join(block(parts[0]).split())
    return what, " ".join(block(parts[2]).split()), _unwrap(block(parts[4])), _unwrap(block(parts[6]))


def _unwrap(block: str) -> str:
    """A docstring example as the draft it stands for: wrapped lines are joined; blank lines, list items and
    front-matter lines keep their line breaks."""
    out: list[str] = []
    in_front = False
    for k, line in enumerate(block.split("\n")):
        if line.strip() == "---":
            in_front = k == 0 or not in_front and not out
            out.append(line)
            continue
        keep = not out or in_front or not line.strip() or not out[-1].strip() or out[-1].strip() == "---" \
            or re.match(r"\s*(?:[-*•#]|\d{1,2}[.)])\s", line) or out[-1].lstrip().startswith("#")
        if keep:
            out.append(line)
        else:
            out[-1] += " " + line.strip()
    return "\n".join(out)


def rule(code: str, name: str, *, severity: str, example_stage: str, by_stage: dict[str, str] | None = None,
         requires: Iterable[str] = (), decisive: bool = False, after_suppression: bool = False):
    """Register a rule function under its code; its docstring is its documentation."""
    def register(fn: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if code in REGISTRY:
            raise ValueError(f"rule {code} is registered twice")
        what, why, example, instead = _sections(fn.__doc__ or "", code)
        REGISTRY[code] = Rule(code=code, name=name, category=FAMILY_PREFIX[code[:2]], severity=severity, what=what,
                              why=why, example=example, instead=instead, example_stage=example_stage, check=fn,
                              by_stage=dict(by_stage or {}), requires=frozenset(requires), decisive=decisive,
                              after_suppression=after_suppression)
        return fn
    return register


def short(text: str, width: int = 70) -> str:
    """A one-line quote of a span for messages."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"


def registry() -> dict[str, Rule]:
    """Every rule, by code, in catalogue order (family, then number)."""
    from . import form, hard_sell, personalisation, self_centred  # noqa: F401  (registration)

    order = list(FAMILY_PREFIX)
    return {c: REGISTRY[c] for c in sorted(REGISTRY, key=lambda c: (order.index(c[:2]), c))}
