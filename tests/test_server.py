"""`outreach-lint server` driven over stdio by pytest-lsp's real LSP client (one server for this module).

Expected findings are never written down here: each test computes them with the library (or `check --format
json`) on the same text and compares codes, severities and exact ranges.
"""
from __future__ import annotations

import asyncio
import json

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from conftest import REPO, run_linter
from server_helpers import (SERVER, SEVERITY, apply, as_tuple, capabilities, close_all, diagnostics, expected,
                            open_document, recording_client, replace_all, republished, span, summary, text_in,
                            until)

pytestmark = pytest.mark.asyncio(loop_scope="module")

EXAMPLES = REPO / "corpora" / "examples"
# Emoji (two astral code points: 2 UTF-16 units, 4 UTF-8 bytes each), a combining accent, CJK, then a
# placeholder, which is always PZ001, on the same line.
UNICODE = "---\nstage: post-connection\n---\nHi 👋🏽 Jose\u0301 (王), loved {first_name}'s talk 🎤 on fixed routes.\n" \
          "What changed for the night shift?\n"


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER,
                                                              client_factory=recording_client))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities(), root_uri=REPO.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=REPO.as_uri(), name="repo")]))
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(autouse=True)
def closes_its_documents(request):
    """Each test's documents are closed after it (its diagnostics cleared), as an editor closes buffers."""
    yield
    if "client" in request.fixturenames:
        close_all(request.getfixturevalue("client"))


async def lint_in_server(client: LanguageClient, path, text: str, language: str = "plaintext") -> list:
    uri = path.as_uri()
    open_document(client, uri, text, language=language)
    return await diagnostics(client, uri, 1)


# --- same results as the CLI -------------------------------------------------------------------------------

async def test_diagnostics_equal_check_json_on_every_bundled_example(client):
    code, out, err = run_linter("check", "corpora/examples", "--format", "json", "--no-cache", "--fail-on", "never")
    assert code == 0, err
    files = json.loads(out)["files"]
    assert len(files) == len(list(EXAMPLES.glob("*/*.txt"))) >= 8
    for report in files:
        path = REPO / report["path"]
        text = path.read_text(encoding="utf-8")
        got = await lint_in_server(client, path, text)
        want = sorted((f["code"], SEVERITY[f["severity"]], span(text, f["start"], f["end"]))
                      for f in report["findings"])
        assert summary(got) == want, report["path"]
        for d in got:
            f = next(f for f in report["findings"]
                     if f["code"] == d.code and span(text, f["start"], f["end"]) == as_tuple(d.range))
            assert (f["line"] - 1, f["end_line"] - 1) == (d.range.start.line, d.range.end.line)
            assert d.source == "outreach-lint"
            assert d.message.startswith(f["message"]) and f["suggestion"] in d.message
            assert d.code_description.href.startswith("https://") and d.code.lower() in d.code_description.href
            assert d.data["name"] == f["name"] and d.data["category"] == f["category"]
            assert text_in(text, d.range) == f["excerpt"]


async def test_utf16_ranges_are_exact_with_emoji_and_combining_characters(client):
    path = REPO / "corpora" / "unicode-draft.txt"  # never written: the editor's buffer is linted
    got = await lint_in_server(client, path, UNICODE)
    assert summary(got) == expected(UNICODE, path)
    placeholder = next(d for d in got if d.code == "PZ001")
    assert text_in(UNICODE, placeholder.range) == "{first_name}"
    # line 3 (front matter counted); before it, "Hi ", two astral code points (2 units each), " Jose", a
    # combining accent, " (王), loved ": 25 UTF-16 units
    assert as_tuple(placeholder.range) == ((3, 25), (3, 37))
    assert not path.exists()


async def test_config_file_above_the_document_and_template_mode(client, tmp_path):
    (tmp_path / ".outreach-lint.toml").write_text('stage = "cold"\nignore = ["FM"]\n', encoding="utf-8")
    draft = tmp_path / "drafts" / "first.txt"
    draft.parent.mkdir()
    text = "Hi {first_name}, we are the leading platform for fleets. Can we book a demo this week?"
    got = await lint_in_server(client, draft, text)
    assert summary(got) == expected(text, draft)
    assert not any(d.code.startswith("FM") for d in got)
    template = tmp_path / "drafts" / "opener.j2"
    text = "Hi {{first_name}}, your post on {{post_topic}} was sharp. What changed after it?"
    got = await lint_in_server(client, template, text, language="jinja")
    assert summary(got) == expected(text, template)
    assert "PZ001" not in {d.code for d in got}  # merge fields of a template are not unfilled placeholders


async def test_documents_the_linter_does_not_lint_get_no_diagnostics(client, tmp_path):
    got = await lint_in_server(client, tmp_path / "script.py", "print('{first_name}')\n", language="python")
    assert got == []


# --- changes ------------------------------------------------------------------------------------------------

async def test_incremental_change_after_an_emoji_is_applied_exactly(client, tmp_path):
    uri = (tmp_path / "typing.txt").as_uri()
    text = "Hi 👋 Sam, your post on churn was sharp. What changed after the pricing test?"
    open_document(client, uri, text)
    await diagnostics(client, uri, 1)
    # insert a placeholder right after the emoji: character 5 in UTF-16 (H, i, space, two units of 👋)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(0, 5), end=types.Position(0, 5)), text=" {first_name}")]))
    new = text[:4] + " {first_name}" + text[4:]
    got = await diagnostics(client, uri, 2)
    assert summary(got) == expected(new, tmp_path / "typing.txt")
    assert text_in(new, next(d for d in got if d.code == "PZ001").range) == "{first_name}"


async def test_a_burst_of_edits_is_linted_a_few_times_and_only_the_latest_is_published(client, tmp_path):
    uri = (tmp_path / "burst.txt").as_uri()
    base = "Hi Sam, your post on churn was sharp. What changed after the pricing test?"
    open_document(client, uri, base)
    await diagnostics(client, uri, 1)
    before = len(client.published)
    edits = 1500
    for version in range(2, edits + 2):
        replace_all(client, uri, base + " x" * (version % 7) + (" {first_name}" if version == edits + 1 else ""),
                    version)
    final = base + " x" * ((edits + 1) % 7) + " {first_name}"
    got = await diagnostics(client, uri, edits + 1)
    assert summary(got) == expected(final, tmp_path / "burst.txt")
    published = [p.version for p in client.published[before:] if p.uri == uri]
    assert len(published) < 30, f"{len(published)} publishes for {edits} edits"
    assert published == sorted(published) and published[-1] == edits + 1  # never an older text after a newer


async def test_a_document_closed_mid_lint_is_dropped(client, tmp_path):
    long_uri = (tmp_path / "long.txt").as_uri()
    paragraph = "Hi {first_name}, we are the leading platform and our award-winning team has helped 500 brands. "
    open_document(client, long_uri, paragraph * 120)
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=long_uri)))
    short_uri = (tmp_path / "short.txt").as_uri()
    open_document(client, short_uri, "Hi {first_name}!")
    await diagnostics(client, short_uri, 1)  # linted after the long one would have been
    await asyncio.sleep(0.2)
    for_long = [p for p in client.published if p.uri == long_uri]
    assert for_long and all(list(p.diagnostics) == [] for p in for_long)  # only the close's empty list


async def test_save_lints_again_with_the_profile_as_it_now_is_on_disk(client, tmp_path):
    profile = tmp_path / "sam.yaml"
    profile.write_text("name: Sam Okoro\ncompany: Tilly\n", encoding="utf-8")
    draft = tmp_path / "sam.txt"
    text = f"---\nrecipient: {profile.name}\n---\nHi Sam, how is Tilly's churn project going?\n"
    uri = draft.as_uri()
    open_document(client, uri, text)
    first = await diagnostics(client, uri, 1)
    assert summary(first) == expected(text, draft)
    profile.write_text("name: [unclosed\n", encoding="utf-8")
    before = len(client.published)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri)))
    [error] = await republished(client, uri, before)
    assert error.severity == types.DiagnosticSeverity.Error and "profile is not valid YAML" in error.message


# --- bad input: one diagnostic, never a dead server ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "---\nstage: [unclosed\n---\nHi Sam\n",
    "---\nrecipient: nobody.yaml\n---\nHi Sam, how was the expo?\n",
    "Hi Sam,\n# outreach-lint: disable-next-line=XX999\nhow was the expo?\n",
    "---\nstage: sales\n---\nHi Sam\n",
])
async def test_bad_input_is_one_error_diagnostic_where_check_reports_it(client, tmp_path, cli, text):
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("check", str(path), "--format", "json", "--no-cache")
    [want] = json.loads(out)["errors"]
    assert code == 2
    [error] = await lint_in_server(client, path, text)
    assert error.severity == types.DiagnosticSeverity.Error
    assert error.message == want["message"]
    assert error.range.start.line == (want["line"] or 1) - 1
    fine = await lint_in_server(client, tmp_path / "fine.txt", "Hi {first_name}!")  # the server lives on
    assert "PZ001" in {d.code for d in fine}


async def test_a_broken_config_file_is_one_diagnostic(client, tmp_path):
    (tmp_path / ".outreach-lint.toml").write_text('stage = "sales"\n', encoding="utf-8")
    [error] = await lint_in_server(client, tmp_path / "draft.txt", "Hi Sam, how was the expo?")
    assert ".outreach-lint.toml" in error.message and "stage" in error.message


# --- hover and explain ---------------------------------------------------------------------------------------

async def test_hover_on_a_flagged_span_shows_the_rules_documentation(client):
    from linter import catalogue

    path = REPO / "corpora" / "unicode-draft.txt"
    uri = path.as_uri()
    got = await lint_in_server(client, path, UNICODE)
    placeholder = next(d for d in got if d.code == "PZ001")
    inside = types.Position(placeholder.range.start.line, placeholder.range.start.character + 3)
    result = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), inside))
    meta = catalogue.lookup("PZ001")
    assert result.contents.kind == types.MarkupKind.Markdown
    for part in ("unfilled-placeholder", meta.what, meta.why, meta.instead, "What it does", "Why is this bad?",
                 "Use instead"):
        assert part in result.contents.value
    assert as_tuple(result.range) == as_tuple(placeholder.range)
    # a spot no finding covers (the front matter) has no hover
    nothing = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri),
                                                                       types.Position(1, 2)))
    assert nothing is None


async def test_explain_command_returns_and_shows_the_documentation(client):
    from linter import catalogue

    shown = len(client.messages)
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="outreach-lint.explain", arguments=["HS002"]))
    meta = catalogue.lookup("HS002")
    assert meta.what in result and meta.instead in result and "uninvited-meeting-ask" in result
    assert any(meta.what in m.message for m in client.messages[shown:])


# --- code actions, applied and linted again ---------------------------------------------------------------------

DRAFTS = {
    "no front matter": "Hi {first_name}, your post on churn was sharp. What changed after the test?\n",
    "front matter": "---\nstage: post-connection\n---\nHi {first_name}, your post on churn was sharp. What changed?\n",
    "flow ignore": "---\nignore: [FM003]\nstage: post-connection\n---\nHi {first_name}, what changed after the test?\n",
    "block ignore": "---\nignore:\n  - FM003\n  - fake-hook\nstage: post-connection\n---\n"
                    "Hi {first_name}, what changed after the test?\n",
    "crlf": "---\r\nstage: post-connection\r\n---\r\nHi Sam,\r\n  Loved {first_name}'s post. What changed?\r\n",
    "directive above": "Hi Sam,\n# outreach-lint: disable-next-line=HS002\n"
                       "Loved {first_name}'s post. Free for a call?\n",
}


async def actions_for(client: LanguageClient, uri: str, r: types.Range) -> list:
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri), range=r,
        context=types.CodeActionContext(diagnostics=[])))


@pytest.mark.parametrize("title", ["for this draft", "on the next line"])
@pytest.mark.parametrize("name", list(DRAFTS))
async def test_disable_actions_silence_the_finding_and_nothing_else(client, tmp_path, name, title):
    path = tmp_path / "draft.txt"
    text = DRAFTS[name]
    uri = path.as_uri()
    got = await lint_in_server(client, path, text)
    placeholder = next(d for d in got if d.code == "PZ001")
    actions = await actions_for(client, uri, placeholder.range)
    [action] = [a for a in actions if isinstance(a, types.CodeAction) and "PZ001" in a.title and title in a.title]
    assert action.kind == types.CodeActionKind.QuickFix
    new = apply(text, action.edit, uri)
    replace_all(client, uri, new, 2)
    after = await diagnostics(client, uri, 2)
    assert "PZ001" not in {d.code for d in after}
    assert summary(after) == expected(new, path)
    others = sorted((c, s) for c, s, _ in expected(text, path) if c != "PZ001")
    assert sorted((c, s) for c, s, _ in summary(after)) == others  # nothing else silenced, no FM007
    if "\r\n" in text:
        assert "\n" not in new.replace("\r\n", "")
    if title == "for this draft" and name != "no front matter":
        assert new.split("---")[1].count("ignore") == 1  # the list is extended, not repeated


async def test_explain_is_offered_for_each_code_in_range(client, tmp_path):
    path = tmp_path / "explain.txt"
    got = await lint_in_server(client, path, DRAFTS["no front matter"])
    whole = types.Range(types.Position(0, 0), types.Position(1, 0))
    commands = [a for a in await actions_for(client, path.as_uri(), whole) if isinstance(a, types.Command)]
    assert sorted(c.arguments[0] for c in commands) == sorted({d.code for d in got})
    assert all(c.command == "outreach-lint.explain" for c in commands)


async def test_verified_rewrite_replaces_the_body_and_lints_clean(client):
    from linter import Source, lint_many
    from linter.config import Resolver
    from linter.rewrite import suggest

    path = EXAMPLES / "bad" / "post-connection-hard-sell.txt"
    text = path.read_text(encoding="utf-8")
    report = next(lint_many([Source(text=text, path=str(path), base_dir=path.parent)], keep_analysis=True))
    outcome = suggest(report, Resolver().for_path(str(path)), n=1)
    uri = path.as_uri()
    got = await lint_in_server(client, path, text)
    worst = next(d for d in got if d.severity <= types.DiagnosticSeverity.Warning)
    rewrites = [a for a in await actions_for(client, uri, worst.range)
                if isinstance(a, types.CodeAction) and "rewrite" in a.title]
    if not outcome.rewrites:
        pytest.skip(f"the library finds no verified rewrite for this example now ({outcome.reason})")
    [action] = rewrites
    assert action.edit is None  # this client resolves edits lazily
    resolved = await client.code_action_resolve_async(action)
    assert outcome.rewrites[0].template in resolved.title
    new = apply(text, resolved.edit, uri)
    front = text[:text.index("---", 3) + 4]
    assert new == front + outcome.rewrites[0].text  # front matter kept, body replaced
    replace_all(client, uri, new, 2)
    after = await diagnostics(client, uri, 2)
    assert summary(after) == expected(new, path)
    assert all(d.severity > types.DiagnosticSeverity.Warning for d in after)  # no warning or error left
    assert path.read_text(encoding="utf-8") == text  # the file on disk is untouched


async def test_no_rewrite_is_offered_without_a_profile(client, tmp_path):
    path = tmp_path / "pitch.txt"
    got = await lint_in_server(client, path, "Hi Sam! We help companies 3x their leads. Free for a call Thursday?")
    worst = next(d for d in got if d.severity <= types.DiagnosticSeverity.Warning)
    titles = [a.title for a in await actions_for(client, path.as_uri(), worst.range)]
    assert titles and not any("rewrite" in t for t in titles)


# --- settings -----------------------------------------------------------------------------------------------------

async def test_configuration_changes_relint_open_documents(client, tmp_path):
    path = tmp_path / "settings.txt"
    text = "Hi {first_name}! We help companies like yours 3x their leads. Free for 15 min on Thursday?"
    uri = path.as_uri()
    assert summary(await lint_in_server(client, path, text)) == expected(text, path)
    profile = EXAMPLES / "profiles" / "joanne-whitaker.yaml"

    async def settle(settings: dict) -> list:
        before = len(client.published)
        client.set_configuration(settings, section="outreach-lint")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        return await republished(client, uri, before)

    try:
        got = await settle({"ignore": ["PZ001"], "stage": "connection-request"})
        assert summary(got) == expected(text, path, ignore=("PZ001",), stage="connection-request")
        got = await settle({"select": ["hard-sell"], "profile": str(profile)})
        assert summary(got) == expected(text, path, select=("hard-sell",), profile=profile)
        assert got and all(d.code.startswith("HS") for d in got)
        got = await settle({"fail-on": "warning"})
        assert got and all(d.data["fails"] == (d.severity <= types.DiagnosticSeverity.Warning) for d in got)
        shown = len(client.messages)
        client.set_configuration({"stage": "sales"}, section="outreach-lint")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await until(lambda: len(client.messages) > shown)
        assert "setting 'stage' must be one of" in client.messages[-1].message
        assert client.messages[-1].type == types.MessageType.Error
    finally:
        await settle({})
    assert summary(client.diagnostics[uri]) == expected(text, path)


async def test_a_config_file_changed_on_disk_relints_open_documents(client, tmp_path):
    config = tmp_path / ".outreach-lint.toml"
    config.write_text('stage = "post-connection"\n', encoding="utf-8")
    path = tmp_path / "watched.txt"
    text = "Hi {first_name}! We help companies like yours 3x their leads. Free for 15 min on Thursday?"
    assert summary(await lint_in_server(client, path, text)) == expected(text, path)
    config.write_text('stage = "reply"\nignore = ["PZ001"]\n', encoding="utf-8")
    before = len(client.published)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    got = await republished(client, path.as_uri(), before)
    assert summary(got) == expected(text, path) and "PZ001" not in {d.code for d in got}
