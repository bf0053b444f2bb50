"""Reading drafts: decoding, YAML front matter, and mapping offsets to lines and columns."""
from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import UserError

LINE_BREAK = re.compile(r"\r\n|\r|\n")
STAGES = ("connection-request", "post-connection", "follow-up", "reply", "cold")
FRONT_MATTER_KEYS = {"stage", "recipient", "connected_on", "sequence_step", "replied", "ignore", "template"}
MAX_BYTES_DEFAULT = 1_000_000



DIRECTIVE_RE = re.compile(r"^[ \t]*#[ \t]*outreach-lint:[ \t]*(disable-next-line|disable|enable)[ \t]*=[ \t]*"
                          r"([A-Za-z0-9_,\- \t]+?)[ \t]*$", re.M)


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
        return fold(body)

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
    """Decode UTF-8 (with or without BOM); refuse binary and other encodings with one clear message."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(f"{path}: looks like a binary file, not a text draft")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UserError(f"{path}: not valid UTF-16 text ({exc.reason})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not valid UTF-8 (byte {exc.start}); save the draft as UTF-8") from None


def read_file(path: Path, max_bytes: int = MAX_BYTES_DEFAULT) -> str:
    """Read a draft file as text, with user errors for anything unreadable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UserError(f"{path}: {size} bytes is over the {max_bytes}-byte limit for a draft")
        data = path.read_bytes()
    except UserError:
        raise
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    return decode(data, str(path))


def parse(text: str, path: str = "<text>", base_dir: Path | None = None) -> Draft:
    """Split optional YAML front matter (between `---` lines) from the body and validate it."""
    draft = Draft(text=text, path=path, base_dir=base_dir)
    lines = [m.group(0) for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)]
    if not lines or lines[0].rstrip("\r\n").strip() != "---":
        draft.directives = _directives(draft, path)
        return draft
    offset = len(lines[0])
    for line in lines[1:]:
        if line.rstrip("\r\n").strip() in ("---", "..."):
            raw = text[len(lines[0]):offset]
            draft.meta = _load_front_matter(raw, path)
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


def _load_front_matter(raw: str, path: str) -> dict[str, Any]:
    try:
        meta = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise UserError(f"{path}: front matter is not valid YAML{where}") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise UserError(f"{path}: front matter must be a mapping of keys to values")
    unknown = sorted(str(k) for k in meta if k not in FRONT_MATTER_KEYS)
    if unknown:
        raise UserError(f"{path}: unknown front matter key '{unknown[0]}' "
                        f"(expected one of: {', '.join(sorted(FRONT_MATTER_KEYS))})")
    return _check_meta(meta, path)


def _check_meta(meta: dict[str, Any], path: str) -> dict[str, Any]:
    if "stage" in meta and meta["stage"] not in STAGES:
        raise UserError(f"{path}: front matter stage '{meta['stage']}' is not one of {', '.join(STAGES)}")
    step = meta.get("sequence_step")
    if step is not None and (isinstance(step, bool) or not isinstance(step, int) or step < 1):
        raise UserError(f"{path}: front matter sequence_step must be a whole number from 1")
    for key in ("replied", "template"):
        if key in meta and not isinstance(meta[key], bool):
            raise UserError(f"{path}: front matter {key} must be true or false")
    ignore = meta.get("ignore")
    if ignore is not None:
        if isinstance(ignore, str):
            meta["ignore"] = [s.strip() for s in ignore.split(",") if s.strip()]
        elif not isinstance(ignore, list) or not all(isinstance(s, str) for s in ignore):
            raise UserError(f"{path}: front matter ignore must be a list of rule codes or names")
        from .catalogue import is_valid_selector

        bad = [s for s in meta["ignore"] if not is_valid_selector(s)]
        if bad:
            raise UserError(f"{path}: front matter ignore names an unknown rule '{bad[0]}' (see: outreach-lint rules)")
    recipient = meta.get("recipient")
    if recipient is not None and not isinstance(recipient, (str, dict)):
        raise UserError(f"{path}: front matter recipient must be a profile mapping or a path to a profile file")
    connected = meta.get("connected_on")
    if connected is not None and not isinstance(connected, (str, _dt.date)):
        raise UserError(f"{path}: front matter connected_on must be a date (YYYY-MM-DD)")
    return meta
