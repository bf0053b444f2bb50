"""Profile-grounded rewrites: Report + Profile -> template -> text -> lint again.

Templates and their metadata (stages, needed profile fields, length budget) live in `templates/`
(shipped as `linter.templates`). They render in Jinja2's sandbox with StrictUndefined; profile values
are passed as data, so `{{ 7*7 }}` in a profile stays literal text.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import vocab
from .config import Config, Sender
from .errors import UserError
from .profile import Profile

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .report import Report

# A team's templates come from the repo: bounded in size, render time and output (and the sandbox bounds
# range() to 100,000 items).
MAX_TEMPLATE_BYTES = 64_000
MAX_RENDER_CHARS = 20_000
MAX_RENDER_SECONDS = 2.0
MAX_EXPONENT = 100
MULTIPLIER_RE = re.compile(r"^\d+(?:\.\d+)?x$|^\d+%$", re.I)
RESEARCH_FIELDS = ("recent_posts", "shared_connections", "shared_groups", "education", "how_we_met",
                   "company_news", "about")


@dataclass(frozen=True)
class Template:
    """A rewrite template and the facts it needs."""

    name: str
    source: str
    stages: tuple[str, ...]
    needs: tuple[str, ...]
    needs_any: tuple[str, ...]
    max_chars: int
    summary: str


@dataclass
class Offer:
    """What the sender offers, read from the draft's parse."""

    benefit: str | None = None      # "generate more leads"
    product: str | None = None      # "route optimisation platform"
    keywords: list[str] = field(default_factory=list)

    def as_vars(self) -> dict[str, str | None] | None:
        if not self.benefit and not self.product:
            return None
        return {"benefit": self.benefit, "benefit_ing": _gerund(self.benefit) if self.benefit else None,
                "benefit_short": _clip(self.benefit, 40) if self.benefit else None, "product": self.product}


@dataclass
class Rewrite:
    """A verified candidate: its text, the template, the profile fields it used, and its own lint result."""

    template: str
    text: str
    profile_fields_used: list[str]
    report: "Report"

    def to_dict(self) -> dict[str, Any]:
        return {"template": self.template, "text": self.text, "profile_fields_used": self.profile_fields_used,
                "score": self.report.score, "findings": [f.to_dict() for f in self.report.findings]}


@dataclass
class Outcome:
    """Rewrites for one draft, or why there are none."""

    rewrites: list[Rewrite]
    offer: Offer
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rewrites": [r.to_dict() for r in self.rewrites],
                               "offer": {"benefit": self.offer.benefit, "product": self.offer.product}}
        if self.reason:
            out["no_rewrite_reason"] = self.reason
        return out


def templates_dir(config: Config) -> Path:
    """The template folder: the config's `templates`, else the built-in one."""
    if config.templates:
        from .paths import confine

        path = Path(config.templates)  # a Config built by the caller; from a file: relative to it, never outside
        if config.root is not None:
            path = confine(config.root / config.templates, (config.root,), f"{config.source}: 'templates'")
        if not (path / "templates.toml").is_file():
            raise UserError(f"{path}: a template folder needs a templates.toml manifest")
        return path
    packaged = Path(__file__).resolve().parent / "templates"  # where the wheel puts them
    if (packaged / "templates.toml").is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"  # a source checkout


def _read_template_file(path: Path, what: str) -> str:
    """A manifest or template: a regular file of at most MAX_TEMPLATE_BYTES, as UTF-8 text."""
    from .paths import read_regular

    data, _ = read_regular(path, MAX_TEMPLATE_BYTES, what)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise UserError(f"{path}: over the {MAX_TEMPLATE_BYTES}-byte limit for a {what}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: cannot read {what} ({exc})") from None


@lru_cache(maxsize=8)
def load_templates(folder: Path) -> tuple[Template, ...]:
    """Read a template folder's manifest; a broken manifest is a user error."""
    from .paths import confine

    manifest = folder / "templates.toml"
    try:
        raw = tomllib.loads(_read_template_file(manifest, "template manifest"))
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{manifest}: cannot read the template manifest ({exc})") from None
    out = []
    for name, spec in raw.items():
        try:
            if not isinstance(spec.get("file"), str):
                raise ValueError("'file' must be a path")
            file = confine(folder / spec["file"], (folder,), f"{manifest}: template '{name}' file")
            source = _read_template_file(file, "template")
            out.append(Template(name=name, source=source, stages=tuple(spec["stages"]),
                                needs=tuple(spec.get("needs", ())), needs_any=tuple(spec.get("needs_any", ())),
                                max_chars=int(spec["max_chars"]), summary=str(spec.get("summary", ""))))
        except (AttributeError, KeyError, TypeError, ValueError, OSError) as exc:
            raise UserError(f"{manifest}: template '{name}' is incomplete or unreadable ({exc})") from None
    return tuple(out)


BENEFIT_VERBS = {"cut", "reduce", "increase", "boost", "save", "grow", "generate", "improve", "double", "triple",
                 "streamline", "automate", "eliminate", "lower", "accelerate", "speed", "simplify", "scale",
                 "protect", "recover", "prevent", "avoid", "shorten", "halve", "lift", "raise"}
# Verbs a "we help X <verb> Y" benefit starts with, even when the small model tags them as nouns.
HELP_VERBS = {"ship", "build", "hire", "close", "find", "win", "get", "reach", "hit", "launch", "land", "book", "run",
              "manage", "train", "onboard", "retain", "keep", "sell", "track", "measure", "understand", "generate",
              "grow", "cut", "reduce", "save", "boost", "increase", "improve", "scale", "automate", "fill", "raise"}
DOUBLE_OBJECT = {"save", "give", "spare", "earn", "get", "win", "bring"}  # "saves [agencies] 10 hours"
STOP_AT = {"by", "with", "in", "within", "without", "while", "for", "so", "and", "but", "at", "using", "through",
           "via", "from", "thanks", "like", "per", "than", "before", "after", "when", "if"}


def extract_offer(doc: "Doc") -> Offer:
    """The sender's offer from the parse (`doc._.clauses`, `doc._.offers`): the benefit of a "we help X (to) do
    Y" or "our tool cuts Y" clause, framed as a verb phrase for the recipient ("generate more leads"), and the
    product noun phrase the sender owns ("our route optimisation platform")."""
    offer = Offer()
    pitches = [o.sentence for o in doc._.offers if o.strength != "soft"]
    for clause in doc._.clauses:
        if clause.role != "sender":
            continue
        verb = clause.verb
        lemma = verb.lemma_.lower()
        if lemma == "help":
            tail = list(doc[verb.i + 1:verb.sent.end])
            start = next((i for i, t in enumerate(tail) if t.lower_ in HELP_VERBS or t.tag_ in ("VB", "VBP")
                          or MULTIPLIER_RE.match(t.text)), None)
            words = _benefit_words(tail[start:]) if start is not None else []
        elif lemma in BENEFIT_VERBS:
            words = _benefit_words(list(doc[verb.i:verb.sent.end]))
        else:
            continue
        if len(words) >= 2:
            offer.benefit = " ".join(words)
            break
    if offer.benefit is None:  # "Built custom AI roleplay to cut ramp time", "Helping teams cut costs"
        for sent in pitches:
            verb = next((t for t in sent if t.lemma_.lower() in BENEFIT_VERBS and t.pos_ == "VERB"), None)
            words = _benefit_words(list(doc[verb.i:sent.end])) if verb is not None else []
            if len(words) >= 2:
                offer.benefit = " ".join(words)
                break
    pitch_nouns = vocab.words("nouns", "commercial")
    for sent in pitches:
        for tok in sent:
            poss = next((t for t in doc[tok.left_edge.i:tok.i] if t.dep_ == "poss" and t.lower_ in ("our", "my")),
                        None)
            if poss is not None and tok.pos_ == "NOUN" and tok.lemma_.lower() in pitch_nouns:
                offer.product = doc[poss.i + 1:tok.i + 1].text
                break
        if offer.product:
            break
    text = offer.benefit or offer.product or ""
    offer.keywords = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", text)
                      if w.lower() not in {"your", "their", "with", "more", "less", "grow", "help", "that", "this"}]
    return offer


def _benefit_words(tokens: list) -> list[str]:
    """A verb phrase up to the first preposition or number: "3x their leads" -> "grow your leads"."""
    words: list[str] = []
    if tokens and MULTIPLIER_RE.match(tokens[0].text):
        words.append("grow")
    kept: list = []
    # "saves finance teams two days": who benefits is not what improves
    skip = {d.i for t in tokens[:1] for c in t.children if c.dep_ == "dative" for d in c.subtree if d.i <= c.i}
    if tokens and tokens[0].lemma_.lower() in DOUBLE_OBJECT:
        number = next((t for t in tokens[1:7] if t.pos_ == "NUM" or t.like_num), None)
        if number is not None:
            skip |= {t.i for t in tokens[1:] if t.i < number.i}
    for t in tokens:
        if t.i in skip:
            continue
        if (t.is_punct and t.text != "-") or t.lower_ in STOP_AT or t.is_space:
            break
        if t.lower_ in ("a", "an", "every", "each") and any(k.pos_ == "NOUN" for k in kept[1:]):
            break  # "save hours a month" -> "save hours"
        if MULTIPLIER_RE.match(t.text) or t.pos_ in ("NUM", "SYM") or t.like_num or t.text in ("-", "%", "+") or (
                t.lower_ in ("up", "to") and not words):
            continue
        word = {"their": "your", "them": "you", "they": "you"}.get(t.lower_, t.text)
        words.append(word.lower() if not words else word)
        kept.append(t)
    if kept and (kept[0].pos_ == "VERB" or kept[0].lower_ in HELP_VERBS) and words[0] != "grow":
        words[0] = kept[0].lemma_.lower() if kept[0].pos_ == "VERB" else kept[0].lower_
    # end on the thing that improves (after the verb, a VBZ word is a plural noun the model misread)
    while kept and kept[-1].pos_ not in ("NOUN", "PROPN") and not (len(kept) > 1 and kept[-1].tag_ == "VBZ"):
        kept.pop()
        words.pop()
    return words if kept else []


def available(template: Template, profile: Profile, stage: str) -> bool:
    data = profile.data
    if stage not in template.stages:
        return False
    if any(not data.get(f) for f in template.needs):
        return False
    return not template.needs_any or any(data.get(f) for f in template.needs_any)


def suggest(report: "Report", config: Config, n: int = 3) -> Outcome:
    """Render, lint and rank candidates for a report made with keep_analysis; only candidates that pass
    their own checks at the draft's stage are kept."""
    from .engine import Source, lint_many

    doc, profile = report.analysis
    offer = extract_offer(doc)
    stage = report.stage
    if profile is None:
        return Outcome([], offer, "no recipient profile: pass --profile or add `recipient:` to the front matter")
    folder = templates_dir(config)
    usable = [t for t in load_templates(folder) if available(t, profile, stage)]
    if not usable:
        missing = [f for f in RESEARCH_FIELDS if not profile.data.get(f)]
        served = sorted({s for t in load_templates(folder) for s in t.stages})
        if stage not in served:
            return Outcome([], offer, f"no template serves the {stage} stage (templates serve: {', '.join(served)})")
        return Outcome([], offer, "the profile is too thin for any template: add a recent post or a shared "
                                  f"connection (missing: {', '.join(missing)})")
    env = _environment()
    rendered = []
    for template in usable:
        text = _render(env, template, _variables(profile, offer, stage, config))
        if len(text) <= template.max_chars:
            rendered.append((template, text))
    reports = lint_many([Source(text=t, path=tpl.name, stage=stage, profile=profile) for tpl, t in rendered], config)
    kept = []
    for (template, text), check in zip(rendered, reports):
        used = check.metrics["profile_facts_used"]
        if any(f.severity in ("warning", "error") for f in check.findings) or not used:
            continue
        kept.append(Rewrite(template.name, text, used, check))
    kept.sort(key=lambda r: (-r.report.score, -len(r.profile_fields_used)))
    reason = None if kept else "every candidate failed its own checks; add more profile facts to unlock others"
    return Outcome(kept[:n], offer, reason)


def _environment():
    from jinja2 import StrictUndefined
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Bounded(ImmutableSandboxedEnvironment):
        """The sandbox, with `*` and `**` refused where they would build a huge string, list or number."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "*" and any(isinstance(x, (str, list, tuple)) for x in (left, right)):
                seq, times = (left, right) if isinstance(left, (str, list, tuple)) else (right, left)
                if isinstance(times, int) and len(seq) * times > MAX_RENDER_CHARS:
                    raise SecurityError(f"'*' would build more than {MAX_RENDER_CHARS} items")
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"'**' with an exponent over {MAX_EXPONENT}")
            return super().call_binop(context, operator, left, right)

    return Bounded(undefined=StrictUndefined, autoescape=False, lstrip_blocks=True)


def _render(env, template: Template, variables: dict[str, Any]) -> str:
    """Render within MAX_RENDER_SECONDS (enforced by a timer in the main thread, and between output chunks
    everywhere) and MAX_RENDER_CHARS of output."""
    import time

    from jinja2 import TemplateError

    deadline = time.monotonic() + MAX_RENDER_SECONDS
    pieces, size = [], 0
    try:
        with _alarm(MAX_RENDER_SECONDS):
            for piece in env.from_string(template.source).generate(**variables):
                pieces.append(piece)
                size += len(piece)
                if size > MAX_RENDER_CHARS:
                    raise UserError(f"template '{template.name}' renders more than {MAX_RENDER_CHARS} characters")
                if time.monotonic() > deadline:
                    raise _RenderTimeout
    except _RenderTimeout:
        raise UserError(f"template '{template.name}' took over {MAX_RENDER_SECONDS:g} s to render") from None
    except (TemplateError, RecursionError, OverflowError, MemoryError) as exc:
        raise UserError(f"template '{template.name}' failed to render: {exc}") from None
    text = "".join(pieces)
    text = re.sub(r"[ \t]+\n", "\n", text)  # block tags on their own lines leave blank lines: paragraphs
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


class _RenderTimeout(Exception):
    pass


def _alarm(seconds: float):
    """A context in which SIGALRM raises _RenderTimeout after `seconds` (main thread only; elsewhere a no-op),
    so a template that loops without output is stopped too."""
    import signal
    import threading
    from contextlib import contextmanager, nullcontext

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return nullcontext()

    def expire(signum, frame):
        raise _RenderTimeout

    @contextmanager
    def timer():
        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    return timer()


def _variables(profile: Profile, offer: Offer, stage: str, config: Config) -> dict[str, Any]:
    data = profile.data
    first = profile.first_name
    post = None
    posts = [p for p in data.get("recent_posts") or [] if p]
    if posts:
        p = posts[0] if isinstance(posts[0], dict) else {"text": str(posts[0])}
        topic = str(p.get("topic") or _clip(str(p.get("text", "")), 60))
        claim = _first_sentence(str(p.get("text") or topic))
        post = {"topic": topic, "topic_short": _clip(topic, 50), "claim": _clip(claim, 160),
                "claim_short": _clip(claim.rstrip("."), 70)}
    connections = [c.get("name") if isinstance(c, dict) else c for c in data.get("shared_connections") or []]
    education = data.get("education") or []
    school = None
    if education:
        e = education[0]
        school = str(e.get("school")) if isinstance(e, dict) and e.get("school") else str(e)
    groups = data.get("shared_groups") or []
    group = (groups[0].get("name") if isinstance(groups[0], dict) else groups[0]) if groups else None
    about = str(data.get("about") or "")
    return {
        "shared": shared_facts(profile, config.sender),
        # already connected: the first message after connecting, and later ones (a cold follow-up stays cold
        # only while its stage says so); then an introduction through a mutual connection makes no sense
        "connected": stage not in ("cold", "connection-request") or bool(data.get("connected_on")),
        "stage": stage,
        "greeting": f"Hi {first}," if first else "Hello,",
        "first_name": first,
        "company": profile.company,
        "role": data.get("role") or data.get("headline"),
        "post": post,
        "connection": str(connections[0]) if connections else None,
        "school": school,
        "group": str(group) if group else None,
        "how_we_met": data.get("how_we_met"),
        "news": data.get("company_news"),
        "about_quote": _clip(_first_sentence(about).rstrip("."), 110) if about else None,
        "offer": offer.as_vars(),
        "sender_name": config.sender.name,
    }


def shared_facts(profile: Profile, sender: Sender) -> dict[str, str | None]:
    """Facts true of both sides, the only ones a rewrite may phrase as "we both...": the school, past
    employer, group, event and location that the sender's config (`[sender]`) and the recipient's profile
    both name. LinkedIn's own `shared_groups` are shared by definition. Each value is the recipient's
    wording, or None."""
    data = profile.data

    def texts(*keys: str) -> list[str]:
        out = []
        for key in keys:
            value = data.get(key)
            for item in value if isinstance(value, list) else [value] if value else []:
                if isinstance(item, dict):
                    item = item.get("school") or item.get("name") or item.get("company")
                if item and not isinstance(item, (dict, list)):
                    out.append(str(item))
        return out

    def common(theirs: list[str], ours: tuple[str, ...]) -> str | None:
        return next((t for t in theirs for o in ours if _same_place(t, o)), None)

    groups = texts("shared_groups")
    return {
        "school": common(texts("education"), sender.education),
        "employer": common(texts("company", "past_employers"), sender.past_employers),
        "group": groups[0] if groups else common(texts("groups"), sender.groups),
        "event": common(texts("events", "how_we_met"), sender.events),
        "location": common(texts("location"), sender.locations),
    }


def _same_place(theirs: str, ours: str) -> bool:
    """ "Aston University" and "aston university, Birmingham" name the same place: one's words, in order,
    are the other's (case and punctuation aside)."""
    a, b = (" ".join(re.findall(r"\w+", x.lower())) for x in (theirs, ours))
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long) is not None


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    m = re.match(r"(.+?[.!?])(?:\s|$)", text)
    sentence = m.group(1) if m else text
    return sentence if sentence[-1:] in ".!?" else sentence + "."


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-") + "..."


def _gerund(phrase: str) -> str:
    """ "generate more leads" -> "generating more leads"."""
    verb, _, rest = phrase.partition(" ")
    low = verb.lower()
    if low.endswith("ie"):
        ing = verb[:-2] + "ying"
    elif low.endswith("e") and not low.endswith(("ee", "ye", "oe")):
        ing = verb[:-1] + "ing"
    elif re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", low) and len(low) <= 4:
        ing = verb + verb[-1] + "ing"
    else:
        ing = verb + "ing"
    return f"{ing} {rest}".strip()


def apply(path: Path, report: "Report", body: str) -> None:
    """Replace the draft's body with `body`, keeping its front matter, atomically (temp file + rename): a
    symlink is followed to its file, mode and owner are kept, and a read-only file, a hard-linked one or one
    edited since it was read is refused (see `paths.atomic_writer`)."""
    from .draft import parse
    from .paths import write_text

    original = report.text
    front = original[:parse(original, str(path)).body_start]
    write_text(path, front + body, unchanged=original, what="the rewrite")
