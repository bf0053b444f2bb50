"""The audit driver: exports -> staged threads -> lint (the same engine as `check`) -> thread rules -> one
JSON-ready dict per thread, streamed in a stable order. The local engine lints through `lint_many` (with its
cache and --jobs); the Dask engine (dask_run.py) sends partitions of whole threads to workers."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .. import draft as draft_mod
from ..config import Config
from ..engine import Source, lint_many
from ..errors import UserError
from ..report import SCORE_PENALTY, Report
from .export import Export
from .rules import Settings, thread_findings
from .threads import Connections, Store, Thread, invitation_threads

PARTITION_MESSAGES = 128  # sent messages per Dask task (whole threads)


@dataclass
class ExportInfo:
    """What one export held and who owns it."""

    index: int
    path: str
    owner: str = ""
    owner_how: str = ""
    files: dict[str, str] = field(default_factory=dict)
    messages: int = 0
    conversations: int = 0
    drafts_skipped: int = 0
    undated_skipped: int = 0
    connections: int = 0
    hidden_connections: int = 0
    openers: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "path": self.path, "owner": {"name": self.owner, "how": self.owner_how},
                "files": self.files, "messages": self.messages, "conversations": self.conversations,
                "drafts_skipped": self.drafts_skipped, "undated_skipped": self.undated_skipped,
                "connections": self.connections, "hidden_connections": self.hidden_connections}


class Audit:
    """One run over one or more exports. Iterate `threads()`; `exports` fills in as each export is read."""

    def __init__(self, paths: list[Path], config: Config, *, me: str | None = None, jobs: int = 1,
                 cache_dir: Path | None = None, engine: str = "local", scheduler: str | None = None,
                 on_export: Callable[[ExportInfo], None] | None = None,
                 on_thread: Callable[[], None] | None = None) -> None:
        self.paths, self.config, self.me, self.jobs = paths, config, me, jobs
        self.cache_dir, self.engine, self.scheduler = cache_dir, engine, scheduler
        self.settings = Settings.from_config(config)
        self.exports: list[ExportInfo] = []
        self.on_export, self.on_thread = on_export, on_thread
        for path in paths:
            if not path.exists():
                raise UserError(f"{path}: no such export (a LinkedIn data export .zip or folder)")

    def threads(self) -> Iterator[dict[str, Any]]:
        """Every thread of every export, linted, as JSON-ready dicts (export by export, by conversation key)."""
        staged = self._staged()
        if self.engine == "dask":
            from .dask_run import run

            yield from run(staged, self.config, self.settings, self.cache_dir, self.scheduler, self.jobs)
        else:
            from ..cache import Cache

            cache = Cache(self.cache_dir) if self.cache_dir else None
            yield from lint_threads(staged, self.config, self.settings, cache, self.jobs)

    def _staged(self) -> Iterator[Thread]:
        for index, path in enumerate(self.paths):
            export = Export(path)
            store = Store()
            try:
                info = ExportInfo(index, str(path), files={k: export.label(k) for k in export.members})
                store.load(export)
                info.messages, info.drafts_skipped, info.undated_skipped = (store.messages, store.drafts,
                                                                            store.undated)
                connections = Connections(export.connections())
                info.connections, info.hidden_connections = connections.count, connections.hidden
                owner = store.owner(self.me, connections) if store.messages else \
                    _owner_from_invitations(export, self.me)
                info.owner, info.owner_how = owner.name, owner.how
                store.cluster_openers(owner, self.settings.copy_paste_similarity, self.settings.copy_paste_min)
                info.conversations = store.db.execute("SELECT COUNT(DISTINCT conv) FROM msg").fetchone()[0]
                self.exports.append(info)
                if self.on_export:
                    self.on_export(info)
                for thread in store.threads(index, owner, connections):
                    yield thread
                if "invitations" in export.members:
                    yield from invitation_threads(index, export.invitations(), owner, connections)
            finally:
                store.close()
                export.close()


def _owner_from_invitations(export: Export, me: str | None):
    from .threads import Owner
    from .export import norm_name

    for inv in export.invitations():
        if inv.direction == "OUTGOING":
            return Owner(me or inv.sender, frozenset({norm_name(me or inv.sender)}), frozenset(), "Invitations.csv")
    if me:
        return Owner(me, frozenset({norm_name(me)}), frozenset(), "--me")
    raise UserError(f"{export.path}: cannot tell who owns the export (no messages); pass --me NAME|URL")


def lint_threads(threads: Iterable[Thread], config: Config, settings: Settings, cache, jobs: int = 1
                 ) -> Iterator[dict[str, Any]]:
    """Lint every sent message of each thread (one `lint_many` stream, so batches and workers span threads),
    then run the thread rules; yields one dict per thread, in input order."""
    pending: deque = deque()

    def sources() -> Iterator[Source]:
        for thread in threads:
            todo = deque()
            for k, item in enumerate(thread.items):
                if item.mine:
                    item.skipped = _unlintable(item.text, config)
                    if item.skipped is None:
                        todo.append(k)
            pending.append((thread, todo, {}))
            for k in list(todo):  # the consumer pops from todo while this generator runs
                item = thread.items[k]
                yield Source(item.text, path=item.file, stage=item.stage, sequence_step=item.sequence_step,
                             replied=item.replied)

    for report in lint_many(sources(), config, cache=cache, jobs=jobs):
        while not pending[0][1]:
            yield thread_result(*pending.popleft(), config, settings)
        thread, todo, reports = pending[0]
        reports[todo.popleft()] = report
    while pending:
        yield thread_result(*pending.popleft(), config, settings)


def _unlintable(text: str, config: Config) -> str | None:
    """Why `check` would refuse this text as a draft (too big, bad front matter), or None."""
    try:
        draft_mod.parse(text, "message", None, config.max_bytes).analysed()
    except UserError as exc:
        return str(exc).removeprefix("message: ")
    return None


def thread_result(thread: Thread, todo: deque, reports: dict[int, Report], config: Config, settings: Settings
                  ) -> dict[str, Any]:
    """A linted thread as a JSON-ready dict: its messages with their lint findings, and the thread findings."""
    extra = thread_findings(thread, reports, config, settings)
    messages = []
    for k, item in enumerate(thread.items):
        msg: dict[str, Any] = {"file": item.file, "row": item.row, "date": item.when.iso() if item.when else None,
                               "from": item.sender, "mine": item.mine, "text": item.text}
        if item.sponsored:
            msg["sponsored"] = True
        if item.mine:
            msg.update(stage=item.stage, sequence_step=item.sequence_step, replied=item.replied)
            if k in reports:
                msg["score"] = reports[k].score
                msg["findings"] = [_located(item, f.to_dict()) for f in reports[k].findings]
            else:
                msg["skipped"] = item.skipped
        messages.append(msg)
    found = [_located(item, f.to_dict()) for item, f in extra]
    everything = [f for m in messages for f in m.get("findings", ())] + found
    first_mine = next((k for k, i in enumerate(thread.items) if i.mine), None)
    replied = first_mine is not None and any(not i.mine for i in thread.items[first_mine + 1:])
    return {"export": thread.export, "id": thread.key, "conversation_id": thread.conversation_id,
            "title": thread.title, "with": thread.others, "profile_url": thread.other_url,
            "connected_on": thread.connected_on.iso() if thread.connected_on else None,
            "started_by_owner": thread.started_by_owner, "sent": len(thread.sent), "replied": replied,
            "opener": ({"group": thread.opener_cluster, "copies": thread.opener_copies}
                       if thread.opener_cluster is not None else None),
            "score": max(0, 100 - sum(SCORE_PENALTY[f["severity"]] for f in everything)),
            "messages": messages, "findings": found}


def _located(item, finding: dict[str, Any]) -> dict[str, Any]:
    return {"file": item.file, "row": item.row, **finding}
