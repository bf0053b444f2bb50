"""FM008 hidden-text: bidirectional controls that reorder what the reader sees (Trojan Source in a message).

Normalisation drops these characters before analysis (so they cannot split a sales word), which is why this
rule reads the draft as on disk and reports file offsets directly: each span runs from the control to the
character that ends its effect (PDF, PDI) or to the end of the line.
"""
from __future__ import annotations

import re

from .. import catalogue
from ..report import Finding

# embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI PDI); marks (LRM, RLM, ALM) reorder
# nothing on their own and are only removed by normalisation
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
RUN_RE = re.compile("[\u202a\u202b\u202d\u202e\u2066-\u2068][^\n\r\u202c\u2069]*[\u202c\u2069]?|[\u202c\u2069]")
NAMES = {"\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL "
         "FORMATTING", "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE",
         "\u2066": "LEFT-TO-RIGHT ISOLATE", "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE",
         "\u2069": "POP DIRECTIONAL ISOLATE"}


def findings(draft, stage: str, config) -> list[Finding]:
    """FM008 findings in file offsets, one per run of reordered text."""
    if not BIDI_RE.search(draft.text, draft.body_start):
        return []
    meta = catalogue.rules()["FM008"]
    severity = config.severity.get("FM008") or meta.severity_for(stage)
    out = []
    for m in RUN_RE.finditer(draft.text, draft.body_start):
        start, end = m.span()
        ch = m.group(0)[0]
        line, col = draft.position(start)
        end_line, end_col = draft.position(end)
        out.append(Finding(code="FM008", name=meta.name, category=meta.category, severity=severity,
                           message=f"Invisible U+{ord(ch):04X} {NAMES[ch]} changes the order in which this text "
                                   "is shown: the reader does not see what was written.",
                           line=line, column=col, end_line=end_line, end_column=end_col, start=start, end=end,
                           excerpt=draft.text[start:end],
                           suggestion="Delete the invisible control characters and retype the words in order."))
    return out
