"""Faster, output-identical stand-ins for the slow parts of a loaded spaCy pipeline (issue 14).

`tune(nlp)` swaps, in place and under the same names:
- `attribute_ruler`: the same rules applied in the same order, but its matches are found by dictionary look-up
  on each token's attributes instead of spaCy's Matcher (which tries every pattern at every token);
- `lemmatizer`: the same rule lemmatizer, memoised on (word, part of speech, morphology) for every token (spaCy
  caches only the words it looks up in its tables, and recomputes base forms every time), its word index
  searched by hash rather than through a list of 57,000 words;
- `ner`: the same model and the same greedy BILUO decoding, but the transition loop runs over the whole batch
  at once in numpy (spaCy's loop checks all 74 moves one by one for every token of every draft, and that loop,
  not the model, was most of the NER time);
- the models' matrix products go to numpy's BLAS on one thread instead of BLIS (2x faster on AMD EPYC).

Each is checked against the stock component by `tests/test_fastpipe.py`.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.attrs import DEP, ENT_IOB, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    from spacy.pipeline import AttributeRuler, Lemmatizer

_COLUMNS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}  # attributes the fast matcher reads, by to_array column
_ARRAY = [LOWER, TAG, DEP, IS_SPACE]


def tune(nlp: Language) -> Language:
    """Swap the pipeline's slow components for the fast ones above (in place)."""
    _numpy_gemm(nlp)
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        nlp.replace_pipe("attribute_ruler", "outreach_attribute_ruler").bind(ruler)
    if "lemmatizer" in nlp.pipe_names and getattr(nlp.get_pipe("lemmatizer"), "mode", None) == "rule":
        lemmatizer = nlp.get_pipe("lemmatizer")
        nlp.replace_pipe("lemmatizer", "outreach_lemmatizer").bind(lemmatizer)
    if "ner" in nlp.pipe_names and FastNER.supports(nlp.get_pipe("ner")):
        ner = nlp.get_pipe("ner")
        nlp.replace_pipe("ner", "outreach_ner").bind(ner)
    return nlp


def _numpy_gemm(nlp: Language) -> None:
    """The models multiply through numpy (OpenBLAS, one thread: small matrices, and cores shared with workers)."""
    from thinc.api import NumpyOps

    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
    except ImportError:  # pragma: no cover (a declared dependency)
        return  # multi-threaded OpenBLAS on small matrices is slower than BLIS: keep BLIS
    ops = NumpyOps(use_blis=False)
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                if type(node.ops) is NumpyOps:
                    node.ops = ops


class FastAttributeRuler:
    """spaCy's AttributeRuler with its matches found by look-up; it sets them with the ruler's own code."""

    def bind(self, ruler: "AttributeRuler") -> "FastAttributeRuler":
        self.ruler = ruler
        self.index: list[dict[int, list]] = [{} for _ in _COLUMNS]  # per column: value -> candidate patterns
        self.scan: list = []  # patterns whose first token has no test to look up: tried at every token
        rest = Matcher(ruler.vocab)
        for i, entry in enumerate(ruler.patterns):
            key = str(i)
            m_id = ruler.vocab.strings.add(key)
            for pattern in entry["patterns"]:
                compiled = _compile(pattern)
                if compiled is None:
                    rest.add(key, [pattern])
                    continue
                candidate = (i, m_id, compiled)
                lookups = [(col, value) for col, kind, value in compiled[0] if kind == "=="]
                members = [(col, value) for col, kind, value in compiled[0] if kind == "in"]
                if lookups:
                    col, value = min(lookups)  # LOWER first: the most selective
                    self.index[col].setdefault(value, []).append(candidate)
                elif members:
                    col, values = min(members, key=lambda m: (len(m[1]), m[0]))
                    for value in values:
                        self.index[col].setdefault(value, []).append(candidate)
                else:
                    self.scan.append(candidate)
        self.rest = rest if len(rest) else None
        return self

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """The matches AttributeRuler.match returns: (rule number, match id, start, end), sorted."""
        rows = doc.to_array(_ARRAY).tolist() if len(doc) else []
        strings = doc.vocab.strings
        n = len(rows)
        found = []
        for start, row in enumerate(rows):
            for col, table in enumerate(self.index):
                for i, m_id, compiled in table.get(row[col], ()):
                    if _matches(compiled, rows, start, n, strings):
                        found.append((i, m_id, start, start + len(compiled)))
            for i, m_id, compiled in self.scan:
                if _matches(compiled, rows, start, n, strings):
                    found.append((i, m_id, start, start + len(compiled)))
        if self.rest is not None:
            found.extend((int(strings[m]), m, s, e) for m, s, e in self.rest(doc, allow_missing=True, as_spans=False))
        found.sort()
        return found


def _matches(compiled: tuple, rows: list[list[int]], start: int, n: int, strings) -> bool:
    if start + len(compiled) > n:
        return False
    for k, tests in enumerate(compiled):
        row = rows[start + k]
        for col, kind, value in tests:
            got = row[col]
            if kind == "==":
                if got != value:
                    return False
            elif kind == "in":
                if got not in value:
                    return False
            elif kind == "not in":
                if got in value:
                    return False
            elif value.search(strings[got] if got else "") is None:  # a regex, on the attribute's text
                return False
    return True


def _compile(pattern: list[dict]) -> tuple | None:
    """A pattern of tests on LOWER, TAG, DEP and IS_SPACE (equal, IN, NOT_IN, REGEX) as ((column, kind, value),
    ...) per token; None for anything else (left to a Matcher)."""
    out = []
    for spec in pattern:
        tests = []
        for attr, value in spec.items():
            col = _COLUMNS.get(attr.upper())
            if col is None:
                return None
            if attr.upper() == "IS_SPACE":
                if not isinstance(value, bool):
                    return None
                tests.append((col, "==", int(value)))
            elif isinstance(value, str):
                tests.append((col, "==", get_string_id(value)))
            elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"} \
                    and all(isinstance(v, str) for v in next(iter(value.values()))):
                op, values = next(iter(value.items()))
                tests.append((col, "in" if op == "IN" else "not in", frozenset(map(get_string_id, values))))
            elif isinstance(value, dict) and list(value) == ["REGEX"] and isinstance(value["REGEX"], str):
                tests.append((col, "regex", re.compile(value["REGEX"])))
            else:
                return None
        if not tests:
            return None
        out.append(tuple(sorted(tests, key=lambda t: (t[1] != "==", t[0]))))
    return tuple(out) if out else None


class _WordList(list):
    """A list of words whose `in` is a set look-up (spaCy's lemma index is a list of tens of thousands)."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(words)
        self._members = frozenset(words)

    def __contains__(self, word: object) -> bool:
        return word in self._members


MEMO_LIMIT = 50_000  # (word, part of speech, morphology) triples kept; a day of drafts uses a few thousand


class FastLemmatizer:
    """spaCy's rule lemmatizer, memoised on every (word, part of speech, morphology) it sees."""

    def bind(self, lemmatizer: "Lemmatizer") -> "FastLemmatizer":
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], int] = {}
        if lemmatizer.lookups.has_table("lemma_index"):  # its word lists, searched with `in`: searched by hash
            index = lemmatizer.lookups.get_table("lemma_index")
            for pos, words in list(index.items()):
                if isinstance(words, list):
                    index[pos] = _WordList(words)
        return self

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        inner, memo, strings = self.lemmatizer, self.memo, doc.vocab.strings
        if not inner._validated:
            inner._validate_tables()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not inner.overwrite:
                continue
            key = (orth, pos, morph)
            value = memo.get(key)
            if value is None:
                if len(memo) >= MEMO_LIMIT:  # bounded: a long run of new words must not grow it for ever
                    memo.clear()
                value = memo[key] = strings.add(inner.lemmatize(doc[i])[0])
            doc[i].lemma = value
        return doc


_BEGIN, _IN, _LAST, _UNIT, _OUT = range(5)


class FastNER:
    """spaCy's greedy NER decoder (BiluoPushDown, beam width 1) with the same model, vectorised over a batch.

    Every BILUO move consumes one token, so at step t every unfinished draft of a batch reads token t: a draft's
    state is whether an entity is open, its label and its start. The features (the token, the open entity's
    first token, the token before), the hidden layer (sum of the precomputed feature rows, bias, maxout), the
    scores and the valid-move mask are what spaCy's `_parseC` computes, for all drafts at once. Drafts with
    entities already set (none in the linter's pipeline) go to the stock component."""

    @staticmethod
    def supports(ner) -> bool:
        model = getattr(ner, "model", None)
        try:
            return (ner.cfg.get("beam_width") == 1 and model.attrs.get("has_upper") and
                    not model.attrs.get("unseen_classes") and len(model.layers) == 3 and
                    model.layers[1].get_dim("nF") == 3 and
                    all(ner.moves.get_class_name(i)[:1] in "BILUO" for i in range(ner.moves.n_moves)))
        except (AttributeError, KeyError, ValueError):  # pragma: no cover (a pipeline of another shape)
            return False

    def bind(self, ner) -> "FastNER":
        import numpy as np

        self.ner = ner
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        kinds = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT, "O": _OUT}
        self.kind = np.array([kinds[n[0]] for n in names])
        labels = [n[2:] for n in names]
        label_ids = {lab: i for i, lab in enumerate(sorted(set(labels) - {""}), start=1)}
        self.label_of = np.array([label_ids.get(lab, 0) for lab in labels])
        self.label_names = {i: lab for lab, i in label_ids.items()}
        return self

    def __call__(self, doc: Doc) -> Doc:
        self._tag([doc])
        return doc

    def pipe(self, docs, *, batch_size: int = 256):
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            self._tag(batch)
            yield from batch

    def _tag(self, docs: list[Doc]) -> None:
        import numpy as np

        docs = [d for d in docs if len(d)]
        if not docs:
            return
        if any(d.to_array(ENT_IOB).any() for d in docs):  # preset entities: the stock component honours them
            states = self.ner.predict(docs)
            self.ner.set_annotations(docs, states)
            return
        tok2vec, lower, upper = self.ner.model.layers
        cached = lower.predict(tok2vec.predict(docs))  # (tokens + 1, 3, nO, nP); row 0 is the padding
        bias = lower.get_param("b")
        w, b = upper.get_param("W"), upper.get_param("b")
        lengths = np.array([len(d) for d in docs])
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        space = np.concatenate([d.to_array([IS_SPACE]).reshape(-1) for d in docs]).astype(bool)
        starts = np.concatenate([d.to_array([SENT_START]).reshape(-1) for d in docs]) == 1
        n = len(docs)
        is_open = np.zeros(n, bool)
        open_label = np.zeros(n, int)
        ent_start = np.zeros(n, int)
        found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        kind, label_of = self.kind, self.label_of
        is_b, is_i, is_l, is_u, is_o = (kind == k for k in (_BEGIN, _IN, _LAST, _UNIT, _OUT))
        labelled = label_of != 0
        for t in range(int(lengths.max())):
            act = np.flatnonzero(lengths > t)
            pos = offsets[act] + t
            opened = is_open[act]
            f1 = np.where(opened, offsets[act] + ent_start[act] + 1, 0)
            f2 = np.where(opened, pos, 0)  # the token before: (pos - 1) + 1
            hidden = cached[pos + 1, 0] + cached[f1, 1]
            hidden += cached[f2, 2]
            hidden += bias
            scores = hidden.max(axis=-1) @ w.T
            scores += b
            last = (lengths[act] - 1 == t)[:, None]
            nxt = np.minimum(pos + 1, len(starts) - 1)
            sent_next = (starts[nxt] & (lengths[act] - 1 > t))[:, None]
            sp = space[pos][:, None]
            closed = ~opened[:, None]
            same = label_of[None, :] == open_label[act][:, None]
            valid = closed & ((is_b & labelled & ~last & ~sent_next & ~sp) | (is_u & labelled & ~sp) | is_o) | \
                ~closed & same & labelled & ((is_i & ~last & ~sent_next) | is_l)
            guess = np.where(valid, scores, -np.inf).argmax(axis=1)
            moved = kind[guess]
            begin, unit, end = act[moved == _BEGIN], act[moved == _UNIT], act[moved == _LAST]
            if len(begin):
                is_open[begin], open_label[begin], ent_start[begin] = True, label_of[guess[moved == _BEGIN]], t
            for j, lab in zip(unit.tolist(), label_of[guess[moved == _UNIT]].tolist()):
                found[j].append((t, t + 1, lab))
            for j in end.tolist():
                is_open[j] = False
                found[j].append((int(ent_start[j]), t + 1, int(open_label[j])))
        for doc, ents in zip(docs, found):
            doc.set_ents([Span(doc, s, e, label=self.label_names[lab]) for s, e, lab in ents], default="outside")


@Language.factory("outreach_ner")
def _make_ner(nlp: Language, name: str) -> FastNER:
    return FastNER()


@Language.factory("outreach_attribute_ruler")
def _make_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler()


@Language.factory("outreach_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
    return FastLemmatizer()
