"""Whether a message offers the recipient an easy way out, using the linter's own `opt_out` phrase list (and a
config's additions) on spaCy's rule-based English tokenizer: no model needed."""
from __future__ import annotations

from functools import lru_cache

from ..config import Config


@lru_cache(maxsize=1)
def _blank():
    from spacy.lang.en import English

    return English()


def offers_exit(text: str, config: Config) -> bool:
    from .. import phrases

    doc = _blank().make_doc(text)
    return bool(phrases.find(doc, "opt_out", config.phrases.get("opt_out", ())))
