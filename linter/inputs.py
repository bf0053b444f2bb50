"""Turning command-line paths (files, directories, globs, `-`) into drafts to lint."""
from __future__ import annotations

import glob
import os
import sys
from pathlib import Path
from typing import Iterator

from .draft import MAX_BYTES_DEFAULT, RAISE_LIMIT, decode, read_file
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
            matches = sorted(m for m in _glob(raw) if Path(m).is_file())
            if not matches:
                raise UserError(f"{raw}: no files match this pattern")
            out.extend(matches)
        else:
            raise UserError(f"{raw}: no such file or directory")
    return _unique(out)


def _glob(pattern: str) -> list[str]:
    """Paths matching a glob. `**` does not follow symlinked directories: glob.glob does, so a link to a parent
    folder made it run for ever (two such links: 2^40 paths). pathlib does not follow them; as in glob.glob,
    wildcards do not match hidden names (a hidden folder named in the pattern is fine)."""
    if "**" not in pattern:
        return glob.glob(pattern)
    path = Path(pattern)
    root = Path(path.anchor) if path.anchor else Path()
    named = set(path.parts)
    out = []
    for match in root.glob(str(path.relative_to(path.anchor)) if path.anchor else pattern):
        if not any(part.startswith(".") and part not in named for part in match.relative_to(root).parts):
            out.append(str(match))
    return out


def _unique(paths: list[str]) -> list[str]:
    """Each file once, under the first name it was found by (`a.txt` and `./a.txt`, a symlink and its target)."""
    seen: set[str] = set()
    out = []
    for path in paths:
        key = path if path == "-" else os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _walk(root: Path, extensions: tuple[str, ...]) -> Iterator[str]:
    """Regular files below a directory, not following symlinked directories (so loops cannot hang us); broken
    symlinks, pipes and devices are skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = Path(dirpath) / name
            if name.lower().endswith(extensions) and not name.startswith(".") and path.is_file():
                found.append(str(path))
    return iter(sorted(found))


def read(path: str, stdin_filename: str | None = None, max_bytes: int = MAX_BYTES_DEFAULT) -> tuple[str, str, Path]:
    """(text, display path, base directory for relative profile paths) of one input. A file or stdin over
    `max_bytes` is refused (at most max_bytes + 1 bytes are read)."""
    if path == "-":
        name = stdin_filename or "-"
        if sys.stdin is None:  # started with standard input closed
            raise UserError(f"{name}: no standard input to read")
        try:
            data = sys.stdin.buffer.read(max_bytes + 1)
        except OSError as exc:
            raise UserError(f"{name}: cannot read standard input ({exc.strerror or exc})") from None
        if len(data) > max_bytes:
            raise UserError(f"{name}: standard input is over the {max_bytes}-byte limit for a draft ({RAISE_LIMIT})")
        base = Path(stdin_filename).parent if stdin_filename else Path.cwd()
        return decode(data, name), name, base
    return read_file(Path(path), max_bytes), path, Path(path).parent
