"""The trust boundary on the file system: the linted repo is untrusted data.

Paths that come from the repo (symlinks, front matter, config keys, template manifests) must resolve inside
an allowed root; only regular files are read (a FIFO or device could hang the run or never end); writes
follow the user's own symlink, keep mode and owner, refuse read-only or hard-linked files and files changed
since they were read, and never leave temp files behind.
"""
from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import UserError

# C0 and C1 controls and DEL, as "\x1b"-style escapes, for messages on stderr (one line, nothing a terminal or a
# CI log parser acts on)
_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7f, *range(0x80, 0xa0))}
_ESCAPES.update({0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"})


def printable(text: str) -> str:
    """`text` with control characters escaped and undecodable file-name bytes shown as U+FFFD."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text.translate(_ESCAPES)


def real(path: Path | str) -> Path:
    return Path(os.path.realpath(path))


def within(path: Path | str, root: Path | str) -> bool:
    """Whether `path`, with every symlink resolved, is `root` (also resolved) or below it."""
    target, base = real(path), real(root)
    return target == base or base in target.parents


def confine(path: Path, roots: Iterable[Path | None], what: str) -> Path:
    """`path` resolved, if it is inside one of `roots`; else a user error naming `what` (never the file's
    contents). Used for every path a repo can name: front matter, config keys, template manifests."""
    allowed = [r for r in roots if r is not None]
    if not any(within(path, r) for r in allowed):
        shown = " or ".join(dict.fromkeys(printable(str(real(r))) for r in allowed)) or "the linted folder"
        raise UserError(f"{what}: {printable(str(path))} is outside {shown}; paths from the repo must stay "
                        "inside it (name the file on the command line instead)")
    return real(path)


def read_regular(path: Path | str, limit: int, what: str = "file") -> tuple[bytes, os.stat_result]:
    """At most limit + 1 bytes of a regular file, and its stat. A FIFO, device, socket or directory is a user
    error: it is opened non-blocking, so a FIFO with no writer cannot hang the run."""
    shown = printable(str(path))
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UserError(f"{shown}: {what} not found") from None
    except IsADirectoryError:
        raise UserError(f"{shown}: cannot read {what} (is a directory)") from None
    except OSError as exc:
        raise UserError(f"{shown}: cannot read {what} ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UserError(f"{shown}: cannot read {what} (is a directory)")
        if not stat.S_ISREG(info.st_mode):
            raise UserError(f"{shown}: not a regular file (pipes, devices and sockets are not read)")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), info
    except OSError as exc:
        raise UserError(f"{shown}: cannot read {what} ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str, *, unchanged: str | None = None, what: str = "output") -> None:
    """Write `text` to `path` atomically; see `atomic_writer`."""
    with atomic_writer(path, unchanged=unchanged, what=what) as handle:
        handle.write(text)


@contextmanager
def atomic_writer(path: Path, *, unchanged: str | None = None, what: str = "output") -> Iterator[IO[str]]:
    """A UTF-8 text handle whose contents replace `path` atomically when the block ends without an error
    (temp file in the same folder, fsync, rename); on an error the temp file is removed and `path` is untouched.

    A symlink is followed to its real file (which is replaced, not the link); a device or FIFO
    (`/dev/stdout`) is written directly. An existing file keeps its mode and, where allowed, its owner;
    a new one gets the umask's mode. Refused: a read-only file, a file with more than one hard link
    (replacing it would break the links), and with `unchanged`, a file whose text is no longer that (it was
    edited since it was read)."""
    shown = printable(str(path))
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UserError(f"{shown}: cannot write {what} ({exc.strerror or exc})") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise UserError(f"{shown}: is a directory")
    if info is not None and not stat.S_ISREG(info.st_mode):
        try:  # a terminal, pipe or /dev/stdout (whose real path is no file name): written directly
            with open(path, "w", encoding="utf-8", newline="") as handle:
                yield handle
        except OSError as exc:
            raise UserError(f"{shown}: cannot write {what} ({exc.strerror or exc})") from None
        return
    target = real(path)  # the user's own symlink is followed: its file is replaced, not the link
    if info is not None and (not info.st_mode & 0o222 or not os.access(target, os.W_OK)):  # root passes access()
        raise UserError(f"{shown}: is read-only; not written")
    if info is not None and info.st_nlink > 1:
        raise UserError(f"{shown}: has {info.st_nlink} hard links; replacing it would break them, not written")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(f"{shown}: cannot write {what} ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if info is not None:
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
            if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.chown(tmp, info.st_uid, info.st_gid)
                except PermissionError:
                    pass  # only root may give a file away; the mode is kept
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        if unchanged is not None:
            from .draft import decode

            current, _ = read_regular(target, 4 * len(unchanged) + 4, what)
            if decode(current, shown) != unchanged:
                raise UserError(f"{shown}: changed since it was read; not written (run again)")
        os.replace(tmp, target)
    except OSError as exc:
        raise UserError(f"{shown}: cannot write {what} ({exc.strerror or exc})") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
