"""`outreach-lint server`: a Language Server Protocol server over stdio that keeps the model loaded.

`positions` converts offsets to LSP positions, `edits` builds the code actions' text edits, `linting` asks the
library for each document's findings, and `app` is the pygls server that schedules it all.
"""
from __future__ import annotations


def serve() -> None:
    """Run the language server on stdin/stdout (imports pygls only when called)."""
    from .app import serve as run

    run()
