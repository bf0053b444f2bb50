"""Result cache: a draft's findings and metrics, keyed by everything that can change them.

Keyed by the draft's text and path, the stage/profile/step overrides, the resolved config, a profile
file named in front matter (its bytes), the model name and the linter's own rules and phrase data.
A run whose drafts are all cached does no NLP (spaCy is not even loaded).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .profile import MAX_PROFILE_BYTES
from .report import Finding, Report

CACHE_DIR = ".outreach-lint-cache"


@lru_cache(maxsize=1)
def _data_fingerprint() -> str:
    """The linter's own code and data: every .py, .toml and .json file of the installed package, so editing a
    rule, a feature, a word list or the fitted decision never serves a stale result."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".toml", ".json") and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Cache:
    """A folder of JSON results, one file per key (safe to delete at any time)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, source: Any, config: Config) -> str:
        from .draft import parse
        from .nlp import resolve_model

        payload = {
            "data": _data_fingerprint(), "text": source.text, "path": source.path, "stage": source.stage,
            "profile": source.profile.data if source.profile is not None else None,
            "sequence_step": source.sequence_step, "replied": source.replied,
            "config": _config_dict(config), "model": resolve_model(config.model),
        }
        try:
            recipient = parse(source.text, source.path).meta.get("recipient")
        except Exception:  # a broken draft is reported by the linter itself; never cache-keyed on it
            recipient = None
        if isinstance(recipient, str):
            profile_path = (source.base_dir or Path.cwd()) / recipient
            try:
                with profile_path.open("rb") as handle:  # bounded: the profile loader refuses bigger files
                    payload["profile_file"] = hashlib.sha256(handle.read(MAX_PROFILE_BYTES + 1)).hexdigest()
            except OSError:
                payload["profile_file"] = None
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    def get(self, key: str, text: str, config: Config) -> Report | None:
        try:
            data = json.loads((self.folder / key[:2] / f"{key}.json").read_text(encoding="utf-8"))
            report = Report(path=data["path"], stage=data["stage"], metrics=data["metrics"], text=text,
                            fail_on=config.fail_on, findings=[Finding(**f) for f in data["findings"]],
                            confidence=dict(data["confidence"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return report

    def put(self, key: str, report: Report) -> None:
        target = self.folder / key[:2] / f"{key}.json"
        data = {"path": report.path, "stage": report.stage, "metrics": report.metrics,
                "confidence": report.confidence, "findings": [asdict(f) for f in report.findings]}
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._mark()
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written is only slower

    def _mark(self) -> None:
        tag = self.folder / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# outreach-lint result cache\n")
            (self.folder / ".gitignore").write_text("*\n")


def _config_dict(config: Config) -> dict[str, Any]:
    return {f.name: getattr(config, f.name) for f in fields(Config) if f.name != "source"}
