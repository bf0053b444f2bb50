"""Text-level features: sentences, quotations, the greeting, the signature, placeholders and links."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import vocab
from . import Situation, feature, per_doc, stored, tokens

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

QUOTE_RE = re.compile(r'"([^"\n]{3,300})"|(?<![\w\'])\'([^\'\n]{3,120}?)\'(?![\w])')
SUBJECT_LINE_RE = re.compile(r"^\s*(?:subject(?: line)?|re|fwd?)\s*:.*$", re.I | re.M)
PLACEHOLDER_RE = re.compile(
    r"\{\{(?!\s*\.)[^{}\n]{1,40}?\}\}"                 # {{company}} (not Go's {{ .Values }})
    r"|\$\{\s*\w[\w.]*\s*\}"                          # ${name}
    r"|\{\s*[A-Za-z_][\w .'-]{0,40}\}"                # {first_name}
    r"|\[\s*(?![\w-]*\d[\w-]*\])[^\[\]\n!?]{1,60}\](?!\()"  # [Name], [post topic] (not [1], [ANK-114], links, [wow!])
    r"|%[A-Z][A-Z0-9_]{1,30}%"                        # %FIRSTNAME%
    r"|\*\|[A-Z0-9_]{1,30}\|\*"                       # *|FNAME|*
    r"|(?-i:<\s*(?!https?:|mailto:|www\.)[A-Z][\w '-]{0,30}>)"  # <Company> (not <table>)
    r"|\((?:(?:your|their|the|connection's|recipient's|prospect's|first|last|full|job|company)\s+){0,2}"
    r"(?:name|company|company name|position|title|role|industry|city)\)"  # (company name)
    r"|_{3,}",                                        # ___
    re.I)
HTML_TAGS = ("<br>", "<b>", "<i>", "<p>")
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\"'\]]+|\b[a-z0-9-]+\.(?:com|io|ai|co|me|app|link|org|net|dev|tv)"
                    r"/[^\s<>()\"'\]]*", re.I)
NAME_STOP = {"i", "thanks", "thank", "happy", "congrats", "congratulations", "hope", "great", "good", "loved",
             "saw", "your", "quick", "it", "it's", "just", "we", "my", "sorry", "welcome", "fellow", "so"}


@dataclass(frozen=True)
class Greeting:
    """The opening greeting: the name in it (if any) and where it ends."""

    name: "Span | None"
    end: int  # character offset where the greeting (and any subject lines before it) ends


@feature("text")
def text(doc: "Doc", situation: Situation) -> str:
    """The draft's text, built once (spaCy's `doc.text` joins every token's text anew on each read)."""
    return doc.text


@feature("sentences")
def sentences(doc: "Doc", situation: Situation) -> list["Span"]:
    """Non-empty sentences (paragraph breaks are boundaries: see nlp.paragraph_boundaries)."""
    text = stored(doc, "text")
    return [s for s in doc.sents if text[s.start_char:s.end_char].strip()]


@feature("quoted")
def quoted(doc: "Doc", situation: Situation) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks: quoted words are not the sender's own."""
    return [(m.start(), m.end()) for m in QUOTE_RE.finditer(doc._.text)]


def in_quotes(doc: "Doc", start: int, end: int) -> bool:
    quoted = stored(doc, "quoted")
    return bool(quoted) and any(qs <= start and end <= qe for qs, qe in quoted)


@feature("placeholders")
def placeholders(doc: "Doc", situation: Situation) -> list[tuple[int, int]]:
    """Unfilled merge fields ({first_name}, [Company], %NAME%, ___) as character ranges."""
    return [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(doc._.text)
            if m.group(0).lower() not in HTML_TAGS]


def has_placeholder(doc: "Doc", span: "Span") -> bool:
    return any(span.start_char <= s < span.end_char for s, _ in stored(doc, "placeholders"))


@feature("links")
def links(doc: "Doc", situation: Situation) -> list[tuple[int, int]]:
    """URLs as character ranges (trailing punctuation trimmed)."""
    out = []
    for m in URL_RE.finditer(doc._.text):
        url = m.group(0).rstrip(".,;:!?")
        out.append((m.start(), m.start() + len(url)))
    return out


@feature("greeting")
def greeting(doc: "Doc", situation: Situation) -> Greeting:
    """ "Hi Joanne," / "Dear Dr. Mensah" / "Warren," after any subject lines."""
    text = doc._.text
    start = 0
    while start < len(text):
        m = SUBJECT_LINE_RE.match(text, start)
        if m and m.start() == start and text[start:m.end()].strip():
            start = m.end()
        elif text[start].isspace():
            start += 1
        else:
            break
    if start >= len(text):
        return Greeting(None, len(text))
    line_end = text.find("\n", start)
    limit = line_end if line_end != -1 else len(text)
    toks = []
    for t in tokens(doc):  # tokens are in text order: stop at the end of the line
        if t.idx >= limit:
            break
        if t.idx >= start and not t.is_space:
            toks.append(t)
    greetings, titles = vocab.words("grammar", "greeting_words"), vocab.words("grammar", "titles")
    i = 0
    while i < len(toks) and toks[i].lower_ in greetings:
        i += 1
    opened = i > 0
    while i < len(toks) and (toks[i].lower_.rstrip(".") in titles or toks[i].text in (".", ",") and opened
                             and i + 1 < len(toks) and toks[i + 1].text[:1].isupper()):
        i += 1
    j = i
    while j < len(toks) and j - i < 3 and toks[j].text[:1].isupper() and toks[j].is_alpha \
            and toks[j].lower_ not in NAME_STOP:
        j += 1
    name = doc[toks[i].i:toks[j - 1].i + 1] if j > i else None
    end_tok = toks[j] if j < len(toks) and toks[j].is_punct else None
    if name is not None and (opened or end_tok is not None and end_tok.text in ",:!-—"):
        end = (end_tok.idx + len(end_tok)) if end_tok is not None else name.end_char
        return Greeting(name, end)
    if opened:  # "Hi there," / "Hello," with no name
        last = toks[i - 1] if j == i else toks[j - 1]
        punct = toks[i] if i < len(toks) and toks[i].is_punct else None
        return Greeting(None, (punct.idx + len(punct)) if punct is not None else last.idx + len(last))
    return Greeting(None, start)  # no greeting: the body starts after any subject lines


@feature("signature")
def signature(doc: "Doc", situation: Situation) -> int:
    """Character offset where the closing (sign-off and signature) begins; len(text) when there is none.

    A closing is a short line that starts with a sign-off word ("Best,", "Kind regards", "Thanks!") near the
    end, or trailing lines of one to four words with no sentence punctuation (a name, a title, a phone)."""
    text = doc._.text
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    sign_offs = vocab.words("grammar", "sign_offs")
    cut = len(text)
    tail_lines = 0
    for k in range(len(lines) - 1, -1, -1):
        line = lines[k].strip()
        if not line:
            continue
        words = re.findall(r"[\w'’.-]+", line)
        first = words[0].lower().strip(".") if words else ""
        if first in sign_offs and len(words) <= 5 and not line.endswith("?") and k > 0:
            cut = offsets[k] + (len(lines[k]) - len(lines[k].lstrip()))
            break
        short = len(words) <= 4 and not re.search(r"[.?!]$", line) or re.fullmatch(r"[-–—~]\s*\w+.*", line)
        if short and tail_lines < 4 and k > 0:
            tail_lines += 1
            cut = offsets[k] + (len(lines[k]) - len(lines[k].lstrip()))
            continue
        break
    return cut if cut > 0 else len(text)


def body_sentences(doc: "Doc") -> list["Span"]:
    """The sentences after the greeting and before the signature (found once per Doc; a new list each call)."""
    return list(per_doc(doc, "body_sentences", _body_sentences))


def _body_sentences(doc: "Doc") -> list["Span"]:
    g, sig = stored(doc, "greeting").end, stored(doc, "signature")
    return [s for s in stored(doc, "sentences") if s.end_char > g and s.start_char < sig
            and any(t.is_alpha for t in s if g <= t.idx < sig)]
