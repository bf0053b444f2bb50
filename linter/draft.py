"""Reading drafts: decoding, YAML front matter, and mapping offsets to lines and columns."""
from __future__ import annotations

import bisect
import copy
import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import UserError

LINE_BREAK = re.compile(r"\r\n|\r|\n")
STAGES = ("connection-request", "post-connection", "follow-up", "reply", "cold")
FRONT_MATTER_KEYS = {"stage", "recipient", "connected_on", "sequence_step", "replied", "ignore", "template"}
# A draft over this many bytes (files and stdin; config `max-bytes`) is refused, not linted slowly: the longest
# LinkedIn message is 8,000 characters, and spaCy needs about 20 s and 0.5 GB per 100 KB of prose.
MAX_BYTES_DEFAULT = 100_000
# spaCy's own limit on one text (Language.max_length); the folded body of a draft must fit in it.
MAX_ANALYSED_CHARS = 1_000_000
# Words and symbols one draft may have (about 100 KB of prose; a flood of symbols costs spaCy as much per token).
MAX_TOKENS = 30_000
TOKEN_RE = re.compile(r"\w+|[^\w\s]")
RAISE_LIMIT = "set max-bytes in the config to raise the limit"


# A line ends at \n, \r\n or a lone \r (as LINE_BREAK counts them), so a directive may too.
DIRECTIVE_RE = re.compile(r"(?:^|(?<=\r))[ \t]*#[ \t]*outreach-lint:[ \t]*(disable-next-line|disable|enable)"
                          r"[ \t]*=[ \t]*([A-Za-z0-9_,\- \t]+?)[ \t]*(?=\r|$)", re.M)


@dataclass
class Directive:
    """A suppression line: `# outreach-lint: disable=HS002` (also `enable=`, `disable-next-line=`)."""

    kind: str
    rules: tuple[str, ...]
    line: int
    start: int  # offsets into the file
    end: int
    used: bool = False


@dataclass
class Draft:
    """A draft as on disk: the full text, where the body starts, and its front matter."""

    text: str
    path: str = "<text>"
    meta: dict[str, Any] = field(default_factory=dict)
    body_start: int = 0
    base_dir: Path | None = None
    directives: list[Directive] = field(default_factory=list)
    meta_lines: dict[str, int] = field(default_factory=dict)  # front matter key -> its line in the file

    @property
    def body(self) -> str:
        return self.text[self.body_start:]

    def analysed(self) -> tuple[str, list[int]]:
        """The body as the rules see it: directive lines blanked out, then folded (quotes, dashes, NFKC,
        zero-width, homoglyphs, disguised sales terms), with each character's offset in the body."""
        from .normalise import fold

        body = self.body
        for d in self.directives:
            start, end = d.start - self.body_start, d.end - self.body_start
            body = body[:start] + " " * (end - start) + body[end:]
        folded, index = fold(body)
        if len(folded) > MAX_ANALYSED_CHARS:  # NFKC can expand a character up to 18-fold ("\ufdfa")
            raise UserError(f"{self.path}: normalised, the draft is {len(folded)} characters, over the language "
                            f"model's {MAX_ANALYSED_CHARS}-character limit; split it into smaller drafts")
        if len(folded) > MAX_TOKENS:  # fewer characters than this cannot make more tokens
            tokens = sum(1 for _ in TOKEN_RE.finditer(folded))
            if tokens > MAX_TOKENS:
                raise UserError(f"{self.path}: about {tokens} words and symbols, over the {MAX_TOKENS} a draft may "
                                "have (spaCy's time and memory grow with them); split it into smaller drafts")
        return folded, index

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a 0-based character offset into the file."""
        starts = self._line_starts()
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    @property
    def line_count(self) -> int:
        return len(self._line_starts())

    def line_text(self, line: int) -> str:
        starts = self._line_starts()
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def _line_starts(self) -> list[int]:
        """Where each line starts; a line ends at \\n, \\r\\n or a lone \\r, as editors count them."""
        cached = getattr(self, "_starts", None)
        if cached is None:
            cached = [0] + [m.end() for m in LINE_BREAK.finditer(self.text)]
            self._starts = cached
        return cached


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM), or UTF-16/UTF-32 with a BOM; refuse binary and other encodings with
    one clear message."""
    codec = ("utf-32" if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else
             "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else None)
    if codec is None and b"\x00" in data[:8192]:
        raise UserError(f"{path}: looks like a binary file, not a text draft")
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise UserError(f"{path}: not valid {codec.upper()} text ({exc.reason})") from None
        if "\x00" in text[:8192]:
            raise UserError(f"{path}: looks like a binary file, not a text draft")
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not valid UTF-8 (byte {exc.start}); save the draft as UTF-8") from None


def read_file(path: Path, max_bytes: int = MAX_BYTES_DEFAULT) -> str:
    """Read a draft file as text, with user errors for anything unreadable, not a regular file, or over
    `max_bytes` (at most max_bytes + 1 bytes are read, so a growing file cannot exhaust memory)."""
    from .paths import read_regular

    data, info = read_regular(path, max_bytes, "file")
    if len(data) > max_bytes:
        amount = f"{info.st_size} bytes" if info.st_size > max_bytes else f"more than {max_bytes} bytes"
        raise UserError(f"{path}: {amount} is over the {max_bytes}-byte limit for a draft ({RAISE_LIMIT})")
    return decode(data, str(path))


def parse(text: str, path: str = "<text>", base_dir: Path | None = None, max_chars: int | None = None) -> Draft:
    """Split optional YAML front matter (between `---` lines) from the body and validate it.

    With `max_chars`, a longer text is refused (the engine passes the config's max-bytes: a text read from a
    file or stdin within that many bytes always passes, as no character is less than a byte)."""
    if max_chars is not None and len(text) > max_chars:
        raise UserError(f"{path}: {len(text)} characters is over the {max_chars}-character limit for a draft "
                        f"({RAISE_LIMIT})")
    draft = Draft(text=text, path=path, base_dir=base_dir)
    lines = [m.group(0) for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)]
    if not lines or lines[0].rstrip("\r\n").strip() != "---":
        draft.directives = _directives(draft, path)
        return draft
    offset = len(lines[0])
    for line in lines[1:]:
        if line.rstrip("\r\n").strip() in ("---", "..."):
            raw = text[len(lines[0]):offset]
            draft.meta_lines = key_lines(raw, first_line=2)
            draft.meta = _load_front_matter(raw, path, draft.meta_lines)
            draft.body_start = offset + len(line)
            draft.directives = _directives(draft, path)
            return draft
        offset += len(line)
    raise UserError(f"{path}: front matter starts with '---' but has no closing '---' line")


def _directives(draft: Draft, path: str) -> list[Directive]:
    from .catalogue import is_valid_selector

    out = []
    for m in DIRECTIVE_RE.finditer(draft.text, draft.body_start):
        rules = tuple(r.strip() for r in m.group(2).split(",") if r.strip())
        line = draft.position(m.start())[0]
        bad = [r for r in rules if r.lower() != "all" and not is_valid_selector(r)]
        if bad or not rules:
            raise UserError(f"{path}:{line}: directive names an unknown rule '{bad[0] if bad else ''}'")
        out.append(Directive(m.group(1), rules, line, m.start(), m.end()))
    return out


_KEY_LINE = re.compile(r"""^(["']?)([A-Za-z_][\w-]*)\1[ \t]*[:=]""")


def key_lines(raw: str, first_line: int = 1) -> dict[str, int]:
    """The line (counted from `first_line`) where each top-level key of a YAML or TOML mapping is written."""
    out: dict[str, int] = {}
    for n, text in enumerate(LINE_BREAK.split(raw)):
        m = _KEY_LINE.match(text)
        if m:
            out.setdefault(m.group(2), n + first_line)
    return out


def yaml_problem(exc: Exception, first_line: int = 1) -> tuple[str, str]:
    """(":LINE:COL" or "", reason) of a PyYAML error, lines counted from `first_line` (the document's first
    line in the file): where the parser gave up, what it expected, and where the construct it was in began."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f":{mark.line + first_line}:{mark.column + 1}" if mark is not None else ""
    reason = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None and context_mark is not mark:
        reason += f" ({context} at line {context_mark.line + first_line})"
    elif context:
        reason += f" ({context})"
    return where, reason


@lru_cache(maxsize=256)
def _safe_load(raw: str) -> Any:
    """PyYAML's safe_load, remembered: a repo's drafts share a few front matters ("stage: follow-up"), and the
    cache key and the lint read each one. Callers get a copy (the result is mutable)."""
    return yaml.safe_load(raw)


def _load_front_matter(raw: str, path: str, lines: dict[str, int]) -> dict[str, Any]:
    try:
        meta = copy.deepcopy(_safe_load(raw))
    except yaml.YAMLError as exc:
        where, reason = yaml_problem(exc, first_line=2)
        raise UserError(f"{path}{where}: front matter is not valid YAML: {reason}") from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise UserError(f"{path}: front matter is not valid YAML (nested too deeply)") from None
    except ValueError as exc:  # PyYAML's own constructors: a date like 2026-13-45, an int over 4300 digits
        raise UserError(f"{path}: front matter is not valid YAML ({str(exc).splitlines()[0]})") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise UserError(f"{path}:2: front matter must be a mapping of keys to values")
    unknown = sorted(str(k) for k in meta if k not in FRONT_MATTER_KEYS)
    if unknown:
        raise UserError(f"{path}{_at(lines, unknown[0])}: unknown front matter key '{unknown[0]}' "
                        f"(expected one of: {', '.join(sorted(FRONT_MATTER_KEYS))})")
    return _check_meta(meta, path, lines)


def _at(lines: dict[str, int], key: str) -> str:
    return f":{lines[key]}" if key in lines else ""


def _check_meta(meta: dict[str, Any], path: str, lines: dict[str, int]) -> dict[str, Any]:
    if "stage" in meta and meta["stage"] not in STAGES:
        shown = f"'{meta['stage']}'" if isinstance(meta["stage"], str) else f"(a {_yaml_type(meta['stage'])})"
        raise UserError(f"{path}{_at(lines, 'stage')}: front matter stage {shown} is not one of {', '.join(STAGES)}")
    step = meta.get("sequence_step")
    if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step < 1):
        raise UserError(f"{path}{_at(lines, 'sequence_step')}: front matter sequence_step must be a whole number "
                        "from 1")
    for key in ("replied", "template"):
        if key in meta and not isinstance(meta[key], bool):
            raise UserError(f"{path}{_at(lines, key)}: front matter {key} must be true or false")
    ignore = meta.get("ignore")
    if ignore is not None:
        if isinstance(ignore, str):
            meta["ignore"] = [s.strip() for s in ignore.split(",") if s.strip()]
        elif not isinstance(ignore, list) or not all(isinstance(s, str) for s in ignore):
            raise UserError(f"{path}{_at(lines, 'ignore')}: front matter ignore must be a list of rule codes or "
                            "names")
        from .catalogue import is_valid_selector

        bad = [s for s in meta["ignore"] if not is_valid_selector(s)]
        if bad:
            raise UserError(f"{path}{_at(lines, 'ignore')}: front matter ignore names an unknown rule '{bad[0]}' "
                            "(see: outreach-lint rules)")
    recipient = meta.get("recipient")
    if recipient is not None and not isinstance(recipient, (str, dict)):
        raise UserError(f"{path}{_at(lines, 'recipient')}: front matter recipient must be a profile mapping or a "
                        "path to a profile file")
    connected = meta.get("connected_on")
    if connected is not None and not isinstance(connected, (str, _dt.date)):
        raise UserError(f"{path}{_at(lines, 'connected_on')}: front matter connected_on must be a date "
                        "(YYYY-MM-DD)")
    return meta


def _yaml_type(value: Any) -> str:
    """A value's YAML type for messages (never its text: an alias-built value can be huge)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, (list, tuple, set)):
        return "list"
    return type(value).__name__
