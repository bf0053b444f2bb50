"""Rule families. Each module exposes `check(ctx) -> Iterable[Hit]`; metadata lives in data/rules.toml."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from ..analysis import Signals
    from ..config import Config
    from ..draft import Draft
    from ..profile import Profile


@dataclass
class Hit:
    """A rule firing on body offsets [start, end); severity None means the rule's stage default."""

    code: str
    start: int
    end: int
    message: str
    suggestion: str
    severity: str | None = None


@dataclass
class Context:
    """Everything a rule may look at for one draft."""

    draft: "Draft"
    doc: "Doc"
    stage: str
    profile: "Profile | None"
    config: "Config"
    signals: "Signals"
    sequence_step: int
    replied: bool
    active: frozenset[str]
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def once(self, fn: Callable[["Context"], Any]) -> Any:
        """fn(self), computed once per draft (for helpers that several rules share)."""
        if fn.__name__ not in self.memo:
            self.memo[fn.__name__] = fn(self)
        return self.memo[fn.__name__]

    def on(self, code: str) -> bool:
        """Whether a rule is selected and not off at this stage (lets families skip work)."""
        return code in self.active

    def find(self, section: str, name: str) -> list["Span"]:
        """Matches of a phrase list, with the phrases the config adds to it."""
        from .. import phrases

        return phrases.find(self.doc, section, name, self.config.phrases.get(name, ()))

    def hit(self, code: str, span: "Span", message: str, suggestion: str, severity: str | None = None) -> Hit:
        return Hit(code, span.start_char, span.end_char, message, suggestion, severity)

    @property
    def first_touch(self) -> bool:
        return self.stage in ("connection-request", "post-connection", "cold")


def short(text: str, width: int = 70) -> str:
    """A one-line quote of a span for messages."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"


def families() -> list[Callable[[Context], Iterable[Hit]]]:
    """The check functions of every family, in report order."""
    from . import form, hard_sell, personalisation, self_centred

    return [hard_sell.check, personalisation.check, self_centred.check, form.check]
