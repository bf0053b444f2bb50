"""Phrase lists from `data/phrases.toml` and the shared helpers that match them on a Doc."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab


@lru_cache(maxsize=1)
def data() -> dict[str, dict[str, list[str]]]:
    text = resources.files("linter").joinpath("data/phrases.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


# The phrase lists matched on text, which a team may extend from config (`[tool.outreach-lint.phrases]`).
EXTENSIBLE = {"urgency": "hard_sell", "nag": "hard_sell", "opt_out": "hard_sell", "scripted_opener": "hard_sell",
              "fit_pitch": "hard_sell", "advice": "hard_sell", "fake_hook": "personalisation",
              "generic_greeting": "personalisation", "relationship": "personalisation", "brag": "self_centred",
              "sender_need": "self_centred", "offer_hype": "self_centred"}


def list_names() -> set[str]:
    """Names of the phrase lists a config may extend."""
    return set(EXTENSIBLE)


@lru_cache(maxsize=None)
def words(section: str, name: str) -> frozenset[str]:
    """A vocabulary (single words or lemmas) as a set."""
    return frozenset(w.lower() for w in data()[section][name])


_MATCHERS: dict[tuple[int, str, str, tuple[str, ...]], object] = {}
_TOKENIZERS: dict[int, object] = {}  # id(vocab) -> the loaded pipeline's tokenizer, see use_tokenizer


def use_tokenizer(vocab: "Vocab", tokenizer) -> None:
    """Tokenize phrase patterns for this vocab with the pipeline's own tokenizer (nlp.load registers it)."""
    _TOKENIZERS[id(vocab)] = tokenizer


@lru_cache(maxsize=1)
def _tokenizer():
    """spaCy's English tokenizer rules with no model, for a vocab no loaded pipeline registered."""
    from spacy.lang.en import English

    return English().tokenizer


def _matcher(vocab: "Vocab", section: str, name: str, extra: tuple[str, ...]):
    key = (id(vocab), section, name, extra)
    if key not in _MATCHERS:
        from spacy.matcher import PhraseMatcher

        tokenizer = _TOKENIZERS.get(id(vocab)) or _tokenizer()
        matcher = PhraseMatcher(vocab, attr="LOWER")
        matcher.add(name, [tokenizer(p.lower()) for p in (*data()[section][name], *extra)])
        _MATCHERS[key] = matcher
    return _MATCHERS[key]


def find(doc: "Doc", section: str, name: str, extra: tuple[str, ...] = ()) -> list["Span"]:
    """Non-overlapping matches of a phrase list (plus a config's extra phrases), longest first, in text order."""
    from spacy.util import filter_spans

    matches = _matcher(doc.vocab, section, name, tuple(extra))(doc, as_spans=True)
    return sorted(filter_spans(matches), key=lambda s: s.start)
