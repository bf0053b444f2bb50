"""Features: what a draft's sentences do, computed once per parsed draft and attached to the Doc.

Each feature is a function `(doc, situation) -> value` registered with `@feature("name")`; `annotate` runs
them in registration order and stores each result as the Doc extension `doc._.<name>`. A feature reads the
features computed before it from the Doc (`doc._.clauses`), never another feature module's helpers, so each
module can be read and changed on its own. The order of the modules below is the order they run in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

if TYPE_CHECKING:
    from ..config import Config
    from ..profile import Profile


@dataclass(frozen=True)
class Situation:
    """What a feature may know besides the text: the recipient profile, the config, the stage."""

    profile: "Profile | None"
    config: "Config"
    stage: str
    fact_docs: dict[str, Doc]


FEATURES: dict[str, Callable[[Doc, Situation], Any]] = {}


def feature(name: str):
    """Register a feature function; its result becomes `doc._.<name>`."""
    def register(fn: Callable[[Doc, Situation], Any]) -> Callable[[Doc, Situation], Any]:
        FEATURES[name] = fn
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
        return fn
    return register


def stored(doc: Doc, name: str) -> Any:
    """`doc._.<name>`, read straight from `doc.user_data` where spaCy keeps extension values (each read of
    `doc._` builds a new accessor object: too slow for the helpers called per token or per sentence)."""
    return doc.user_data.get(("._.", name, None, None))


def annotate(doc: Doc, situation: Situation) -> Doc:
    """Compute every feature of a draft, in order, onto its Doc (written where `doc._.<name> = value` would
    write it, without building an accessor per feature)."""
    data = doc.user_data
    for name, fn in FEATURES.items():
        data[("._.", name, None, None)] = fn(doc, situation)
    return doc


def per_doc(doc: Doc, name: str, compute: Callable[[Doc], Any]) -> Any:
    """`compute(doc)`, computed once per Doc and kept in its `user_data` (for look-up tables the features share)."""
    key = ("outreach-lint", name)
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = compute(doc)
    return found


def tokens(doc: Doc) -> list[Token]:
    """The Doc's tokens as one list, built once per Doc: each `for t in doc` builds a new Token object per token,
    which was the largest single cost of the features."""
    return per_doc(doc, "tokens", list)


def span_tokens(span: Span) -> list[Token]:
    """A span's tokens from the Doc's cached list (iterating a Span builds a Token per token, as a Doc does)."""
    return tokens(span.doc)[span.start:span.end]


def span_text(span: Span) -> str:
    """`span.text`, sliced from the draft's text built once (spaCy joins the span's tokens anew on each read)."""
    whole = stored(span.doc, "text")
    return span.text if whole is None else whole[span.start_char:span.end_char]


def _lowers(doc: Doc) -> list[str]:
    strings = doc.vocab.strings
    return [strings[h] for h in doc.to_array(LOWER).tolist()]


def _lemmas(doc: Doc) -> list[str]:
    strings = doc.vocab.strings
    return [strings[h].lower() for h in doc.to_array(LEMMA).tolist()]


def lowers(doc: Doc) -> list[str]:
    """Each token's `lower_`, by token index, read once per Doc."""
    return per_doc(doc, "lowers", _lowers)


def lemmas(doc: Doc) -> list[str]:
    """Each token's `lemma_.lower()`, by token index, read once per Doc."""
    return per_doc(doc, "lemmas", _lemmas)


def doc_lemmas(doc: Doc) -> frozenset[str]:
    """Every token's lemma in lower case, as a set, computed once per Doc."""
    return per_doc(doc, "doc_lemmas", lambda d: frozenset(lemmas(d)))


def span_words(span: Span) -> set[str]:
    """The lower-case lemmas and forms of a span's tokens (`{t.lemma_.lower()} | {t.lower_}` over the span)."""
    start, end = span.start, span.end
    return set(lemmas(span.doc)[start:end]) | set(lowers(span.doc)[start:end])


from . import text, parties, clauses, offers, asks, evidence, pressure, focus  # noqa: E402,F401  (registration order)
