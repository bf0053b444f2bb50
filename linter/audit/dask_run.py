"""`--engine dask`: whole threads in partitions sent to a Dask cluster (`--scheduler ADDRESS`, or `local` for a
LocalCluster of --jobs worker processes), each worker loading the spaCy model once (a worker plugin). Results
come back in submission order, with at most 2 partitions per worker in flight, so the output equals the
local run's and the client's memory stays flat."""
from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..config import Config
from ..errors import UserError
from .rules import Settings
from .threads import Thread

try:
    from distributed import WorkerPlugin
except ImportError:  # dask is an optional extra; run() reports it in one line
    WorkerPlugin = object  # type: ignore[misc,assignment]


class LoadModel(WorkerPlugin):
    """Loads the pipeline when a worker starts, so every partition it runs reuses it."""

    name = "outreach-lint-model"

    def __init__(self, model: str | None, ner: bool) -> None:
        self.model, self.ner = model, ner

    def setup(self, worker: Any) -> None:
        from .. import nlp

        nlp.load(self.model, ner=self.ner)


def lint_partition(threads: list[Thread], config: Config, settings: Settings, cache_dir: str | None
                   ) -> list[dict[str, Any]]:
    """One task: lint a partition of whole threads on a worker (the same code as the local engine)."""
    from ..cache import Cache
    from .run import lint_threads

    cache = Cache(Path(cache_dir)) if cache_dir else None
    return list(lint_threads(threads, config, settings, cache, jobs=1))


def partitions(threads: Iterable[Thread], size: int) -> Iterator[list[Thread]]:
    """Whole threads, about `size` sent messages per partition."""
    part: list[Thread] = []
    count = 0
    for t in threads:
        part.append(t)
        count += max(1, sum(i.mine for i in t.items))
        if count >= size:
            yield part
            part, count = [], 0
    if part:
        yield part


def run(threads: Iterable[Thread], config: Config, settings: Settings, cache_dir: Path | None,
        scheduler: str | None, jobs: int) -> Iterator[dict[str, Any]]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UserError("--engine dask needs dask.distributed: pip install 'outreach-lint[dask]'") from None
    from ..engine import active_rules, needs_ner
    from .run import PARTITION_MESSAGES

    if not scheduler:
        raise UserError("--engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786) or --scheduler local")
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None, silence_logs=40)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise UserError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        ner = needs_ner(active_rules(config, "post-connection"))
        client.register_plugin(LoadModel(config.model, ner))
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        pending: deque = deque()
        for part in partitions(threads, PARTITION_MESSAGES):
            pending.append(client.submit(lint_partition, part, config, settings,
                                         str(cache_dir) if cache_dir else None, pure=False))
            while len(pending) > 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
