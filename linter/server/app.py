"""The language server: documents, scheduling and the LSP features, on pygls.

Lints run one at a time on a single worker thread (the spaCy pipeline is loaded once, in the background after
`initialize`). Each document has at most one lint task: a change while a lint runs marks the result stale, and
when that lint ends the task lints the latest text again, so a burst of edits costs two lints, not thousands,
and only results for the current text are ever published.
"""
from __future__ import annotations

import asyncio
import logging
import os
import queue
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from .. import __version__, catalogue
from ..engine import lint_many
from ..errors import UserError
from . import edits
from .linting import (SOURCE, Result, Settings, explain, lint_document, parse_settings, source_for,
                      verified_rewrite)
from .positions import Lines

log = logging.getLogger("outreach-lint.server")

EXPLAIN = "outreach-lint.explain"
WARM_UP = "Hi Sam, how did the pricing test go?"
WATCHED = ("**/.outreach-lint.toml", "**/pyproject.toml", "**/*.{yaml,yml,json,toml}")  # configs, profiles


class Worker:
    """One daemon thread running every lint in turn; a daemon, so a long lint never delays `exit`."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._loop, name="outreach-lint-worker", daemon=True).start()

    def run(self, fn: Callable, *args: Any) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._jobs.put((loop, future, fn, args))
        return future

    def _loop(self) -> None:
        while True:
            loop, future, fn, args = self._jobs.get()
            try:
                outcome, error = fn(*args), None
            except Exception as exc:  # delivered to the awaiting handler
                outcome, error = None, exc
            try:
                loop.call_soon_threadsafe(_settle, future, outcome, error)
            except RuntimeError:  # the event loop is gone: the server is exiting
                return


def _settle(future: asyncio.Future, outcome: Any, error: Exception | None) -> None:
    if not future.done():
        future.set_exception(error) if error is not None else future.set_result(outcome)


@dataclass
class Document:
    """An open document as the editor holds it."""

    uri: str
    text: str
    version: int | None
    language_id: str
    path: Path | None
    revision: int = 0  # counts changes; results are keyed by it
    result: Result | None = None
    task: asyncio.Task | None = None
    waiters: list[asyncio.Future] = field(default_factory=list)
    rewrite: tuple[tuple[int, int], tuple[str | None, str]] | None = None  # (key, verified_rewrite's answer)


class Protocol(LanguageServerProtocol):
    """pygls's protocol, except that document notifications go straight to the server's own handlers, which
    keep open documents in the server's store (line breaks and position encodings converted exactly) rather
    than pygls's workspace. Plain functions, too: pygls 2.1 keeps, for ever, the future of each notification
    whose handler is a generator (its own didChange is) or a coroutine, so memory grew with every edit."""

    def __init__(self, server: LanguageServer, converter: Any) -> None:
        super().__init__(server, converter)
        for method in (types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_CHANGE, types.TEXT_DOCUMENT_DID_CLOSE):
            self.fm.builtin_features.pop(method, None)


class Server(LanguageServer):
    """outreach-lint's language server."""

    def __init__(self) -> None:
        super().__init__("outreach-lint", __version__, protocol_cls=Protocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.documents: dict[str, Document] = {}
        self.worker = Worker()
        self.root = Path.cwd()
        self.settings = Settings()
        self.generation = 0  # bumped when settings change: every result before it is stale
        self.init_options: dict = {}
        self.shut_down = False

    # --- capabilities -------------------------------------------------------------------------------------

    def capable(self, dotted: str) -> bool:
        """Whether the client declared a capability, e.g. "text_document.diagnostic"."""
        value: Any = self.client_capabilities
        for part in dotted.split("."):
            value = getattr(value, part, None)
        return bool(value)

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    @property
    def push(self) -> bool:
        """Push diagnostics unless the client pulls them (then pushing too would show each twice)."""
        return not self.capable("text_document.diagnostic")

    # --- settings -----------------------------------------------------------------------------------------

    def apply_settings(self, raw: Any) -> None:
        """Validate and use new settings; bad ones are shown to the user and the previous ones kept."""
        try:
            settings = parse_settings(_flat(raw), self.root)
        except UserError as exc:
            self.show(f"outreach-lint: settings: {exc}", types.MessageType.Error)
            return
        if settings != self.settings:
            self.settings = settings
            self.generation += 1
            self.relint_all()

    async def pull_settings(self) -> None:
        """Settings from `workspace/configuration` (section "outreach-lint") over the initializationOptions."""
        raw = dict(self.init_options)
        if self.capable("workspace.configuration"):
            try:
                answer = await self.workspace_configuration_async(
                    types.ConfigurationParams(items=[types.ConfigurationItem(section=SOURCE)]))
            except Exception as exc:  # a client that declared the capability but fails the request
                log.warning("workspace/configuration failed: %s", exc)
                answer = [None]
            if answer and isinstance(answer[0], dict):
                raw = {**raw, **_flat(answer[0])}
        self.apply_settings(raw)

    def show(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    # --- linting ------------------------------------------------------------------------------------------

    def schedule(self, doc: Document) -> None:
        """Make sure a lint of the document's latest text is on its way (at most one task per document)."""
        if doc.task is None or doc.task.done():
            doc.task = asyncio.ensure_future(self._lint_latest(doc))

    def relint_all(self) -> None:
        for doc in self.documents.values():
            self.schedule(doc)
        if not self.push and self.capable("workspace.diagnostics.refresh_support"):
            self.workspace_diagnostic_refresh(None)

    async def _lint_latest(self, doc: Document) -> None:
        """Lint the latest text, again and again while it changes under the lint, then publish. No timer: the
        changes that arrive during a lint are coalesced into the next one, which is the debounce (a timer
        measured 4-5 ms of latency per keystroke, and bought nothing the coalescing does not)."""
        while True:
            await asyncio.sleep(0)  # messages already read (a burst) are applied first
            if self.documents.get(doc.uri) is not doc:
                return  # closed: nothing to publish
            key = (doc.revision, self.generation)
            result = await self.worker.run(lint_document, doc.text, doc.path, doc.language_id, self.settings,
                                           self.root, self.encoding)
            if self.documents.get(doc.uri) is not doc:
                return  # closed while it was linted: dropped
            if key != (doc.revision, self.generation):
                continue  # the text or settings changed meanwhile: this result is stale
            result.key = key
            doc.result = result
            if self.push:
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                    uri=doc.uri, diagnostics=result.diagnostics, version=doc.version))
            for waiter in doc.waiters:
                _settle(waiter, result, None)
            doc.waiters.clear()
            return

    async def current(self, doc: Document) -> Result:
        """The result for the document's current text and settings (linted now if need be)."""
        if doc.result is not None and doc.result.key == (doc.revision, self.generation):
            return doc.result
        waiter = asyncio.get_running_loop().create_future()
        doc.waiters.append(waiter)
        self.schedule(doc)
        return await waiter

    async def rewrite(self, doc: Document) -> tuple[str | None, str]:
        """verified_rewrite for the document's current text, computed once per revision."""
        key = (doc.revision, self.generation)
        if doc.rewrite is None or doc.rewrite[0] != key:
            answer = await self.worker.run(verified_rewrite, doc.text, doc.path, self.settings, self.root)
            doc.rewrite = (key, answer)
        return doc.rewrite[1]

    def warm_up(self) -> None:
        """Load the model (the pipeline the workspace's config names) and build the rules' matchers."""
        source, _ = source_for(WARM_UP, None, self.settings, self.root)
        next(lint_many([source]))


server = Server()


def _path(uri: str) -> Path | None:
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path) if path else None


def _flat(raw: Any) -> dict:
    """Settings as a flat mapping: given flat, or under an "outreach-lint" key."""
    if isinstance(raw, dict) and isinstance(raw.get(SOURCE), dict):
        return dict(raw[SOURCE])
    return dict(raw) if isinstance(raw, dict) else {}


def _document(ls: Server, uri: str) -> Document | None:
    return ls.documents.get(uri)


async def _linted(ls: Server, uri: str) -> Result | None:
    """The current result of an open document that could be linted (it has a report), else None."""
    doc = _document(ls, uri)
    if doc is None:
        return None
    result = await ls.current(doc)
    return result if result.report is not None else None


# --- lifecycle ------------------------------------------------------------------------------------------------

@server.feature(types.INITIALIZE)
def initialize(ls: Server, params: types.InitializeParams) -> None:
    folders = params.workspace_folders or []
    root = _path(folders[0].uri) if folders else _path(params.root_uri) if params.root_uri else None
    if root is None and params.root_path:
        root = Path(params.root_path)
    ls.root = root or Path.cwd()
    ls.init_options = _flat(params.initialization_options)
    try:  # the first lints use them; an error is shown once the session is up (pull_settings)
        ls.settings = parse_settings(ls.init_options, ls.root)
    except UserError:
        pass


@server.feature(types.INITIALIZED)
async def initialized(ls: Server, params: types.InitializedParams) -> None:
    warming = ls.worker.run(ls.warm_up)  # first in the worker's queue: lints wait for the model
    token = "outreach-lint-model" if ls.capable("window.work_done_progress") else None
    if token:
        try:
            await ls.work_done_progress.create_async(token)
            ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(title="outreach-lint",
                                                                           message="loading the language model"))
        except Exception:  # the client refused the token: no progress shown
            token = None
    await ls.pull_settings()
    if ls.capable("workspace.did_change_watched_files.dynamic_registration"):
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[types.Registration(
                id="outreach-lint-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCHED]))]))
        except Exception as exc:
            log.warning("could not watch config and profile files: %s", exc)
    try:
        await warming
    except Exception as exc:  # no model, a broken config: each document will say so too
        ls.show(f"outreach-lint: {exc}", types.MessageType.Error)
    if token:
        ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message="ready"))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: Server, params: types.DidChangeWatchedFilesParams) -> None:
    """A config or profile file changed on disk: lint every open document again."""
    ls.generation += 1
    ls.relint_all()


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: Server, params: types.DidChangeConfigurationParams) -> None:
    if ls.capable("workspace.configuration"):
        _spawn(ls.pull_settings())  # a task, not a coroutine handler (see Protocol)
    else:  # settings pushed with the notification, over the initializationOptions
        ls.apply_settings({**ls.init_options, **_flat(params.settings)})


def _spawn(coroutine) -> None:
    def done(task: asyncio.Task) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("a background task failed: %r", task.exception())

    asyncio.ensure_future(coroutine).add_done_callback(done)


@server.feature(types.SHUTDOWN)
def shutdown(ls: Server, params: None) -> None:
    ls.shut_down = True
    for doc in ls.documents.values():
        if doc.task is not None:
            doc.task.cancel()
    ls.documents.clear()


@server.feature(types.EXIT)
def exit_now(ls: Server, params: None) -> None:
    _exit(ls)


def _exit(ls: Server) -> None:
    """End the process at once: 0 after `shutdown`, else 1 (as LSP asks). A lint still running on the worker
    is abandoned: interpreter teardown under a running spaCy call aborts in BLIS, and nothing of it is wanted."""
    logging.shutdown()
    os._exit(0 if ls.shut_down else 1)


# --- documents ------------------------------------------------------------------------------------------------

@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: Server, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    doc = Document(item.uri, item.text, item.version, item.language_id or "", _path(item.uri))
    ls.documents[item.uri] = doc
    ls.schedule(doc)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: Server, params: types.DidChangeTextDocumentParams) -> None:
    doc = _document(ls, params.text_document.uri)
    if doc is None:
        return
    for change in params.content_changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            lines = Lines(doc.text, ls.encoding)
            start, end = lines.offset(change.range.start), lines.offset(change.range.end)
            doc.text = doc.text[:start] + change.text + doc.text[max(start, end):]
        else:
            doc.text = change.text
    doc.version = params.text_document.version
    doc.revision += 1
    ls.schedule(doc)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: Server, params: types.DidSaveTextDocumentParams) -> None:
    doc = _document(ls, params.text_document.uri)
    if doc is None or doc.result is None or doc.result.skipped:  # perhaps a config or profile file
        ls.generation += 1
        ls.relint_all()
    else:
        doc.revision += 1  # a profile named in its front matter may have changed on disk
        ls.schedule(doc)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: Server, params: types.DidCloseTextDocumentParams) -> None:
    doc = ls.documents.pop(params.text_document.uri, None)
    if doc is None:
        return
    for waiter in doc.waiters:
        waiter.cancel()
    if ls.push:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=[]))


# --- features -------------------------------------------------------------------------------------------------

@server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
    identifier=SOURCE, inter_file_dependencies=True, workspace_diagnostics=False))
async def pull_diagnostics(ls: Server, params: types.DocumentDiagnosticParams):
    doc = _document(ls, params.text_document.uri)
    if doc is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    result = await ls.current(doc)
    result_id = f"{result.key[0]}.{result.key[1]}"
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.RelatedFullDocumentDiagnosticReport(items=result.diagnostics, result_id=result_id)


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: Server, params: types.HoverParams) -> types.Hover | None:
    result = await _linted(ls, params.text_document.uri)
    if result is None:
        return None
    at = result.lines.offset(params.position)
    hits = sorted((f for f in result.report.findings if f.start <= at < f.end or f.start == at == f.end),
                  key=lambda f: f.end - f.start)  # the innermost first
    if not hits:
        return None
    formats = getattr(getattr(ls.client_capabilities.text_document, "hover", None), "content_format", None) or []
    markdown = types.MarkupKind.Markdown in formats
    parts = [f"{f.message}\n\n{'*Suggestion:*' if markdown else 'Suggestion:'} {f.suggestion}\n\n"
             f"{explain(f.code, markdown)}" for f in hits]
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown if markdown else
                                                    types.MarkupKind.PlainText,
                                                    value="\n\n---\n\n".join(parts)),
                       range=result.lines.range(hits[0].start, hits[0].end))


def _edit(uri: str, lines: Lines, edit: tuple[int, int, str] | None) -> types.WorkspaceEdit | None:
    if edit is None:
        return None
    start, end, text = edit
    return types.WorkspaceEdit(changes={uri: [types.TextEdit(range=lines.range(start, end), new_text=text)]})


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=True))
async def code_actions(ls: Server, params: types.CodeActionParams) -> list[types.CodeAction | types.Command] | None:
    uri = params.text_document.uri
    result = await _linted(ls, uri)
    if result is None:
        return None
    lines, text = result.lines, result.lines.text
    start, end = lines.offset(params.range.start), lines.offset(params.range.end)
    hits = [f for f in result.report.findings if f.start <= end and start <= f.end]
    actions: list[types.CodeAction | types.Command] = []
    for code in dict.fromkeys(f.code for f in hits):
        finding = next(f for f in hits if f.code == code)
        diagnostics = [d for d in result.diagnostics if d.code == code]
        actions.append(types.CodeAction(
            title=f"Disable {code} ({finding.name}) for this draft", kind=types.CodeActionKind.QuickFix,
            diagnostics=diagnostics, edit=_edit(uri, lines, edits.ignore_in_front_matter(text, code))))
        if code != "FM007":  # a directive about a directive line would only confuse
            actions.append(types.CodeAction(
                title=f"Disable {code} on the next line (directive)", kind=types.CodeActionKind.QuickFix,
                diagnostics=diagnostics,
                edit=_edit(uri, lines, edits.disable_next_line(text, finding.start, code))))
        actions.append(types.Command(title=f"Explain {code} ({finding.name})", command=EXPLAIN, arguments=[code]))
    actions = [a for a in actions if isinstance(a, types.Command) or a.edit is not None]
    if result.profile_known and any(f.severity in ("warning", "error") for f in hits):
        rewrite = types.CodeAction(title="Replace with verified rewrite", kind=types.CodeActionKind.QuickFix,
                                   data={"uri": uri, "key": list(result.key)})
        if "edit" in (getattr(getattr(getattr(ls.client_capabilities.text_document, "code_action", None),
                                      "resolve_support", None), "properties", None) or []):
            actions.append(rewrite)  # the edit is made when the client resolves the action
        elif (resolved := await resolve_code_action(ls, rewrite)).edit is not None:
            actions.append(resolved)
    return actions


@server.feature(types.CODE_ACTION_RESOLVE)
async def resolve_code_action(ls: Server, action: types.CodeAction) -> types.CodeAction:
    """The rewrite's edit: the body replaced by the best rewrite that passes its own lint (front matter kept)."""
    data = action.data if isinstance(action.data, dict) else {}
    doc = _document(ls, data.get("uri", ""))
    if doc is None or list((doc.revision, ls.generation)) != data.get("key"):
        return action  # the document changed since: no edit
    body, detail = await ls.rewrite(doc)
    if body is None:
        ls.show(f"outreach-lint: no verified rewrite: {detail}")
        action.disabled = types.CodeActionDisabled(reason=detail)
        return action
    action.title = f"Replace with verified rewrite ({detail})"
    action.edit = _edit(doc.uri, Lines(doc.text, ls.encoding), edits.replace_body(doc.text, body))
    return action


@server.command(EXPLAIN)
def explain_command(ls: Server, code: str) -> str:
    """Show a rule's documentation (also returned, for clients that display command results)."""
    meta = catalogue.lookup(code)
    if meta is None:
        raise ValueError(f"unknown rule '{code}' (see: outreach-lint rules)")
    text = explain(meta.code, markdown=False)
    ls.show(text)
    return text


def serve() -> None:
    """Run the server over stdin/stdout until the client sends `exit` (or closes the pipe)."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="outreach-lint server: %(message)s")
    server.start_io()
    _exit(server)  # the client closed the pipe without `exit`
