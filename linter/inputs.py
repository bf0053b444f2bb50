"""Turning command-line paths (files, directories, globs, `-`) into drafts to lint."""
from __future__ import annotations

import glob
import os
import sys
from pathlib import Path
from typing import Callable, Iterator

from .draft import MAX_BYTES_DEFAULT, RAISE_LIMIT, decode, read_file
from .errors import UserError
from .paths import printable, real, within

DEFAULT_EXTENSIONS = (".txt", ".md", ".j2", ".jinja", ".jinja2")
MAGIC = "*?["


def warn(message: str) -> None:
    """One warning line on stderr (control characters escaped)."""
    print(f"outreach-lint: warning: {printable(message)}", file=sys.stderr)


def lint_root(raw: str) -> Path:
    """The folder a command-line path may not leave through symlinks: the current folder for a path inside it
    (the repo being linted, whose symlinks are untrusted), else the folder the user named."""
    cwd = Path(os.getcwd())  # already free of symlinks
    lexical = Path(os.path.abspath(raw))
    if lexical == cwd or cwd in lexical.parents:
        return cwd
    parts = lexical.parts
    fixed = next((i for i, part in enumerate(parts) if any(ch in part for ch in MAGIC)), len(parts))
    base = Path(*parts[:fixed]) if fixed < len(parts) else lexical
    return real(base if fixed < len(parts) or base.is_dir() else base.parent)


def collect(paths: list[str], excluded: Callable[[str], bool] = lambda path: False,
            extensions: tuple[str, ...] = DEFAULT_EXTENSIONS, on_skip: Callable[[str], None] = warn
            ) -> list[tuple[str, str | None]]:
    """What to lint, in a stable order: (file, None) for each file (each once; `-` stays as stdin) and
    (argument, reason) for each argument that finds nothing. A file named explicitly that `excluded` matches is
    skipped quietly (pre-commit passes every changed file); a folder or glob left with nothing to lint is an
    error, as is a missing path. A path, walked file or glob match that resolves outside its lint root (a
    symlink out of the repo) is skipped with a warning; only regular files are linted."""
    out: list[tuple[str, str | None]] = []
    for raw in paths:
        if raw == "-":
            out.append((raw, None))
            continue
        path = Path(raw)
        root = lint_root(raw)
        if (path.is_dir() or path.exists()) and not within(path, root):
            on_skip(f"{raw}: resolves outside {root} (a symlink?); skipped")
            continue
        if path.is_dir():
            found = list(_confined(_walk(path, extensions), root, on_skip))
            what = f"no drafts in this folder (looked for {', '.join(extensions)} files)"
        elif path.exists():
            if not excluded(raw):
                out.append((raw, None))
            continue
        elif any(ch in raw for ch in MAGIC):
            found = list(_confined(iter(sorted(m for m in _glob(raw) if Path(m).is_file())), root, on_skip))
            what = "no files match this pattern"
        else:
            out.append((raw, f"{raw}: no such file or directory"))
            continue
        kept = [f for f in found if not excluded(f)]
        if not kept:
            out.append((raw, f"{raw}: " + (f"all {len(found)} files found are excluded by the config's exclude or "
                                           "extend-exclude" if found else what)))
        out.extend((f, None) for f in kept)
    return _unique(out)


def _confined(files: Iterator[str], root: Path, on_skip: Callable[[str], None]) -> Iterator[str]:
    for name in files:
        if within(name, root):
            yield name
        else:
            on_skip(f"{name}: resolves outside {root} (a symlink?); skipped")


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


def _unique(found: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Each file once, under the first name it was found by (`a.txt` and `./a.txt`, a symlink and its target)."""
    seen: set[str] = set()
    out = []
    for path, error in found:
        key = path if path == "-" or error is not None else os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append((path, error))
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
        return decode(data, name), _shown(name), base
    return read_file(Path(path), max_bytes), _shown(path), Path(path).parent


def _shown(name: str) -> str:
    """A path as reports carry it: bytes that are not UTF-8 (kept by the OS as surrogates) become U+FFFD, so
    every output format can encode it."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
