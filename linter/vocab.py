"""Word classes from `data/vocab.toml`: every pronoun set and vocabulary the features read, in one place."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _data() -> dict[str, dict[str, list[str]]]:
    return tomllib.loads(resources.files("linter").joinpath("data/vocab.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def words(section: str, *names: str) -> frozenset[str]:
    """A word class as a set of lower-case lemmas or words, e.g. words("verbs", "perceive"); with several names,
    their union, built once (words("pronouns", "recipient", "recipient_possessive"))."""
    return frozenset(w.lower() for name in names for w in _data()[section][name])


def has(token, section: str, name: str) -> bool:
    """True when a token's lemma or lower-case form is in a word class."""
    cls = words(section, name)
    return token.lemma_.lower() in cls or token.lower_ in cls
