"""The text edits behind the server's code actions, as (start, end, new text) in character offsets.

Each works on the document as the editor holds it and keeps its line endings. Applying one and linting again
gives the result the action promises (the tests do exactly that).
"""
from __future__ import annotations

import re

import yaml

from .. import draft as draft_mod
from ..errors import UserError
from .positions import LINE_BREAK

Edit = tuple[int, int, str]
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def newline(text: str) -> str:
    """The document's line break (its first one; a text without one gets \\n)."""
    m = LINE_BREAK.search(text)
    return m.group(0) if m else "\n"


def ignore_in_front_matter(text: str, code: str) -> Edit | None:
    """Add `code` to the front matter's `ignore:` list, creating the list (or the front matter) if needed."""
    try:
        d = draft_mod.parse(text)
    except UserError:
        return None
    nl = newline(text)
    if not d.meta and d.body_start == 0:
        return 0, 0, f"---{nl}ignore: [{code}]{nl}---{nl}"
    lines = [m for m in _LINES.finditer(text[:d.body_start])]
    head, closing = lines[0].end(), lines[-1].start()
    node = yaml.compose(text[head:closing])
    codes = [*(d.meta.get("ignore") or ()), code]
    for key, value in getattr(node, "value", None) or ():
        if getattr(key, "value", None) == "ignore":
            start, end = head + key.start_mark.index, head + value.end_mark.index
            end -= len(text[start:end]) - len(text[start:end].rstrip())  # a block list ends on the next line
            return start, end, f"ignore: [{', '.join(codes)}]"
    return closing, closing, f"ignore: [{code}]{nl}"


def disable_next_line(text: str, offset: int, code: str) -> Edit | None:
    """A `disable-next-line` directive for the line holding `offset`, added to a directive already right above
    it, else on a new line with the same indentation."""
    try:
        d = draft_mod.parse(text)
    except UserError:
        return None
    starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]
    line = max(i for i, s in enumerate(starts) if s <= offset)
    if starts[line] < d.body_start:
        return None  # directives live in the body
    if line > 0 and starts[line - 1] >= d.body_start:
        above = text[starts[line - 1]:starts[line]].rstrip("\r\n")
        m = draft_mod.DIRECTIVE_RE.match(above)
        if m and m.group(1) == "disable-next-line":
            at = starts[line - 1] + m.end(2)
            return at, at, f",{code}"
    indent = re.match(r"[ \t]*", text[starts[line]:]).group(0)
    return starts[line], starts[line], f"{indent}# outreach-lint: disable-next-line={code}{newline(text)}"


def replace_body(text: str, body: str) -> Edit:
    """Replace everything after the front matter with `body` (the front matter is kept as it is)."""
    return draft_mod.parse(text).body_start, len(text), body
