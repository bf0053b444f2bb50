from __future__ import annotations

import re
from typing import Iterator

from .. import Context, Hit, rule

# embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI PDI); marks (LRM, RLM, ALM) reorder
# nothing on their own and are only removed by normalisation
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
RUN_RE = re.compile("[\u202a\u202b\u202d\u202e\u2066-\u2068][^\n\r\u202c\u2069]*[\u202c\u2069]?|[\u202c\u2069]")
NAMES = {"\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL "
         "FORMATTING", "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE",
         "\u2066": "LEFT-TO-RIGHT ISOLATE", "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE",
         "\u2069": "POP DIRECTIONAL ISOLATE"}


@rule("FM008", "hidden-text", severity="warning", example_stage="post-connection", decisive=True)
def hidden_text(ctx: Context) -> Iterator[Hit]:
    """Flags bidirectional control characters (U+202A-U+202E, U+2066-U+2069) in a draft: invisible characters
    that change the order in which the following text is shown.

    Why is this bad?
        What the recipient reads is not what was written (or linted): reordered text can hide a pitch, a link or
        a placeholder, and looks like spam or a phishing trick when it is noticed.

    Example:
        Hi Ana, your post on onboarding was sharp. \u202eevird ruo ta kool a ekat\u202c What did you change first?

    Use instead:
        Hi Ana, your post on onboarding was sharp. What did you change first?
    """
    draft = ctx.draft
    if not BIDI_RE.search(draft.text, draft.body_start):
        return  # normalisation drops these before analysis, so the draft is read as on disk (file offsets)
    for m in RUN_RE.finditer(draft.text, draft.body_start):
        ch = m.group(0)[0]
        yield Hit("FM008", m.start(), m.end(), f"Invisible U+{ord(ch):04X} {NAMES[ch]} changes the order in which "
                                               "this text is shown: the reader does not see what was written.",
                  "Delete the invisible control characters and retype the words in order.", file_offsets=True)
