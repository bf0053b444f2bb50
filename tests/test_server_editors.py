"""The README's editor setups: every snippet parses and starts `outreach-lint server`, and headless Neovim,
configured with the README's own Neovim 0.7 snippet, shows the server's diagnostics at exact columns."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO
from server_helpers import expected

NVIM = shutil.which("nvim")
NO_NVIM = "Neovim (nvim) is not installed: .ci/run installs Debian's neovim package (apt-get install neovim)"
# the marker each snippet's introduction carries in the README, by snippet
LABELS = {"neovim-0.11": "**Neovim 0.11+**", "neovim-0.8": "**Neovim 0.8 to 0.10**", "neovim-0.7": "**Neovim 0.7**",
          "helix": "**Helix**", "emacs": "**Emacs**", "zed-extension": "`extension.toml`",
          "zed-cargo": "`Cargo.toml`", "zed-lib": "`src/lib.rs`", "sublime": "**Sublime Text**",
          "vscode": "**VS Code**"}


def snippets() -> dict[str, tuple[str, str]]:
    """{snippet: (fence language, code)} from the README's "Editor setup" section; each fenced block belongs to
    the one marker in the prose before it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("### Editor setup")
    section = readme[start:min(readme.index("\n## ", start), readme.index("\n### ", start + 1))]
    out, pos = {}, 0
    for m in re.finditer(r"```(\w+)\n(.*?)\n```", section, re.S):
        prose, pos = section[pos:m.start()], m.end()
        [name] = [name for name, label in LABELS.items() if label in prose]
        out[name] = (m.group(1), m.group(2))
    return out


SNIPPETS = snippets()


def check_settings(settings: dict) -> None:
    """Settings in a snippet are ones the server accepts."""
    from linter.server.linting import parse_settings

    parse_settings(settings, REPO)


def test_every_editor_has_a_snippet_that_names_the_server_command():
    assert set(SNIPPETS) == set(LABELS)
    for name, (_, code) in SNIPPETS.items():
        if name not in ("zed-extension", "zed-cargo"):
            assert "outreach-lint" in code and "server" in code, name


def test_toml_snippets_parse_and_start_the_server():
    helix = tomllib.loads(SNIPPETS["helix"][1])
    server = helix["language-server"]["outreach-lint"]
    assert (server["command"], server["args"]) == ("outreach-lint", ["server"])
    check_settings(server["config"])
    assert {lang["name"] for lang in helix["language"]} == {"markdown", "text"}
    assert all("outreach-lint" in lang["language-servers"] for lang in helix["language"])
    extension = tomllib.loads(SNIPPETS["zed-extension"][1])
    assert set(extension["language_servers"]["outreach-lint"]["languages"]) == {"Markdown", "Plain Text"}
    cargo = tomllib.loads(SNIPPETS["zed-cargo"][1])
    assert cargo["lib"]["crate-type"] == ["cdylib"] and "zed_extension_api" in cargo["dependencies"]
    rust = SNIPPETS["zed-lib"][1]
    assert 'worktree.which("outreach-lint")' in rust and 'args: vec!["server".into()]' in rust
    assert rust.count("{") == rust.count("}") and rust.count("(") == rust.count(")")


def test_json_snippets_parse_and_start_the_server():
    sublime = json.loads(SNIPPETS["sublime"][1])["clients"]["outreach-lint"]
    assert sublime["command"] == ["outreach-lint", "server"] and sublime["enabled"] is True
    check_settings(sublime["initializationOptions"])
    vscode = json.loads(SNIPPETS["vscode"][1])
    assert (vscode["glspc.server.command"], vscode["glspc.server.commandArguments"]) == ("outreach-lint", ["server"])
    assert set(vscode["glspc.server.languageId"]) == {"plaintext", "markdown"}
    check_settings(vscode["glspc.server.initializationOptions"])


def test_emacs_snippet_is_balanced_and_starts_the_server():
    code = SNIPPETS["emacs"][1]
    depth = 0
    for token in re.sub(r'"(?:[^"\\]|\\.)*"', '""', code):  # strings out, then count parentheses
        depth += {"(": 1, ")": -1}.get(token, 0)
        assert depth >= 0
    assert depth == 0
    assert '("outreach-lint" "server")' in code and "eglot-server-programs" in code


@pytest.mark.skipif(NVIM is None, reason=NO_NVIM)
def test_lua_snippets_compile_in_neovim(tmp_path):
    names = [n for n in SNIPPETS if n.startswith("neovim")]
    for name in names:
        assert SNIPPETS[name][0] == "lua" and '{ "outreach-lint", "server" }' in SNIPPETS[name][1]
        (tmp_path / f"{name}.lua").write_text(SNIPPETS[name][1], encoding="utf-8")
    checker = tmp_path / "check.lua"
    checker.write_text(
        "local out = {}\n"
        f"for _, name in ipairs({{{', '.join(json.dumps(n) for n in names)}}}) do\n"
        f"  local _, err = loadfile({json.dumps(str(tmp_path))} .. '/' .. name .. '.lua')\n"
        "  out[name] = err or 'ok'\n"
        "end\n"
        f"local f = io.open({json.dumps(str(tmp_path / 'result.json'))}, 'w')\n"
        "f:write(vim.fn.json_encode(out)); f:close()\n"
        "vim.cmd('qall!')\n", encoding="utf-8")
    subprocess.run([NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-c", f"luafile {checker}"],
                   capture_output=True, timeout=60, env=_nvim_env(tmp_path), check=False)
    results = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert results == {name: "ok" for name in names}  # loadfile compiles without running: a syntax check


def _nvim_env(tmp_path: Path) -> dict[str, str]:
    """This venv's `outreach-lint` first on PATH; Neovim's config, data and state kept in tmp_path."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               HOME=str(tmp_path))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    return env


HARNESS = """
-- the test's own: once the server has published diagnostics, write what Neovim shows to a file and quit
local out = os.getenv("OUTREACH_NVIM_OUT")
local default = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  default(err, result, ctx, config)
  if #result.diagnostics == 0 then return end
  local shown = {}
  for _, d in ipairs(vim.diagnostic.get(vim.uri_to_bufnr(result.uri))) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(shown, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
                          severity = d.severity, code = lsp.code or d.code })
  end
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode({ raw = result.diagnostics, shown = shown }))
  f:close()
  vim.cmd("qall!")
end
vim.defer_fn(function() vim.cmd("cquit 3") end, 90000)
"""


@pytest.mark.integration
@pytest.mark.skipif(NVIM is None, reason=NO_NVIM)
def test_headless_neovim_with_the_readme_snippet_shows_exact_diagnostics(tmp_path):
    text = ("---\nstage: post-connection\n---\nHi 👋🏽 Jose\u0301 (王), loved {first_name}'s talk 🎤 on fixed routes.\n"
            "What changed for the night shift?\n")
    assert expected(text, tmp_path / "draft.txt", "utf-8") != expected(text, tmp_path / "draft.txt", "utf-16")
    draft = tmp_path / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    init = tmp_path / "init.lua"
    init.write_text(SNIPPETS["neovim-0.7"][1] + "\n" + HARNESS, encoding="utf-8")
    out = tmp_path / "diagnostics.json"
    env = dict(_nvim_env(tmp_path), OUTREACH_NVIM_OUT=str(out))
    proc = subprocess.run([NVIM, "--headless", "-u", str(init), "-i", "NONE", str(draft)], cwd=tmp_path, env=env,
                          capture_output=True, timeout=120)
    assert out.exists(), f"Neovim got no diagnostics (exit {proc.returncode}): {proc.stderr.decode()[-2000:]}"
    got = json.loads(out.read_text(encoding="utf-8"))
    raw = sorted((d["code"], d["severity"], ((d["range"]["start"]["line"], d["range"]["start"]["character"]),
                                             (d["range"]["end"]["line"], d["range"]["end"]["character"])))
                 for d in got["raw"])
    assert raw == expected(text, draft, "utf-16")  # what the server sent, in UTF-16 (Neovim 0.7's encoding)
    shown = sorted((d["code"], d["severity"], ((d["lnum"], d["col"]), (d["end_lnum"], d["end_col"])))
                   for d in got["shown"])
    assert shown == expected(text, draft, "utf-8")  # what Neovim underlines: byte columns, so UTF-8 units
    assert "PZ001" in {d["code"] for d in got["shown"]}
    assert draft.read_text(encoding="utf-8") == text
