"""`outreach-lint audit`: runs an Audit and writes its outputs (text or JSON, the HTML report), with a rich
progress bar on stderr for long runs. Returns the exit code."""
from __future__ import annotations

import os
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import Callable

from ..config import Config
from ..errors import UserError
from .outcomes import Outcomes
from .redact import Redactor
from .report import JsonWriter, text_summary
from .run import Audit, ExportInfo


def run(paths: list[Path], config: Config, out: Callable[..., None], *, me: str | None = None,
        as_json: bool = False, html_path: Path | None = None, redact: bool = False, jobs: int = 1,
        cache_dir: Path | None = None, engine: str = "local", scheduler: str | None = None,
        progress: bool | None = None, worst: int = 50) -> int:
    redactor = Redactor() if redact else None
    bar = _progress(progress)
    task = bar.add_task("auditing", total=0) if bar is not None else None

    def on_export(info: ExportInfo) -> None:
        if redactor is not None:
            redactor.export(info.as_dict())
        if bar is not None:
            bar.update(task, total=(bar.tasks[0].total or 0) + info.conversations,
                       description=f"auditing {Path(info.path).name}")

    audit = Audit(paths, config, me=me, jobs=jobs, cache_dir=cache_dir, engine=engine, scheduler=scheduler,
                  on_export=on_export)
    if html_path is not None:
        _check_writable(html_path)
    outcomes = Outcomes(worst)
    writer = JsonWriter(out, audit.settings.as_dict()) if as_json else None
    with bar if bar is not None else nullcontext():
        for t in audit.threads():
            if redactor is not None:
                t = redactor.thread(t, audit.exports[t["export"]].owner)
            outcomes.add(t, config.fail_on)
            if writer is not None:
                writer.thread(t)
            if bar is not None and not t["id"].startswith("invitation:"):
                bar.advance(task)
    exports = [redactor.export(e.as_dict()) if redactor else e.as_dict() for e in audit.exports]
    result, summary = outcomes.as_dict(), outcomes.summary()
    if writer is not None:
        writer.close(exports, result, summary)
    else:
        out(text_summary(exports, result, summary, outcomes.worst, config.fail_on))
    if html_path is not None:
        from .html import render

        _write_atomic(html_path, render(exports, result, summary, outcomes.worst, audit.settings.as_dict()))
        print(f"wrote {html_path}", file=sys.stderr)
    return 1 if summary["failing_messages"] else 0


def _progress(wanted: bool | None):
    if wanted is False or (wanted is None and not sys.stderr.isatty()):
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("threads"),
                    TimeRemainingColumn(), console=Console(stderr=True), transient=False)


def _check_writable(path: Path) -> None:
    if path.is_dir() or not path.resolve().parent.is_dir():
        raise UserError(f"{path}: cannot write the HTML report there")


def _write_atomic(path: Path, text: str) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.resolve().parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # a report, not a secret: the mode a plain open() would give
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"{path}: cannot write the HTML report ({exc.strerror or exc})") from None
