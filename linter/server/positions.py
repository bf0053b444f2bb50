"""Character offsets into a document <-> LSP positions in the negotiated encoding.

LSP counts a position's `character` in UTF-16 code units unless client and server agreed on UTF-8 or UTF-32,
and ends lines at `\\n`, `\\r\\n` or a lone `\\r` only (not at U+2028 or form feed, as `str.splitlines` does).
Findings carry 0-based code-point offsets into the file; these functions convert them exactly.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from lsprotocol import types

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _units_utf16(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _units_utf8(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


UNITS = {types.PositionEncodingKind.Utf16: _units_utf16, types.PositionEncodingKind.Utf8: _units_utf8,
         types.PositionEncodingKind.Utf32: len}


@dataclass
class Lines:
    """A document's text with its line starts, converting offsets and positions in one encoding."""

    text: str
    encoding: str = types.PositionEncodingKind.Utf16
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = [0] + [m.end() for m in LINE_BREAK.finditer(self.text)]
        self._units = UNITS.get(self.encoding, _units_utf16)

    def line_end(self, line: int) -> int:
        """Offset of the end of a line, before its line break."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            return end - (2 if self.text[end - 2:end] == "\r\n" else 1)
        return len(self.text)

    def position(self, offset: int) -> types.Position:
        """The LSP position of a character offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        offset = min(offset, self.line_end(line))  # never inside a \r\n pair
        return types.Position(line=line, character=self._units(self.text[self.starts[line]:offset]))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: types.Position) -> int:
        """The character offset of an LSP position. A line past the end means the end of the text; a character
        past the end of its line, the end of that line; one inside a character (half a surrogate pair, part of
        a UTF-8 sequence), that character's start."""
        if position.line >= len(self.starts):
            return len(self.text)
        offset, end = self.starts[position.line], self.line_end(position.line)
        units = 0
        while offset < end:
            units += self._units(self.text[offset])
            if units > position.character:
                break
            offset += 1
        return offset
