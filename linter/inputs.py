"""Turning command-line paths (files, directories, globs, `-`) into drafts to lint."""
from __future__ import annotations

import glob
import os
import sys
from pathlib import Path
from typing import Iterator

from .draft import decode, read_file
from .errors import UserError

DEFAULT_EXTENSIONS = (".txt", ".md", ".j2", ".jinja", ".jinja2")


def expand(paths: list[str], extensions: tuple[str, ...] = DEFAULT_EXTENSIONS) -> list[str]:
    """Files to lint, in a stable order; `-` stays as stdin. Missing paths are a user error."""
    out: list[str] = []
    for raw in paths:
        if raw == "-":
            out.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            out.extend(_walk(path, extensions))
        elif path.exists():
            out.append(raw)
        elif any(ch in raw for ch in "*?["):
            matches = sorted(m for m in glob.glob(raw, recursive=True) if Path(m).is_file())
            if not matches:
                raise UserError(f"{raw}: no files match this pattern")
            out.extend(matches)
        else:
            raise UserError(f"{raw}: no such file or directory")
    return list(dict.fromkeys(out))


def _walk(root: Path, extensions: tuple[str, ...]) -> Iterator[str]:
    """Files below a directory, not following symlinked directories (so loops cannot hang us)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.lower().endswith(extensions) and not name.startswith("."):
                found.append(str(Path(dirpath) / name))
    return iter(sorted(found))


def read(path: str, stdin_filename: str | None = None) -> tuple[str, str, Path]:
    """(text, display path, base directory for relative profile paths) of one input."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = stdin_filename or "-"
        base = Path(stdin_filename).parent if stdin_filename else Path.cwd()
        return decode(data, name), name, base
    return read_file(Path(path)), path, Path(path).parent
