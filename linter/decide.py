"""The family decision: how loud each rule's candidates are, from one calibrated score per family.

For each family (hard sell, personalisation, self-centred) a draft's interpretable signals (its offers, asks,
research evidence, sentence focus, brags and the rule candidates themselves) form a small vector; a logistic model
fitted on labelled messages (`data/decision.json`, refitted by `python tools/fit_decision.py`) turns it into a
confidence. Below the family's threshold its candidates are hints (`info`); at or above it they keep their
severity, and if none is a warning the strongest becomes one. Decisive rules (placeholders, a wrong name, form
limits) stand either way, and a rule only ever speaks through a candidate that quotes its words.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Iterable

from .features import span_text
from .features.offers import has_price
from .features.pressure import chase_only
from .features.text import body_sentences
from .rules import Context, Hit

if TYPE_CHECKING:
    from .rules import Rule

FAMILIES = ("hard-sell", "personalisation", "self-centred")
LOUD = ("warning", "error")


def _cap(n: float, top: float = 2.0) -> float:
    return min(float(n), top)


def signals(ctx: Context, hits: list[Hit]) -> dict[str, dict[str, float]]:
    """The per-family signal vectors of one draft (names are the keys the fitted weights use)."""
    doc = ctx.doc
    stage = ctx.stage
    codes = {h.code for h in hits}
    offers, asks = doc._.offers, doc._.asks
    selling = [o for o in offers if o.strength != "soft"]
    meeting = [a for a in asks if a.kind in ("meeting", "demo")]
    words = len(doc._.text.split())
    common = {"first_touch": float(ctx.first_touch), "follow_up": float(stage == "follow-up"),
              "cold": float(stage == "cold"), "connection_request": float(stage == "connection-request"),
              "known": float(ctx.known), "words": math.log1p(words) / 5}
    hard_sell = {
        **common,
        "offer_pitch": float(any(o.kind in ("product", "service", "collab") for o in selling)),
        "offer_job": float(any(o.kind == "job" for o in selling)),
        "offer_strong": float(any(o.strength == "strong" for o in offers)),
        "offer_soft": float(any(o.strength == "soft" for o in offers)),
        "offer_first_touch": float(bool(selling) and ctx.first_touch),
        # a first-touch pitch with an ask attached to it
        "offer_with_ask": float(bool(selling) and ctx.first_touch and any(
            a.kind not in ("advice", "guest", "intro") and a.purpose != "advice" for a in asks)),
        "ask_meeting_sales": float(any(a.purpose == "sales" or a.kind == "demo" for a in meeting) or
                                   bool(meeting) and bool(selling)),
        "ask_meeting_plain": float(any(a.purpose == "none" for a in meeting) and not selling),
        "ask_meeting_soft": float(any(a.purpose in ("advice", "relationship") for a in meeting)),
        "ask_timed": float(any(a.timed for a in meeting)),
        "ask_push": float(any(a.kind in ("buy", "apply", "promote") for a in asks)),
        "ask_guest": float(any(a.kind == "guest" for a in asks)),
        "ask_intro": float(any(a.kind == "intro" for a in asks)),
        "ask_advice": float(any(a.kind == "advice" or a.purpose == "advice" for a in asks)),
        "ask_interest": float(any(a.kind == "interest" for a in asks)),
        "meeting_first_touch": float(bool(meeting) and ctx.first_touch and not ctx.known),
        "meeting_follow_up": float(bool(meeting) and stage == "follow-up"),
        "urgency": _cap(len(doc._.urgency), 1),
        "sales_link": float(any(h.code == "HS004" and h.severity is None for h in hits)),
        "price": float(any(has_price(span_text(s)) for s in doc._.sentences)),
        "nag": _cap(len(doc._.nags)),
        "nag_without_exit": float(bool(doc._.nags) and not doc._.opt_outs),
        "chase": float(bool(doc._.chases)),
        "chase_without_exit": float(bool(doc._.chases) and not doc._.opt_outs),
        # a chase and nothing else: no research, nothing offered, no question about them
        "chase_only": float(chase_only(doc)),
        "opt_out": float(bool(doc._.opt_outs)),
        "scripted_opener": float(bool(doc._.scripted_openers)),
        "hs001": float("HS001" in codes), "hs006": float("HS006" in codes),
    }
    ev = doc._.evidence
    personalisation = {
        **common,
        "placeholder": float(bool(doc._.placeholders)),
        "fake_hook": _cap(sum(h.code == "PZ002" for h in hits)) if not ev else 0.0,  # filler beside real research
        "generic_greeting": float("PZ005" in codes),
        "greeting_name": float(doc._.greeting.name is not None),
        "ev_work": _cap(sum(e.kind == "their work" for e in ev)),
        "ev_did": _cap(sum(e.kind == "what they did" for e in ev)),
        "ev_took_in": _cap(sum(e.kind == "took in their work" for e in ev)),
        "ev_news": _cap(sum(e.kind in ("their news", "quotes them") for e in ev)),
        "ev_person": _cap(sum(e.kind == "shared connection" for e in ev)),
        "relationship": _cap(len(doc._.relationship)),
        "facts_used": _cap(len(doc._.facts_used)),
        "profile": float(ctx.profile is not None),
        "merge_mentions": _cap(len(doc._.merge_mentions)),
        "questions": _cap(sum(1 for s in doc._.sentences if span_text(s).rstrip().endswith("?"))),
        # it opens by answering them ("Yes, of course.", "The State Department does."): a conversation
        "answers": float(_answers(doc)),
        "reply": float(stage == "reply"),
    }
    focus = doc._.focus
    n_sender = sum(f.side == "sender" and not f.tied for f in focus)
    n_recipient = sum(f.side == "recipient" or f.tied for f in focus)
    # what a draft is about, not when it is sent: no stage or length signals (fitted with them, the model learns
    # the stage mix of its training set, not self-centredness)
    self_centred = {
        "sender_share": n_sender / (n_sender + n_recipient) if n_sender + n_recipient else 0.0,
        "sender_sentences": math.log1p(n_sender),
        "recipient_sentences": math.log1p(n_recipient),
        "mixed": math.log1p(sum(f.side == "both" and not f.tied for f in focus)),
        "tied": _cap(sum(f.tied for f in focus)),
        "brags": _cap(len(doc._.brags)),
        "credentials": _cap(len(doc._.credentials)),
        "needs": _cap(len(doc._.sender_needs)),
        "favours": _cap(sum(a.kind in ("promote", "favour") for a in asks)),
        "offer_pitch": float(bool(selling)),
        "offer_strong": float(any(o.strength == "strong" for o in offers)),
        "feature_list": float("SC004" in codes),
        "opens_on_sender": float("SC001" in codes),
        "evidence": _cap(len(ev)),
        "sc002": float("SC002" in codes),
        # every sentence that is about anyone is the sender's, and nothing ties it to them
        "all_sender": float(n_sender > 0 and n_recipient == 0 and not ev and not any(f.side == "both" for f in focus)),
        "promote_after_research": float(bool(ev) and any(a.kind in ("promote", "favour") for a in asks)),
        "reply": float(stage == "reply"),
    }
    return {"hard-sell": hard_sell, "personalisation": personalisation, "self-centred": self_centred}


ANSWER_WORDS = {"yes", "yeah", "yep", "no", "nope", "sure", "absolutely", "definitely", "certainly", "indeed",
                "correct", "exactly", "agreed", "right"}
ANSWER_NOUNS = {"question", "point", "catch", "call", "spot"}  # "Good catch", "Fair question": their point first


def _answers(doc) -> bool:
    """The first body sentence answers something: a yes/no word first, or an elliptical clause whose verb is a
    bare auxiliary ("The State Department does.", "It is.", "We can.")."""
    body = body_sentences(doc)
    if not body:
        return False
    first = body[0]
    words = [t for t in first if t.is_alpha]
    if words and words[0].lower_ in ANSWER_WORDS and (len(words) <= 6 or doc[words[0].i + 1].is_punct):
        return True
    if 1 < len(words) <= 3 and (words[0].lower_ == "not" or words[-1].lemma_.lower() in ANSWER_NOUNS):
        return True  # "Not yet.", "Good catch, ...", "Fair question!"
    root = first.root
    return root.lemma_.lower() in ("do", "be", "have", "can", "will") and all(
        c.dep_ in ("nsubj", "punct", "neg", "advmod", "intj") for c in root.children) and any(
        c.dep_ == "nsubj" for c in root.children)  # "It does, yes."


@dataclass(frozen=True)
class Model:
    """A fitted logistic model for one family: standardised features, weights, bias, threshold."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def confidence(self, vector: dict[str, float]) -> float:
        z = self.bias + sum(w * (vector.get(f, 0.0) - m) / s
                            for f, m, s, w in zip(self.features, self.mean, self.scale, self.weights))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": round(self.threshold, 4), "bias": round(self.bias, 6),
                "features": {f: {"weight": round(w, 6), "mean": round(m, 6), "scale": round(s, 6)}
                             for f, w, m, s in zip(self.features, self.weights, self.mean, self.scale)}}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "Model":
        feats = raw["features"]
        names = tuple(feats)
        return cls(names, tuple(feats[n]["mean"] for n in names), tuple(feats[n]["scale"] for n in names),
                   tuple(feats[n]["weight"] for n in names), float(raw["bias"]), float(raw["threshold"]))


@lru_cache(maxsize=1)
def models() -> dict[str, Model]:
    """The shipped models (data/decision.json); none when the file has no models (every candidate stands)."""
    raw = json.loads(resources.files("linter").joinpath("data/decision.json").read_text(encoding="utf-8"))
    return {fam: Model.from_dict(spec) for fam, spec in raw.get("families", {}).items()}


@dataclass
class Judgement:
    """A draft's family confidences and its candidates' final severities."""

    confidence: dict[str, float] = field(default_factory=dict)
    vectors: dict[str, dict[str, float]] = field(default_factory=dict)


def settle(hits: list[Hit], stage: str, rules: dict[str, "Rule"], confidence: dict[str, float],
           thresholds: dict[str, float]) -> list[tuple[Hit, str]]:
    """Each candidate with its severity after the family decision (before config overrides). A weak candidate
    (a rule's evidence too thin to speak alone) is shown only when its family is flagged and it is the one
    chosen to carry the finding."""
    out: list[tuple[Hit, str]] = []
    by_family: dict[str, list[int]] = {}
    for hit in hits:
        meta = rules[hit.code]
        severity = hit.severity or meta.severity_for(stage)
        fam = meta.category
        if fam in confidence and not meta.decisive:
            if confidence[fam] < thresholds[fam]:
                severity = "info"
            else:
                by_family.setdefault(fam, []).append(len(out))
        out.append((hit, severity))
    for fam, idx in by_family.items():
        # a candidate its rule softened on purpose (they know each other, an advice request) stays a hint
        loud = [i for i in idx if rules[out[i][0].code].severity_for(stage) in LOUD and out[i][0].severity is None]
        if loud and not any(out[i][1] in LOUD and not out[i][0].weak for i in idx):
            best = max(loud, key=lambda i: (not out[i][0].weak, out[i][0].strength))
            out[best] = (replace(out[best][0], weak=False), "warning")
    return [(hit, severity) for hit, severity in out if not hit.weak]


def judge(ctx: Context, hits: list[Hit], fitted: dict[str, Model] | None = None) -> Judgement:
    """Signals and confidences of one draft under the fitted (or given) models."""
    fitted = models() if fitted is None else fitted
    vectors = signals(ctx, hits)
    return Judgement({fam: round(m.confidence(vectors[fam]), 4) for fam, m in fitted.items()}, vectors)


# -- fitting ------------------------------------------------------------------------------------------------------

# Which way each signal may push its family's score: +1 only up, -1 only down; unlisted signals (the stage, the
# length) may go either way. A sign that the data would flip is a confound of the training set (a good message
# usually has research AND no ask, so "research" would learn to excuse a meeting ask): the fit is not allowed it.
SIGNS: dict[str, dict[str, int]] = {
    "hard-sell": {
        "offer_pitch": 1, "offer_job": 1, "offer_strong": 1, "offer_first_touch": 1, "ask_meeting_sales": 1,
        "offer_with_ask": 1,
        "ask_meeting_plain": 1, "ask_timed": 1, "ask_push": 1, "ask_interest": 1, "meeting_first_touch": 1,
        "urgency": 1, "sales_link": 1, "price": 1, "nag": 1, "nag_without_exit": 1, "chase": 1,
        "chase_without_exit": 1, "chase_only": 1, "scripted_opener": 1, "hs001": 1, "hs006": 1,
        "ask_advice": -1, "ask_guest": -1, "opt_out": -1, "known": -1, "offer_soft": -1},
    "personalisation": {
        "placeholder": 1, "fake_hook": 1, "generic_greeting": 1, "merge_mentions": 1,
        "ev_work": -1, "ev_did": -1, "ev_took_in": -1, "ev_news": -1, "ev_person": -1, "relationship": -1,
        "facts_used": -1, "answers": -1, "profile": -1},
    "self-centred": {
        "sender_share": 1, "sender_sentences": 1, "brags": 1, "credentials": 1, "needs": 1, "favours": 1,
        "offer_pitch": 1, "offer_strong": 1, "feature_list": 1, "opens_on_sender": 1, "sc002": 1,
        "promote_after_research": 1, "all_sender": 1, "recipient_sentences": -1, "tied": -1, "evidence": -1},
}


def fit(vectors: list[dict[str, float]], labels: list[bool], weights: Iterable[float] | None = None,
        l2: float = 1.0, max_false_alarms: float = 0.12, signs: dict[str, int] | None = None) -> Model:
    """An L2-regularised logistic regression on standardised features, each weight kept to its allowed sign
    (projected Newton steps), and the threshold that maximises F1 on the training data while keeping its
    false-alarm rate at or under `max_false_alarms`."""
    import numpy as np

    names = tuple(sorted({k for v in vectors for k in v}))
    sign = np.array([(signs or {}).get(n, 0) for n in names] + [0], dtype=float)
    x = np.array([[v.get(n, 0.0) for n in names] for v in vectors], dtype=float)
    y = np.array(labels, dtype=float)
    w_s = np.ones(len(y)) if weights is None else np.array(list(weights), dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    z1 = np.hstack([z, np.ones((len(y), 1))])
    beta = np.zeros(z1.shape[1])
    reg = np.full(z1.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z1 @ beta, -30, 30)))
        grad = z1.T @ (w_s * (p - y)) + reg * beta
        hess = (z1.T * (w_s * p * (1 - p))) @ z1 + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        new = beta - step
        new[(sign > 0) & (new < 0)] = 0.0  # projection onto the allowed signs
        new[(sign < 0) & (new > 0)] = 0.0
        if np.abs(new - beta).max() < 1e-8:
            beta = new
            break
        beta = new
    p = 1.0 / (1.0 + np.exp(-np.clip(z1 @ beta, -30, 30)))
    threshold = _threshold(p, y.astype(bool), w_s, max_false_alarms)
    return Model(names, tuple(mean.tolist()), tuple(scale.tolist()), tuple(beta[:-1].tolist()), float(beta[-1]),
                 threshold)


def _threshold(p, y, w, max_false_alarms: float) -> float:
    best, best_t = -1.0, 0.5
    for t in sorted(set(round(float(v), 4) for v in p)):
        pred = p >= t
        tp = float((w * (pred & y)).sum())
        fp = float((w * (pred & ~y)).sum())
        fn = float((w * (~pred & y)).sum())
        tn = float((w * (~pred & ~y)).sum())
        far = fp / (fp + tn) if fp + tn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if far <= max_false_alarms and f1 > best:
            best, best_t = f1, t
    return best_t
