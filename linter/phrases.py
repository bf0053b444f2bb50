"""Phrase lists from `data/phrases.toml`, matched by the `outreach_phrases` pipeline component into labelled
spans (`doc.spans["phrases"]`), plus the phrases a team's config adds to a list."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.util import filter_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

SPAN_KEY = "phrases"


@lru_cache(maxsize=1)
def data() -> dict[str, dict]:
    """The whole phrases.toml: `phrases` (lists by label), `links`, `normalise`."""
    return tomllib.loads(resources.files("linter").joinpath("data/phrases.toml").read_text(encoding="utf-8"))


def list_names() -> set[str]:
    """Names of the phrase lists a config may extend."""
    return set(data()["phrases"])


def _matcher(nlp_or_vocab, lists: dict[str, tuple[str, ...]], make_doc):
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp_or_vocab, attr="LOWER")
    for label, items in lists.items():
        if items:
            matcher.add(label, [make_doc(p.lower()) for p in items])
    return matcher


class PhraseSpans:
    """Pipeline component: every phrase list's matches as spans labelled with the list's name."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = _matcher(nlp.vocab, {k: tuple(v) for k, v in data()["phrases"].items()}, nlp.make_doc)

    def __call__(self, doc: "Doc") -> "Doc":
        doc.spans[SPAN_KEY] = self.matcher(doc, as_spans=True)
        return doc


@Language.factory("outreach_phrases", assigns=["doc.spans"], default_config={})
def make_phrase_spans(nlp: Language, name: str) -> PhraseSpans:
    return PhraseSpans(nlp)


_EXTRA: dict[tuple[int, str, tuple[str, ...]], object] = {}


def find(doc: "Doc", label: str, extra: tuple[str, ...] = ()) -> list["Span"]:
    """Non-overlapping matches of a phrase list (plus a config's extra phrases), longest first, in text order."""
    if SPAN_KEY in doc.spans:
        spans = list(_by_label(doc).get(label, ()))
    else:  # a pipeline without the component (a bare spacy.load): match here
        spans = _extra_matcher(doc, label, tuple(data()["phrases"][label]))(doc, as_spans=True)
    if extra:
        spans = [*spans, *_extra_matcher(doc, label, tuple(extra))(doc, as_spans=True)]
    return sorted(filter_spans(spans), key=lambda s: s.start)


def _by_label(doc: "Doc") -> dict[str, list["Span"]]:
    """The component's spans grouped by list name, once per Doc."""
    key = ("outreach-lint", "phrases")
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = {}
        for span in doc.spans[SPAN_KEY]:
            found.setdefault(span.label_, []).append(span)
    return found


def _extra_matcher(doc: "Doc", label: str, phrases: tuple[str, ...]):
    key = (id(doc.vocab), label, phrases)
    if key not in _EXTRA:
        from spacy.lang.en import English

        _EXTRA[key] = _matcher(doc.vocab, {label: phrases}, English(vocab=doc.vocab).make_doc)
    return _EXTRA[key]
