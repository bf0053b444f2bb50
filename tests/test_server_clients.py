"""The server with other kinds of clients: UTF-8 and UTF-32 positions, pulled diagnostics, settings pushed
with didChangeConfiguration or given as initializationOptions, eager code actions, and a prompt exit while a
long lint is running. Each client is a real pytest-lsp client talking to `outreach-lint server` over stdio."""
from __future__ import annotations

import asyncio
import time

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import REPO
from server_helpers import (SERVER, apply, as_tuple, capabilities, diagnostics, expected, open_document,
                            position, recording_client, republished, summary, text_in, until)

pytestmark = pytest.mark.asyncio(loop_scope="module")

DRAFT = "Hi 👋🏽 Jose\u0301 (王)! Loved {first_name}'s talk 🎤 at the expo.\nWe help fleets 3x their margins. " \
        "Free for 15 min on Thursday?\n"
PATH = REPO / "corpora" / "not-on-disk.txt"
CONFIG = ClientServerConfig(server_command=SERVER, client_factory=recording_client)


@pytest_lsp.fixture(scope="module", config=CONFIG)
async def utf8(lsp_client: LanguageClient):
    """UTF-8 positions; no workspace/configuration and no lazy code-action edits; settings given up front."""
    result = await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities(["utf-8", "utf-16"], resolve=False, configuration=False),
        root_uri=REPO.as_uri(), initialization_options={"outreach-lint": {"stage": "cold"}}))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(scope="module", config=CONFIG)
async def utf32_pull(lsp_client: LanguageClient):
    """UTF-32 positions and pulled diagnostics (textDocument/diagnostic)."""
    result = await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities(["utf-32"], pull=True), root_uri=REPO.as_uri()))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf32
    assert result.capabilities.diagnostic_provider.identifier == "outreach-lint"
    yield
    await lsp_client.shutdown_session()


async def test_utf8_ranges_hover_and_incremental_edits(utf8):
    uri = PATH.as_uri()
    open_document(utf8, uri, DRAFT)
    got = await diagnostics(utf8, uri, 1)
    assert summary(got) == expected(DRAFT, PATH, "utf-8", stage="cold")  # initializationOptions apply
    placeholder = next(d for d in got if d.code == "PZ001")
    assert text_in(DRAFT, placeholder.range, "utf-8") == "{first_name}"
    # "Hi " 3 bytes, 👋🏽 8, " " 1, "Jose\u0301" 6, " " 1, "(王)!" 6, " Loved " 7
    assert as_tuple(placeholder.range) == ((0, 32), (0, 44))
    hover = await utf8.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(0, 36)))
    assert "unfilled-placeholder" in hover.contents.value
    # replace "Jose\u0301" (5 code points, 6 UTF-8 bytes) on line 0: it starts after "Hi 👋🏽 " (3 + 8 + 1 bytes)
    start = position(DRAFT, DRAFT.index("Jose"), "utf-8")
    assert start == (0, 12)
    utf8.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(0, 12), types.Position(0, 18)), text="{{company}}")]))
    new = DRAFT.replace("Jose\u0301", "{{company}}")
    got = await diagnostics(utf8, uri, 2)
    assert summary(got) == expected(new, PATH, "utf-8", stage="cold")
    assert {text_in(new, d.range, "utf-8") for d in got if d.code == "PZ001"} == {"{{company}}", "{first_name}"}


async def test_settings_pushed_with_did_change_configuration(utf8):
    uri = (REPO / "corpora" / "pushed.txt").as_uri()
    open_document(utf8, uri, DRAFT)
    await diagnostics(utf8, uri, 1)
    before = len(utf8.published)
    utf8.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"outreach-lint": {"select": ["PZ"], "stage": "follow-up"}}))
    got = await republished(utf8, uri, before)
    assert summary(got) == expected(DRAFT, REPO / "corpora" / "pushed.txt", "utf-8", select=("PZ",),
                                    stage="follow-up")


async def test_rewrite_edit_is_made_at_once_for_clients_that_cannot_resolve(utf8):
    from linter import Source, lint_many
    from linter.config import Resolver
    from linter.rewrite import suggest

    utf8.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
    path = REPO / "corpora" / "examples" / "bad" / "post-connection-hard-sell.txt"
    text = path.read_text(encoding="utf-8")
    # the same stage as the server: this client's initializationOptions set "cold"
    report = next(lint_many([Source(text=text, path=str(path), base_dir=path.parent, stage="cold")],
                            keep_analysis=True))
    outcome = suggest(report, Resolver().for_path(str(path)), n=1)
    if not outcome.rewrites:
        pytest.skip(f"the library finds no verified rewrite for this example now ({outcome.reason})")
    uri = path.as_uri()
    open_document(utf8, uri, text)
    got = await diagnostics(utf8, uri, 1)
    worst = next(d for d in got if d.severity <= types.DiagnosticSeverity.Warning)
    actions = await utf8.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri), range=worst.range,
        context=types.CodeActionContext(diagnostics=[worst])))
    [rewrite] = [a for a in actions if isinstance(a, types.CodeAction) and "rewrite" in a.title]
    assert outcome.rewrites[0].template in rewrite.title
    assert apply(text, rewrite.edit, uri, "utf-8").endswith(outcome.rewrites[0].text)


async def test_pulled_diagnostics_in_utf32_and_no_push(utf32_pull):
    client = utf32_pull
    uri = PATH.as_uri()
    open_document(client, uri, DRAFT)
    first = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri)))
    assert first.kind == "full"
    assert summary(first.items) == expected(DRAFT, PATH, "utf-32")
    placeholder = next(d for d in first.items if d.code == "PZ001")
    assert text_in(DRAFT, placeholder.range, "utf-32") == "{first_name}"
    assert as_tuple(placeholder.range) == ((0, 23), (0, 35))  # code points
    again = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri), previous_result_id=first.result_id))
    assert again.kind == "unchanged" and again.result_id == first.result_id
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text="Hi Sam!")]))
    changed = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri), previous_result_id=first.result_id))
    assert changed.kind == "full" and summary(changed.items) == expected("Hi Sam!", PATH, "utf-32")
    refreshes = client.diagnostic_refresh_count
    client.set_configuration({"ignore": ["FM"]}, section="outreach-lint")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await until(lambda: client.diagnostic_refresh_count > refreshes)  # the client is told to pull again
    assert not [p for p in client.published if p.uri == uri]  # a pulling client is never pushed to


async def test_exit_is_prompt_while_a_long_lint_runs():
    client = await CONFIG.start()
    try:
        await client.initialize_session(types.InitializeParams(capabilities=capabilities(),
                                                               root_uri=REPO.as_uri()))
        ready = (REPO / "corpora" / "ready.txt").as_uri()
        open_document(client, ready, "Hi {first_name}!")
        await diagnostics(client, ready, 1)  # the model is loaded
        long_text = "Hi Sam, we are the leading platform and our award-winning team has helped 500 brands. " * 900
        open_document(client, (REPO / "corpora" / "long.txt").as_uri(), long_text)
        await asyncio.sleep(0.5)  # its lint (several seconds of spaCy) is running now
        started = time.monotonic()
        await asyncio.wait_for(client.shutdown_session(), 30)
        took = time.monotonic() - started
        assert client._server.returncode == 0
        assert took < 5, f"shutdown and exit took {took:.1f} s"  # a hang check: the lint alone takes longer
    finally:
        await client.stop()
