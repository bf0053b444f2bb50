"""Reading a LinkedIn data export (a .zip or a folder): Connections.csv, messages.csv and Invitations.csv of
every era, as streams of typed rows that remember their file and row number."""
from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Iterator

from ..errors import UserError

FILES = {"connections": "connections.csv", "messages": "messages.csv", "invitations": "invitations.csv"}
MAX_FIELD = 1 << 20  # one CSV field (a message) of at most 1 MiB; longer ones are a broken file, not a message
_TAG_RE = re.compile(r"<[^>]{0,2000}>")
_BREAK_TAG_RE = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h\d)\s*/?\s*>", re.I)
_URL_CLEAN_RE = re.compile(r"[?#].*$")
# every date format seen in real exports, tried in order
_DATE_FORMATS = [("%Y-%m-%d %H:%M:%S UTC", True), ("%Y-%m-%d %H:%M:%S", True), ("%Y-%m-%d %H:%M", True),
                 ("%m/%d/%y, %I:%M %p", True), ("%m/%d/%Y, %I:%M %p", True), ("%m/%d/%y %I:%M %p", True),
                 ("%d %b %Y", False), ("%d-%b-%y", False), ("%d-%b-%Y", False), ("%Y-%m-%d", False),
                 ("%m/%d/%y", False), ("%m/%d/%Y", False), ("%d %B %Y", False), ("%b %d, %Y", False)]

csv.field_size_limit(MAX_FIELD)


@dataclass(frozen=True)
class When:
    """A timestamp from the export; `exact` is False when the file only gave a date (day resolution)."""

    at: datetime
    exact: bool

    def iso(self) -> str:
        return self.at.strftime("%Y-%m-%d %H:%M:%S") if self.exact else self.at.strftime("%Y-%m-%d")


@dataclass
class Message:
    """One row of messages.csv (any era)."""

    file: str
    row: int
    conversation_id: str
    title: str
    sender: str
    sender_url: str
    to: tuple[str, ...]
    to_urls: tuple[str, ...]
    when: When | None
    content: str
    folder: str
    direction: str  # OUTGOING/INCOMING in 2018 exports, else ""
    sponsored: bool
    draft: bool


@dataclass
class Connection:
    """One row of Connections.csv; hidden profiles have only a date."""

    file: str
    row: int
    first_name: str
    last_name: str
    url: str
    email: str
    company: str
    position: str
    connected_on: When | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class Invitation:
    """One row of Invitations.csv: the connection note, if any."""

    file: str
    row: int
    sender: str
    to: str
    when: When | None
    message: str
    direction: str
    inviter_url: str
    invitee_url: str


def parse_when(value: str) -> When | None:
    """A date in any of the export's formats, or None when blank or unreadable."""
    value = " ".join(value.replace("\u202f", " ").split())
    if not value:
        return None
    for fmt, exact in _DATE_FORMATS:
        try:
            return When(datetime.strptime(value, fmt), exact)
        except ValueError:
            continue
    return None


def norm_url(url: str) -> str:
    """A profile URL as a comparable key: lower case, no scheme, www, query or trailing slash."""
    url = _URL_CLEAN_RE.sub("", url.strip().lower())
    url = re.sub(r"^https?://", "", url)
    url = re.sub(r"^(?:www\.|[a-z]{2}\.)?linkedin\.com", "linkedin.com", url)
    return url.rstrip("/")


def norm_name(name: str) -> str:
    """A display name as a comparable key: styled letters folded (NFKC), emoji and marks dropped, case-folded."""
    folded = unicodedata.normalize("NFKC", name)
    kept = "".join(c for c in folded if unicodedata.category(c)[0] in "LNZ" or c in "-'.,")
    return " ".join(kept.casefold().split())


def plain_text(content: str) -> tuple[str, bool]:
    """Message text with HTML tags removed and entities decoded; True when the content was HTML."""
    if "<" not in content and "&" not in content:
        return content, False
    is_html = bool(_TAG_RE.search(content))
    text = _BREAK_TAG_RE.sub("\n", content) if is_html else content
    text = _TAG_RE.sub("", text) if is_html else text
    text = html.unescape(text).replace("\xa0", " ")
    if is_html:
        text = "\n".join(line.strip() for line in text.splitlines())
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text, is_html


class Export:
    """The export files of one member: a .zip (read in place, never extracted) or a folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self.members: dict[str, str] = {}
        if path.is_dir():
            self._scan_folder()
        elif path.is_file():
            self._open_zip()
        else:
            raise UserError(f"{path}: no such export (a LinkedIn data export .zip or folder)")
        if "messages" not in self.members and "connections" not in self.members \
                and "invitations" not in self.members:
            raise UserError(f"{path}: not a LinkedIn data export (no messages.csv, Connections.csv or "
                            "Invitations.csv)")

    def _scan_folder(self) -> None:
        root = self.path.resolve()
        for child in sorted(self.path.rglob("*.csv")):
            key = FILES_BY_NAME.get(child.name.lower())
            if key is None or key in self.members or len(child.relative_to(self.path).parts) > 3:
                continue
            try:
                child.resolve().relative_to(root)
            except ValueError:
                raise UserError(f"{child}: links outside the export folder; refusing to read it") from None
            if child.is_file():
                self.members[key] = str(child)

    def _open_zip(self) -> None:
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UserError(f"{self.path}: not a readable zip file ({exc})") from None
        for info in sorted(self._zip.infolist(), key=lambda i: i.filename):
            name = info.filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
            key = FILES_BY_NAME.get(name)
            if key is not None and key not in self.members and not info.is_dir():
                self.members[key] = info.filename

    def label(self, key: str) -> str:
        """How a file is named in reports: the export path and the file inside it."""
        member = self.members[key]
        if self._zip is not None:
            return f"{self.path.name}/{member}"
        return str(Path(member).relative_to(self.path.parent)) if Path(member).is_relative_to(self.path.parent) \
            else member

    def _open(self, key: str) -> IO[str]:
        if self._zip is not None:
            raw = self._zip.open(self.members[key])
        else:
            raw = open(self.members[key], "rb")
        return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")

    def _rows(self, key: str, header_start: str | None = None) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number in the file, {lower-case header: value}) of a CSV, after any preamble."""
        if key not in self.members:
            return
        try:
            with self._open(key) as handle:
                line_no = 0
                if header_start is not None:
                    pending = []
                    for line in handle:  # preamble: skip lines until the header
                        line_no += 1
                        if line.lstrip('\ufeff"').lower().startswith(header_start):
                            pending.append(line)
                            break
                    else:
                        return
                    lines = _chain(pending, handle)
                else:
                    lines = handle
                reader = csv.reader(lines)
                header = next(reader, None)
                if not header:
                    return
                header = [h.strip().lstrip("\ufeff").lower() for h in header]
                offset = max(line_no - 1, 0)  # preamble lines before the header
                before = reader.line_num
                for row in reader:
                    start, before = offset + before + 1, reader.line_num
                    if any(cell.strip() for cell in row):
                        yield start, dict(zip(header, row))
        except (csv.Error, zipfile.BadZipFile, OSError, EOFError) as exc:
            raise UserError(f"{self.label(key)}: cannot read ({exc})") from None

    def connections(self) -> Iterator[Connection]:
        for row, r in self._rows("connections", "first name,"):
            yield Connection(self.label("connections"), row, _get(r, "first name"), _get(r, "last name"),
                             _get(r, "url"), _get(r, "email address"), _get(r, "company"), _get(r, "position"),
                             parse_when(_get(r, "connected on")))

    def invitations(self) -> Iterator[Invitation]:
        for row, r in self._rows("invitations"):
            yield Invitation(self.label("invitations"), row, _get(r, "from"), _get(r, "to"),
                             parse_when(_get(r, "sent at")), plain_text(_get(r, "message"))[0].strip(),
                             _get(r, "direction").upper(), _get(r, "inviterprofileurl"),
                             _get(r, "inviteeprofileurl"))

    def messages(self) -> Iterator[Message]:
        label = self.label("messages") if "messages" in self.members else ""
        for row, r in self._rows("messages"):
            content, is_html = plain_text(_get(r, "content"))
            sender_url = _get(r, "sender profile url")
            to_urls = tuple(u.strip() for u in _get(r, "recipient profile urls").split(",") if u.strip())
            to_raw = _get(r, "to")
            to = _split_names(to_raw, len(to_urls))
            draft = _get(r, "is message draft").lower() == "true"
            yield Message(label, row, _get(r, "conversation id"), _get(r, "conversation title"),
                          _get(r, "from").strip(), sender_url, to, to_urls, parse_when(_get(r, "date")),
                          content, _get(r, "folder").upper(), _get(r, "direction").upper(),
                          is_html and not sender_url, draft)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


FILES_BY_NAME = {name: key for key, name in FILES.items()}


def _chain(first: list[str], rest: IO[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _get(row: dict[str, str], key: str) -> str:
    value = row.get(key)
    return value.strip("\ufeff") if value else ""


_SUFFIXES = {"ph.d.", "phd", "md", "m.d.", "mba", "jr.", "jr", "sr.", "sr", "ii", "iii", "cpa", "pmp", "msc", "bsc"}


def _split_names(value: str, expected: int) -> tuple[str, ...]:
    """`TO` names joined with ", " (a name may itself contain ", ", as in "Jane Doe, Ph.D.")."""
    value = value.strip()
    if not value:
        return ()
    if expected == 1:
        return (value,)
    parts: list[str] = []
    for part in value.split(", "):
        if parts and (part.strip().lower() in _SUFFIXES or not part.strip()):
            parts[-1] = f"{parts[-1]}, {part}"
        else:
            parts.append(part)
    return tuple(p.strip() for p in parts)
