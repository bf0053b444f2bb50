"""Result cache: a draft's findings and metrics, keyed by everything that can change them.

The repo being linted is untrusted, so the cache never lives in it: it is a per-user folder
(`platformdirs.user_cache_path("outreach-lint")`, `$XDG_CACHE_HOME/outreach-lint` on Linux), created
0700, whose folders are never followed through a symlink. An entry is only believed when it is a JSON
object of the exact shape the linter writes, for this key and this text (spans inside it, excerpts equal
to the text, known codes and severities); anything else is a miss.

Keyed by the draft's text and path, the stage/profile/step overrides, the resolved config, the bytes of
every file that changes a result (a front matter `recipient:` profile, the config's `sample-profile`),
the model and the versions of the linter, its data, spaCy and the confusables table.
A run whose drafts are all cached does no NLP (spaCy is not even loaded).
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
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
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # a symlink in the last component is an error, not followed
_READ = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
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
    """A folder of JSON results, one file per key (safe to delete at any time)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else default_dir()
        self._checked: set[str] = set()  # subfolders made or found real in this process (checked once, not per entry)
        self._configs: dict[int, tuple[Config, str]] = {}  # id -> (the Config, its JSON), see _config_json

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

    def get(self, key: str | None, text: str, config: Config) -> Report | None:
        if key is None:
            return None
        try:
            folder = self._folder(key, create=False)
            if folder is None:
                return None
            fd = os.open(folder / f"{key}.json", _READ)
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    return None
                data = json.loads(handle.read(MAX_ENTRY_BYTES + 1))
        except (OSError, ValueError):
            return None
        findings = _valid(data, key, text)
        if findings is None:
            return None
        return Report(path=data["path"], stage=data["stage"], metrics=data["metrics"], text=text,
                      fail_on=config.fail_on, findings=findings, confidence=data["confidence"])

    def put(self, key: str | None, report: Report) -> None:
        if key is None:
            return
        data = {"key": key, "path": report.path, "stage": report.stage, "metrics": report.metrics,
                "confidence": report.confidence, "findings": [f.to_dict() for f in report.findings]}
        tmp = None
        try:
            folder = self._folder(key, create=True)
            if folder is None:
                return
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(data))  # dumps encodes in C; dump to a file encodes in Python
            os.replace(tmp, folder / f"{key}.json")
            tmp = None
        except (OSError, TypeError, ValueError):
            pass  # a cache that cannot be written (full disk, read-only) is only slower
        finally:
            if tmp is not None and os.path.lexists(tmp):
                os.unlink(tmp)

    def _folder(self, key: str, create: bool) -> Path | None:
        """The entry's subfolder, or None unless it and the cache folder are real folders of this user (never a
        symlink, so nothing is read or written elsewhere)."""
        sub = self.folder / key[:2]
        if create and key[:2] in self._checked:
            return sub
        for i, path in enumerate((self.folder, sub)):
            if create:
                try:
                    os.makedirs(path, mode=0o700) if i == 0 else os.mkdir(path, 0o700)
                    if i == 0:
                        self._mark()
                except FileExistsError:
                    pass
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                return None
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
                return None
        if create:
            self._checked.add(key[:2])
        return sub

    def _mark(self) -> None:
        """CACHEDIR.TAG (backup tools skip the folder), created only if absent and never through a link."""
        try:
            fd = os.open(self.folder / "CACHEDIR.TAG", _CREATE, 0o600)
        except FileExistsError:
            return
        with os.fdopen(fd, "w") as handle:
            handle.write("Signature: 8a477f597d28d172789f06886806bc55\n# outreach-lint result cache\n")


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
