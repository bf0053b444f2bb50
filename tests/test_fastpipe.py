"""The fast stand-ins of linter/fastpipe.py (attribute ruler, lemmatizer, NER) give what
spaCy's own components give, token for token, and the
linter gives the same findings and confidences with them as with the stock pipeline, on every corpus draft."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from linter import Config, Source, fastpipe, lint_many, nlp as nlp_mod
from linter.evaluate import load_records
from linter.profile import from_mapping

from conftest import REPO


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return load_records([str(REPO / "corpora")])


def _tokens(doc: Doc) -> list[tuple]:
    return [(t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.lemma_, t.ent_type_, t.ent_iob_) for t in doc]


def test_attribute_ruler_and_lemmatizer_match_spacys_on_the_corpora(records):
    stock = spacy.load(nlp_mod.resolve_model(None), exclude=["ner"])
    ruler, lemmatizer = stock.get_pipe("attribute_ruler"), stock.get_pipe("lemmatizer")
    fast_ruler = fastpipe.FastAttributeRuler().bind(ruler)
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        parsed = list(stock.pipe([r["text"] for r in records] + ["", "   ", "Hi ain't y'all nothin' there"]))
    assert len(parsed) > 800
    fast_lemmatizer = fastpipe.FastLemmatizer().bind(lemmatizer)  # after: it re-indexes the lemma tables
    for doc in parsed:
        ours = Doc(doc.vocab).from_bytes(doc.to_bytes())
        assert fast_ruler.match(ours) == ruler.match(doc)
        ruler(doc)
        lemmatizer(doc)
        fast_lemmatizer(fast_ruler(ours))
        assert _tokens(ours) == _tokens(doc), doc.text
    assert any(t.lemma_ == "be" and t.lower_ in ("is", "'s") for d in parsed for t in d)


def test_ner_matches_spacys_on_the_corpora(records):
    stock = spacy.load(nlp_mod.resolve_model(None))
    stock.add_pipe("outreach_paragraphs", before="parser")  # the linter's sentence starts: entities stop at them
    ner = stock.get_pipe("ner")
    assert fastpipe.FastNER.supports(ner)
    fast = fastpipe.FastNER().bind(ner)
    edge = ["", "   ", "\n\nHi Ana,\n\n  Met Ann Lee of Acme Corp in Paris on 3 May 2024 for $5,000.  ", "Anna",
            "Thanks\n\nJonas"]
    with stock.select_pipes(disable=["ner"]):
        parsed = list(stock.pipe([r["text"] for r in records] + edge))
    ours = [Doc(d.vocab).from_bytes(d.to_bytes()) for d in parsed]
    list(fast.pipe(ours, batch_size=64))
    theirs = list(ner.pipe(parsed, batch_size=64))
    assert [_tokens(d) for d in ours] == [_tokens(d) for d in theirs]
    assert sum(len(d.ents) for d in ours) > 500
    assert {e.label_ for d in ours[-5:] for e in d.ents} >= {"PERSON", "ORG", "GPE", "DATE", "MONEY"}


def test_ner_leaves_preset_entities_to_spacy():
    stock = spacy.load(nlp_mod.resolve_model(None))
    fast = fastpipe.FastNER().bind(stock.get_pipe("ner"))
    with stock.select_pipes(disable=["ner"]):
        doc = stock("I met Ann Lee at Acme in Paris.")
    doc.set_ents([doc.char_span(17, 21, label="PRODUCT")], default="unmodified")  # "Acme", preset
    fast(doc)
    assert ("Acme", "PRODUCT") in [(e.text, e.label_) for e in doc.ents]
    assert ("Paris", "GPE") in [(e.text, e.label_) for e in doc.ents]


@pytest.mark.integration  # two full lints of the corpora (about 35 s on 2 cores)
def test_findings_and_confidences_match_the_stock_pipeline_on_the_corpora(records, monkeypatch):
    sources = [Source(text=r["text"], path=str(r.get("id", i)), stage=r.get("stage"),
                      profile=from_mapping(r["profile"], "profile") if r.get("profile") else None,
                      sequence_step=r.get("sequence_step"), replied=r.get("replied"))
               for i, r in enumerate(records)]

    def run() -> list[tuple]:
        return [(r.path, r.confidence, r.metrics, [f.to_dict() for f in r.findings])
                for r in lint_many(sources, Config())]

    tuned = run()
    assert any(name == "lemmatizer" and isinstance(proc, fastpipe.FastLemmatizer)
               for name, proc in nlp_mod.load(None, ner=True).pipeline)
    nlp_mod.load.cache_clear()
    monkeypatch.setattr(fastpipe, "tune", lambda nlp: nlp)  # spaCy's components and BLIS, as shipped
    try:
        stock = run()
        assert not any(isinstance(proc, fastpipe.FastLemmatizer) for _, proc in nlp_mod.load(None, ner=True).pipeline)
    finally:
        nlp_mod.load.cache_clear()  # later tests load the tuned pipeline again
    assert sum(len(findings) for *_, findings in tuned) > len(records)  # a real run
    assert tuned == stock


def test_the_features_token_lists_and_sentence_texts_equal_spacys(records):
    """`tokens`, `span_tokens` and `span_text` (read from lists and text built once per Doc) give what iterating
    the Doc or the Span and `span.text` give, on corpus drafts with their sentences, paragraphs and odd spacing."""
    from linter.features import span_text, span_tokens, tokens

    texts = [r["text"] for r in records[::4]] + ["Hi  Ana,\n\n\n  two  spaces . And a tab\there?  ", "x"]
    reports = list(lint_many([Source(text=t, path=f"d{i}", stage="cold") for i, t in enumerate(texts)],
                             keep_analysis=True))
    docs = [r.analysis[0] for r in reports]
    assert len(docs) == len(texts) and all(d is not None for d in docs)
    for doc in docs:
        assert [t.i for t in tokens(doc)] == [t.i for t in doc]
        for sent in doc.sents:
            assert span_text(sent) == sent.text
            assert [t.i for t in span_tokens(sent)] == [t.i for t in sent]
