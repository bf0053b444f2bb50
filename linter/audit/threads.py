"""From export rows to staged threads: the owner, conversations rebuilt (by id, or by the other person in 2018
exports), each sent message's stage, and near-duplicate openers. Rows are spilled to a temporary SQLite file
and read back one conversation at a time, so memory does not grow with the number of messages."""
from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator

from ..errors import UserError
from .export import Connection, Export, Invitation, When, norm_name, norm_url

GREETING_RE = re.compile(r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|thanks for "
                         r"connecting|thank you for connecting)\b[^\n.!?]{0,40}[,.!:\n-]+\s*", re.I)


@dataclass
class Item:
    """One message of a thread; the stage fields are set for the owner's sent messages."""

    file: str
    row: int
    when: When | None
    sender: str
    mine: bool
    text: str
    sponsored: bool = False
    stage: str | None = None
    sequence_step: int | None = None
    replied: bool | None = None
    skipped: str | None = None  # why a sent message was not linted (too big, unreadable front matter)


@dataclass
class Thread:
    """A conversation with one or more other people, oldest message first."""

    export: int
    key: str
    conversation_id: str
    title: str
    others: list[str]
    other_url: str
    connected_on: When | None
    items: list[Item] = field(default_factory=list)
    opener_cluster: int | None = None  # index of its near-duplicate opener group, when that group is big
    opener_copies: int = 0

    @property
    def sent(self) -> list[Item]:
        return [i for i in self.items if i.mine]

    @property
    def started_by_owner(self) -> bool:
        return bool(self.items) and self.items[0].mine


@dataclass
class Owner:
    """The account owner: how they are named and linked in the export, and how that was decided."""

    name: str
    names: frozenset[str]
    urls: frozenset[str]
    how: str

    def is_me(self, name: str, url: str) -> bool:
        return (bool(url) and norm_url(url) in self.urls) or (not url or not self.urls) and norm_name(name) in \
            self.names


class Connections:
    """Connected On dates by profile URL and by name (one export has at most 30,000 connections)."""

    def __init__(self, rows: Iterator[Connection]) -> None:
        self.by_url: dict[str, When] = {}
        self.by_name: dict[str, When | None] = {}
        self.count = self.hidden = 0
        for c in rows:
            self.count += 1
            if not c.name:
                self.hidden += 1
                continue
            if c.url and c.connected_on:
                self.by_url[norm_url(c.url)] = c.connected_on
            key = norm_name(c.name)
            # two connections with one name: the name alone cannot tell them apart
            self.by_name[key] = None if key in self.by_name and self.by_name[key] != c.connected_on \
                else c.connected_on

    def connected_on(self, name: str, url: str) -> When | None:
        if url and norm_url(url) in self.by_url:
            return self.by_url[norm_url(url)]
        return self.by_name.get(norm_name(name))


class Store:
    """A temporary SQLite file holding one export's messages, read back by conversation."""

    def __init__(self) -> None:
        fd, self.path = tempfile.mkstemp(prefix="outreach-lint-audit-", suffix=".sqlite")
        os.close(fd)
        self.db = sqlite3.connect(self.path)
        self.db.executescript("""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16000; PRAGMA temp_store=FILE;
            CREATE TABLE msg (conv TEXT, ts TEXT, row INT, cid TEXT, title TEXT, sender TEXT, surl TEXT,
                              recips TEXT, rurl TEXT, exact INT, content TEXT, direction TEXT, sponsored INT,
                              file TEXT);
            CREATE TABLE part (conv TEXT, name TEXT, UNIQUE (conv, name));
            CREATE TABLE opener (conv TEXT PRIMARY KEY, grp INT);
        """)
        self.messages = self.drafts = self.undated = 0

    def load(self, export: Export) -> None:
        rows, parts = [], []
        for m in export.messages():
            if m.draft:
                self.drafts += 1
                continue
            if m.when is None:
                self.undated += 1
                continue
            if m.direction:  # 2018: no conversation id; the thread is the pair of people
                other = m.to[0] if m.direction == "OUTGOING" and m.to else m.sender
                conv = "pair:" + norm_name(other)
            else:
                conv = "id:" + (m.conversation_id or f"row{m.row}")
            rows.append((conv, m.when.at.isoformat(), m.row, m.conversation_id, m.title, m.sender, m.sender_url,
                         "\x1f".join(m.to), "\x1f".join(m.to_urls), int(m.when.exact), m.content, m.direction,
                         int(m.sponsored), m.file))
            parts += [(conv, norm_name(n)) for n in (m.sender, *m.to) if n]
            if len(rows) >= 5000:
                self._flush(rows, parts)
                rows, parts = [], []
        self._flush(rows, parts)
        self.db.execute("CREATE INDEX msg_conv ON msg (conv, ts, row)")

    def _flush(self, rows: list, parts: list) -> None:
        self.messages += len(rows)
        self.db.executemany("INSERT INTO msg VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        self.db.executemany("INSERT OR IGNORE INTO part VALUES (?,?)", parts)

    def owner(self, me: str | None, connections: "Connections") -> Owner:
        """The owner: `--me` (a profile URL or a name), else the sender of the 2018 OUTGOING rows, else the
        person who takes part in the most conversations."""
        if me:
            if "linkedin.com/" in me.lower() or me.lower().startswith("http"):
                url = norm_url(me)
                names = {norm_name(r[0]) for r in self.db.execute("SELECT DISTINCT sender FROM msg WHERE surl != ''")
                         if norm_url(self._url_of(r[0])) == url}
                return Owner(me, frozenset(names), frozenset({url}), "--me")
            return Owner(me, frozenset({norm_name(me)}), frozenset(self._urls(norm_name(me))), "--me")
        row = self.db.execute("SELECT sender FROM msg WHERE direction = 'OUTGOING' LIMIT 1").fetchone()
        if row:
            return Owner(row[0], frozenset({norm_name(row[0])}), frozenset(), "Direction column")
        ranked = self.db.execute("SELECT name, COUNT(*) FROM part GROUP BY name ORDER BY 2 DESC, 1 LIMIT 20"
                                 ).fetchall()
        if not ranked:
            raise UserError("cannot tell who owns the export (no messages); pass --me NAME|URL")
        total = self.db.execute("SELECT COUNT(DISTINCT conv) FROM part").fetchone()[0]
        tied = [n for n, c in ranked if c == ranked[0][1]]
        if len(tied) > 1:  # the owner is never one of their own connections
            tied = [n for n in tied if n not in connections.by_name] or tied
        if len(tied) > 1:
            raise UserError(f"cannot tell who owns the export ('{tied[0]}' and '{tied[1]}' are in as many "
                            "conversations); pass --me NAME|URL")
        name = tied[0]
        shown = self.db.execute("SELECT sender FROM msg WHERE sender != '' ORDER BY conv, ts LIMIT 1000").fetchall()
        display = next((s for (s,) in shown if norm_name(s) == name), name)
        return Owner(display, frozenset({name}), frozenset(self._urls(name)),
                     f"in {ranked[0][1]} of {total} conversations")

    def _urls(self, name: str) -> set[str]:
        return {norm_url(u) for s, u in self.db.execute("SELECT DISTINCT sender, surl FROM msg WHERE surl != ''")
                if norm_name(s) == name}

    def _url_of(self, sender: str) -> str:
        row = self.db.execute("SELECT surl FROM msg WHERE sender = ? AND surl != '' LIMIT 1", (sender,)).fetchone()
        return row[0] if row else ""

    def threads(self, export: int, owner: Owner, connections: Connections) -> Iterator[Thread]:
        """Every conversation, staged, in a stable order (by conversation key)."""
        cur = self.db.execute("SELECT m.*, o.grp FROM msg m LEFT JOIN opener o ON o.conv = m.conv "
                              "ORDER BY m.conv, m.ts, m.row DESC")
        sizes = dict(self.db.execute("SELECT grp, COUNT(*) FROM opener GROUP BY grp"))
        thread: Thread | None = None
        for (conv, ts, row, cid, title, sender, surl, recips, rurl, exact, content, direction, sponsored, file,
             grp) in cur:
            if thread is None or thread.key != conv:
                if thread is not None:
                    yield _finish(thread, connections)
                thread = Thread(export, conv, cid or "", title or "", [], "", None)
                thread.opener_cluster = grp
                thread.opener_copies = sizes.get(grp, 0) if grp is not None else 0
            mine = direction == "OUTGOING" if direction else owner.is_me(sender, surl)
            when = When(datetime.fromisoformat(ts), bool(exact))
            thread.items.append(Item(file, row, when, sender, mine, content, bool(sponsored)))
            people = list(zip(recips.split("\x1f"), (rurl.split("\x1f") if rurl else []) + [""] * 99)) if mine \
                else [(sender, surl)]
            for name, url in people:
                if name and name not in thread.others and not owner.is_me(name, url):
                    thread.others.append(name)
                    if not thread.other_url and url:
                        thread.other_url = url
        if thread is not None:
            yield _finish(thread, connections)

    def cluster_openers(self, owner: Owner, similarity: float, min_copies: int, max_groups: int = 2000) -> int:
        """Group the owner's first messages that are near-identical once the greeting is removed (rapidfuzz);
        returns how many groups have at least min_copies members. Keeps at most max_groups representatives."""
        from rapidfuzz import fuzz, process

        reps: list[str] = []
        exact: dict[str, int] = {}
        out = []
        cur = self.db.execute("SELECT conv, sender, surl, content, direction FROM msg m WHERE NOT EXISTS "
                              "(SELECT 1 FROM msg e WHERE e.conv = m.conv AND (e.ts < m.ts OR "
                              "(e.ts = m.ts AND e.row > m.row))) ORDER BY conv")
        for conv, sender, surl, content, direction in cur:
            mine = direction == "OUTGOING" if direction else owner.is_me(sender, surl)
            if not mine:
                continue
            body = opener_key(content)
            if len(body) < 20:
                continue
            grp = exact.get(body)
            if grp is None and reps:
                best = process.extractOne(body, reps, scorer=fuzz.ratio, score_cutoff=similarity)
                grp = best[2] if best else None
            if grp is None and len(reps) < max_groups:
                grp = len(reps)
                reps.append(body)
                exact[body] = grp
            if grp is not None:
                out.append((conv, grp))
        self.db.executemany("INSERT INTO opener VALUES (?,?)", out)
        counts = Counter(g for _, g in out)
        keep = {g for g, n in counts.items() if n >= min_copies}
        self.db.execute(f"DELETE FROM opener WHERE grp NOT IN ({','.join(map(str, keep)) or '-1'})")
        self.representatives = reps
        return len(keep)

    def close(self) -> None:
        self.db.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


def _finish(thread: Thread, connections: Connections) -> Thread:
    if thread.others:
        thread.connected_on = connections.connected_on(thread.others[0], thread.other_url)
    return stage(thread)


def opener_key(text: str) -> str:
    """A first message as compared for copy-paste: no greeting line, names and case folded, spaces collapsed."""
    body = text[greeting_end(text):]
    return " ".join(norm_name(body).split())


def greeting_end(text: str) -> int:
    """Where the message starts after its greeting ("Hi Dana," / "Thanks for connecting, Dana!")."""
    m = GREETING_RE.match(text)
    return m.end() if m else len(text) - len(text.lstrip())


def stage(thread: Thread) -> Thread:
    """Set stage, sequence_step and replied on the owner's messages: a message answering theirs is a `reply`;
    the owner's first message is `post-connection` once they are connected, else `cold` (and the first one
    after Connected On that follows cold ones is `post-connection`); any other is a `follow-up`. The step counts
    the owner's messages in the thread; replied says whether the other side wrote before it."""
    mine_count = 0
    seen_theirs = last_theirs = first_done = only_cold = False
    for item in thread.items:
        if not item.mine:
            seen_theirs = last_theirs = True
            continue
        mine_count += 1
        connected = _connected_by(thread.connected_on, item.when)
        if last_theirs:
            item.stage = "reply"
        elif not first_done or (only_cold and connected):
            item.stage = "post-connection" if connected else "cold"
            first_done, only_cold = True, not connected
        else:
            item.stage = "follow-up"
        item.sequence_step = mine_count
        item.replied = seen_theirs
        last_theirs = False
    return thread


def _connected_by(connected_on: When | None, when: When | None) -> bool:
    if connected_on is None or when is None:
        return False
    if connected_on.exact and when.exact:
        return connected_on.at <= when.at
    return connected_on.at.date() <= when.at.date()


def invitation_threads(export: int, rows: Iterator[Invitation], owner: Owner, connections: Connections
                       ) -> Iterator[Thread]:
    """Each outgoing invitation with a note, as a one-message thread at the connection-request stage."""
    for inv in rows:
        mine = inv.direction == "OUTGOING" or (not inv.direction and owner.is_me(inv.sender, inv.inviter_url))
        if not mine or not inv.message:
            continue
        item = Item(inv.file, inv.row, inv.when, inv.sender, True, inv.message, stage="connection-request",
                    sequence_step=1, replied=False)
        yield Thread(export, f"invitation:{inv.row}", "", "", [inv.to], inv.invitee_url,
                     connections.connected_on(inv.to, inv.invitee_url), [item])
