"""Helpers for the language-server tests: a recording pytest-lsp client, capabilities, and an independent
position converter (by encoding the text, not by the server's code) to state the exact ranges expected."""
from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient, make_test_lsp_client

SERVER = [sys.executable, "-m", "linter", "server"]
SEVERITY = {"error": 1, "warning": 2, "info": 3}
CODECS = {"utf-16": ("utf-16-le", 2), "utf-8": ("utf-8", 1), "utf-32": ("utf-32-le", 4)}
BREAK = re.compile(r"\r\n|\r|\n")


def position(text: str, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
    """(line, character) of a code-point offset, counting characters in the encoding's code units."""
    breaks = [m.end() for m in BREAK.finditer(text, 0, offset) if m.end() <= offset]
    line_start = breaks[-1] if breaks else 0
    codec, width = CODECS[encoding]
    return len(breaks), len(text[line_start:offset].encode(codec)) // width


def span(text: str, start: int, end: int, encoding: str = "utf-16") -> tuple[tuple[int, int], tuple[int, int]]:
    return position(text, start, encoding), position(text, end, encoding)


def offset(text: str, line: int, character: int, encoding: str = "utf-16") -> int:
    """The code-point offset of an LSP position (the inverse of `position` on character boundaries)."""
    starts = [0] + [m.end() for m in BREAK.finditer(text)]
    codec, width = CODECS[encoding]
    at, units = starts[line], 0
    while units < character:
        units += len(text[at].encode(codec)) // width
        at += 1
    return at


def as_tuple(r: types.Range) -> tuple[tuple[int, int], tuple[int, int]]:
    return (r.start.line, r.start.character), (r.end.line, r.end.character)


def text_in(text: str, r: types.Range, encoding: str = "utf-16") -> str:
    return text[offset(text, r.start.line, r.start.character, encoding):offset(text, r.end.line, r.end.character,
                                                                                 encoding)]


def apply(text: str, edit: types.WorkspaceEdit, uri: str, encoding: str = "utf-16") -> str:
    """The text after a WorkspaceEdit's changes to one document (edits applied from the last one back)."""
    edits = sorted(edit.changes[uri], key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)
    for e in edits:
        start = offset(text, e.range.start.line, e.range.start.character, encoding)
        end = offset(text, e.range.end.line, e.range.end.character, encoding)
        text = text[:start] + e.new_text + text[end:]
    return text


def summary(diagnostics) -> list[tuple]:
    """(code, severity, range) of each diagnostic, sorted: what a user sees underlined."""
    return sorted((d.code, int(d.severity), as_tuple(d.range)) for d in diagnostics)


def expected(text: str, path: Path | None, encoding: str = "utf-16", *, stage: str | None = None,
             profile: Path | None = None, select=None, ignore=None, fail_on=None) -> list[tuple]:
    """What `check` finds in this text at this path (library API, config discovered above the file), as
    summary() tuples in the given encoding."""
    from linter import Source, lint_many
    from linter import profile as profile_mod
    from linter.config import Resolver

    config = Resolver(None, select=select, ignore=ignore, fail_on=fail_on).for_path(str(path) if path else None)
    source = Source(text=text, path=str(path) if path else "<editor>", base_dir=path.parent if path else Path.cwd(),
                    stage=stage, profile=profile_mod.load(profile) if profile else None, config=config)
    report = next(lint_many([source]))
    return sorted((f.code, SEVERITY[f.severity], span(text, f.start, f.end, encoding)) for f in report.findings)


def capabilities(encodings: list[str] | None = None, pull: bool = False, resolve: bool = True,
                 configuration: bool = True) -> types.ClientCapabilities:
    """A client like the editors': markdown hovers, code actions (resolving edits lazily when `resolve`),
    workspace/configuration, progress; `pull` for clients that pull diagnostics instead of being pushed them."""
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        workspace=types.WorkspaceClientCapabilities(
            configuration=configuration, workspace_edit=types.WorkspaceEditClientCapabilities(),
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True) if pull else None),
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown,
                                                                types.MarkupKind.PlainText]),
            code_action=types.CodeActionClientCapabilities(
                resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"]) if resolve else None),
            diagnostic=types.DiagnosticClientCapabilities() if pull else None),
        window=types.WindowClientCapabilities(work_done_progress=True))


def recording_client() -> LanguageClient:
    """pytest-lsp's client, also keeping every publishDiagnostics in order (`client.published`)."""
    client = make_test_lsp_client()
    client.published = []
    client.protocol.fm.features.pop(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, None)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)

    return client


async def diagnostics(client: LanguageClient, uri: str, version: int | None, timeout: float = 60) -> list:
    """The diagnostics published for this version of the document (waiting for them)."""
    async def arrived():
        while True:
            for params in reversed(client.published):
                if params.uri == uri and params.version == version:
                    return list(params.diagnostics)
            await asyncio.sleep(0.01)

    return await asyncio.wait_for(arrived(), timeout)


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1,
                  language: str = "plaintext") -> None:
    client.opened = getattr(client, "opened", set()) | {uri}
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))


def replace_all(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def republished(client: LanguageClient, uri: str, before: int, timeout: float = 60) -> list:
    """The diagnostics of the first publish for this document after the first `before` publishes."""
    async def arrived():
        while True:
            mine = [p for p in client.published[before:] if p.uri == uri]
            if mine:
                return list(mine[0].diagnostics)
            await asyncio.sleep(0.01)

    return await asyncio.wait_for(arrived(), timeout)


async def until(condition, timeout: float = 30) -> None:
    """Wait until condition() is true (an assertion error after `timeout` seconds)."""
    async def poll():
        while not condition():
            await asyncio.sleep(0.01)

    try:
        await asyncio.wait_for(poll(), timeout)
    except TimeoutError:
        raise AssertionError(f"still false after {timeout} s: {condition}") from None


def close_all(client: LanguageClient) -> None:
    """Close the documents opened so far (so later settings changes relint only a test's own)."""
    for uri in getattr(client, "opened", ()):
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
    client.opened = set()
