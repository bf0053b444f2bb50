"""Real components: the audit on a Dask LocalCluster of 2 worker processes (JSON byte-identical to the local
run), and the HTML report in headless Chromium driven by selenium (charts drawn, table sorts, no request)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from linkedin_export import generate  # noqa: E402

# the real functions, saved before conftest's no_network fixture replaces them
_CONNECT, _GETADDRINFO, _CREATE = socket.socket.connect, socket.getaddrinfo, socket.create_connection
LOOPBACK = ("127.0.0.1", "::1", "localhost")
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.mark.integration
def test_dask_local_cluster_equals_the_local_run(run, tmp_path):
    pytest.importorskip("distributed", reason="dask[distributed] is in the test extra")
    export = tmp_path / "rep.zip"
    generate(export, "2024", conversations=40, seed=5)
    local, dask = tmp_path / "local.json", tmp_path / "dask.json"
    code, _, err = run("audit", export, "--format", "json", "-o", local, "--isolated", "--no-cache", "--jobs", "1",
                       cwd=tmp_path)
    assert code == 1, err
    code, _, err = run("audit", export, "--format", "json", "-o", dask, "--isolated", "--no-cache",
                       "--engine", "dask", "--scheduler", "local", "--jobs", "2", cwd=tmp_path)
    assert code == 1, err
    assert dask.read_bytes() == local.read_bytes()
    doc = json.loads(local.read_text(encoding="utf-8"))
    assert doc["summary"]["sent"] > 40 and len(doc["threads"]) > 40  # more than one partition of work


@pytest.mark.integration
@pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver "
                                                      "(apt-get install chromium chromium-driver; .ci/run does)")
def test_html_report_in_headless_chromium(run, tmp_path, monkeypatch):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra")
    from selenium.webdriver.common.by import By

    def loopback(real, host_of):  # selenium talks to chromedriver on 127.0.0.1; nothing else may connect
        def guarded(*args, **kwargs):
            host = host_of(*args)
            if host not in LOOPBACK:
                raise OSError(f"network access attempted during a test: {host}")
            return real(*args, **kwargs)
        return guarded

    monkeypatch.setattr(socket.socket, "connect", loopback(_CONNECT, lambda sock, address, *a: address[0]))
    monkeypatch.setattr(socket, "getaddrinfo", loopback(_GETADDRINFO, lambda host, *a: host))
    monkeypatch.setattr(socket, "create_connection", loopback(_CREATE, lambda address, *a: address[0]))
    monkeypatch.setenv("SE_AVOID_STATS", "true")
    export = tmp_path / "rep.zip"
    generate(export, "2026", conversations=40, seed=9)
    report = tmp_path / "report.html"
    code, _, err = run("audit", export, "--html", report, "--isolated", "--no-cache", cwd=tmp_path)
    assert code == 1 and report.is_file(), err

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1300,1900",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=DRIVER), options=options)
    try:
        driver.get(report.as_uri())
        figures = driver.find_elements(By.CSS_SELECTOR, "figure.chart")
        assert len(figures) == 5
        for fig in figures:
            points = int(fig.get_attribute("data-points"))
            drawn = driver.execute_script(  # bars the browser laid out with a visible size
                "return Array.from(arguments[0].querySelectorAll('svg g.bar rect.rect'))"
                ".filter(r => r.getBBox().height > 0.5 && r.getBBox().width > 0.5).length", fig)
            assert points > 0 and drawn == points, (fig.get_attribute("data-chart"), drawn, points)

        def scores():
            return [int(td.text) for td in driver.find_elements(By.CSS_SELECTOR, "#worst tbody tr td:first-child")]

        before = scores()
        assert len(before) > 5 and before == sorted(before)  # worst first
        header = driver.find_element(By.CSS_SELECTOR, "#worst th:first-child")
        header.click()
        assert header.get_attribute("data-dir") == "asc" and scores() == sorted(before)
        header.click()
        assert header.get_attribute("data-dir") == "desc" and scores() == sorted(before, reverse=True)
        assert scores() != before
        header.click()  # worst first again; open that thread
        summary = driver.find_element(By.CSS_SELECTOR, "#worst tbody tr details summary")
        driver.execute_script("arguments[0].scrollIntoView()", summary)
        summary.click()
        marks = driver.find_elements(By.CSS_SELECTOR, "#worst details[open] mark[data-code]")
        assert marks and all(m.is_displayed() and m.text.strip() for m in marks)
        driver.execute_script("window.scrollTo(0, 0)")

        requests = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
        sent = [m["params"] for m in requests if m["method"] == "Network.requestWillBeSent"]
        from_page = {p["request"]["url"] for p in sent if p.get("documentURL") == report.as_uri()}
        assert from_page == {report.as_uri()}, from_page  # the page itself, nothing it loads
        assert not [p["request"]["url"] for p in sent if p["request"]["url"].startswith(("http", "ws"))]
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
        shot = Path(os.environ.get("AUDIT_SCREENSHOT", tmp_path / "report.png"))
        assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    finally:
        driver.quit()
