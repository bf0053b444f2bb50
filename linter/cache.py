"""Result cache: a draft's findings and metrics, keyed by everything that can change them.

The repo being linted is untrusted, so the cache never lives in it: it is a per-user folder
(`platformdirs.user_cache_path("outreach-lint")`, `$XDG_CACHE_HOME/outreach-lint` on Linux), created
0700, holding one SQLite file; neither is ever followed through a symlink. An entry is only believed when it
is a JSON object of the exact shape the linter writes, for this key and this text (spans inside it, excerpts
equal to the text, known codes and severities); anything else is a miss.

Keyed by the draft's text and path, the stage/profile/step overrides, the resolved config, the bytes of
every file that changes a result (a front matter `recipient:` profile, the config's `sample-profile`),
the model and the versions of the linter, its data, spaCy and the confusables table.
A run whose drafts are all cached does no NLP (spaCy is not even loaded).
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from dataclasses import fields
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .errors import UserError
from .profile import MAX_PROFILE_BYTES
from .report import Finding, Report

MAX_ENTRY_BYTES = 4_000_000
DB_NAME = "results.sqlite3"
_BUSY_SECONDS = 30  # how long a process waits for another's write to finish
_KEYS_PER_QUERY = 500  # under SQLite's limit on the parameters of one statement
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # a symlink in the last component is an error, not followed
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
_FINDING_FIELDS = {f.name: f.type for f in fields(Finding)}
_INT_FIELDS = ("line", "column", "end_line", "end_column", "start", "end")


def default_dir() -> Path:
    """The per-user cache folder (outside any repo)."""
    import platformdirs

    return platformdirs.user_cache_path("outreach-lint", appauthor=False)


@lru_cache(maxsize=1)
def _data_fingerprint() -> str:
    """The linter's own code and data (every .py, .toml and .json file of the installed package, so editing a
    rule, a feature, a word list or the fitted decision never serves a stale result) and the versions of the
    libraries that change a result."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".toml", ".json") and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    for dist in ("spacy", "confusable-homoglyphs", "regex"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()


def _file_hash(path: Path) -> str:
    from .paths import read_regular

    data, _ = read_regular(path, MAX_PROFILE_BYTES)
    return hashlib.sha256(data).hexdigest()


class Cache:
    """One SQLite file of JSON results (`results.sqlite3`, safe to delete at any time). Lookups and writes go a
    chunk of drafts at a time, one query and one transaction each (a file per entry cost about a millisecond of
    kernel time per draft). SQLite's own locking lets several processes (pre-commit hooks, audit workers) share
    it; each process opens its own connection."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else default_dir()
        self._configs: dict[int, tuple[Config, str]] = {}  # id -> (the Config, its JSON), see _config_json
        self._db: sqlite3.Connection | None = None
        self._pid = 0  # the process that opened _db: a forked child opens its own
        self._unusable = False  # the store cannot be opened or written in this process: a cache-less run

    def key(self, source: Any, config: Config) -> str | None:
        """The entry's key, or None when the draft must not be cached (its files cannot be read: the linter
        itself then reports why)."""
        from .draft import parse
        from .engine import recipient_path, sample_profile_path
        from .nlp import resolve_model

        payload = {
            "data": _data_fingerprint(), "text": source.text, "path": source.path, "stage": source.stage,
            "profile": source.profile.data if source.profile is not None else None,
            "sequence_step": source.sequence_step, "replied": source.replied,
            "config": self._config_json(config), "model": resolve_model(config.model),
        }
        try:
            recipient = parse(source.text, source.path).meta.get("recipient")
            if isinstance(recipient, str) and source.profile is None:
                payload["profile_file"] = _file_hash(recipient_path(source.base_dir, recipient, config, source.path))
            if config.sample_profile:
                payload["sample_profile"] = _file_hash(sample_profile_path(config))
        except UserError:
            return None
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    def _config_json(self, config: Config) -> str:
        """The config's fields as JSON, serialised once per Config object of the run (it holds them alive)."""
        found = self._configs.get(id(config))
        if found is None or found[0] is not config:
            found = self._configs[id(config)] = (config, json.dumps(_config_dict(config), sort_keys=True, default=str))
        return found[1]

    def get_many(self, wanted: list[tuple[str, str, Config]]) -> list[Report | None]:
        """The cached report of each (key, text, config), or None where there is none that can be believed."""
        db = self._connect(create=False) if wanted else None
        if db is None:
            return [None] * len(wanted)
        keys = sorted({key for key, _, _ in wanted})
        found: dict[str, str] = {}
        try:
            for i in range(0, len(keys), _KEYS_PER_QUERY):
                part = keys[i:i + _KEYS_PER_QUERY]
                found.update(db.execute(f"SELECT key, entry FROM entries WHERE key IN ({','.join('?' * len(part))})",
                                        part).fetchall())
        except sqlite3.Error:
            return [None] * len(wanted)
        return [_report(found.get(key), key, text, config) for key, text, config in wanted]

    def put_many(self, entries: list[tuple[str, Report]]) -> None:
        """Store (key, report) pairs in one transaction; a store that cannot be written (full disk, read-only,
        locked too long) only makes the next run slower."""
        if not entries:
            return
        rows = [(key, json.dumps({"key": key, "path": r.path, "stage": r.stage, "metrics": r.metrics,
                                  "confidence": r.confidence, "findings": [f.to_dict() for f in r.findings]}))
                for key, r in entries]  # dumps encodes in C
        db = self._connect(create=True)
        if db is None:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO entries (key, entry) VALUES (?, ?)", rows)
        except sqlite3.Error:
            self._unusable = True

    def close(self) -> None:
        """Close this process's connection (SQLite then folds its write-ahead log into the store)."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db, self._pid, self._unusable = None, 0, False

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        """This process's connection to the store (made, with its folder, when `create`), or None when there is
        none or it cannot be used. The folder must be a real folder of this user and the file a regular file of
        this user: neither is ever followed through a symlink, so nothing is read or written elsewhere."""
        if self._pid == os.getpid() and (self._db is not None or self._unusable):
            return self._db
        if self._pid != os.getpid():
            self._db, self._pid, self._unusable = None, os.getpid(), False
        if create:
            try:
                os.makedirs(self.folder, mode=0o700)
                self._mark()
            except FileExistsError:
                pass
            except OSError:
                self._unusable = True
                return None
        path = self.folder / DB_NAME
        try:
            if not _own(os.lstat(self.folder), stat.S_ISDIR):
                self._unusable = True
                return None
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                if not create:
                    return None  # not made yet: looked for again by the next chunk
            else:
                if not _own(info, stat.S_ISREG):
                    self._unusable = True
                    return None
        except FileNotFoundError:
            return None  # no cache folder yet (a look-up never makes one)
        except OSError:
            self._unusable = True
            return None
        db = None
        try:
            db = sqlite3.connect(f"{Path(os.path.abspath(path)).as_uri()}?mode={'rwc' if create else 'rw'}",
                                 uri=True, timeout=_BUSY_SECONDS)
            db.execute("PRAGMA journal_mode=WAL")  # readers and a writer at once (parallel hooks, audit workers)
            db.execute("PRAGMA synchronous=NORMAL")  # a crash may lose the last entries, never corrupt the store
            db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, entry TEXT NOT NULL) WITHOUT ROWID")
        except sqlite3.Error:  # not a database, locked too long, read-only, full
            if db is not None:
                db.close()
            self._unusable = True
            return None
        self._db = db
        return db

    def _mark(self) -> None:
        """CACHEDIR.TAG (backup tools skip the folder), created only if absent and never through a link."""
        try:
            fd = os.open(self.folder / "CACHEDIR.TAG", _CREATE, 0o600)
        except FileExistsError:
            return
        with os.fdopen(fd, "w") as handle:
            handle.write("Signature: 8a477f597d28d172789f06886806bc55\n# outreach-lint result cache\n")


def _own(info: os.stat_result, kind) -> bool:
    """The lstat result is of that kind (a symlink never is) and belongs to this user."""
    return kind(info.st_mode) and info.st_uid == os.geteuid()


def _report(entry: str | None, key: str, text: str, config: Config) -> Report | None:
    """The report an entry holds, if it can be believed for this key and text."""
    if entry is None or len(entry) > MAX_ENTRY_BYTES:
        return None
    try:
        data = json.loads(entry)
    except ValueError:
        return None
    findings = _valid(data, key, text)
    if findings is None:
        return None
    return Report(path=data["path"], stage=data["stage"], metrics=data["metrics"], text=text,
                  fail_on=config.fail_on, findings=findings, confidence=data["confidence"])


def _valid(data: Any, key: str, text: str) -> list[Finding] | None:
    """The entry's findings if it has exactly the shape `put` writes, for this key and text; else None."""
    from . import catalogue
    from .draft import STAGES
    from .report import SEVERITY_RANK

    if not isinstance(data, dict) or set(data) != {"key", "path", "stage", "metrics", "confidence", "findings"}:
        return None
    conf = data["confidence"]
    if not isinstance(conf, dict) or any(not isinstance(k, str) or type(v) is not float for k, v in conf.items()):
        return None
    if data["key"] != key or not isinstance(data["path"], str) or data["stage"] not in STAGES:
        return None
    if not isinstance(data["metrics"], dict) or not isinstance(data["findings"], list):
        return None
    rules = catalogue.rules()
    out = []
    for f in data["findings"]:
        if not isinstance(f, dict) or set(f) != set(_FINDING_FIELDS):
            return None
        if any(type(f[k]) is not int for k in _INT_FIELDS) or any(
                not isinstance(f[k], str) for k in _FINDING_FIELDS if k not in _INT_FIELDS):
            return None
        meta = rules.get(f["code"])
        if meta is None or f["name"] != meta.name or f["category"] != meta.category:
            return None
        if f["severity"] not in SEVERITY_RANK or not 0 <= f["start"] <= f["end"] <= len(text):
            return None
        if f["excerpt"] != text[f["start"]:f["end"]] or min(f["line"], f["column"], f["end_line"],
                                                            f["end_column"]) < 1:
            return None
        out.append(Finding(**f))
    return out


def _config_dict(config: Config) -> dict[str, Any]:
    return {f.name: getattr(config, f.name) for f in fields(Config) if f.name != "source"}
