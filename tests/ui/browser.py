"""A real browser on a real `streamlit run`: Debian's chromium driven by playwright, waiting on conditions only.

Every action waits for the script run it causes to end (the app root's
``data-test-script-state`` attribute, watched from the page) and then for what
the step expects to see; nothing waits for a fixed time.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
APP = "[data-testid='stApp']"
WAIT_MS = 180_000  # the longest any condition may take on a loaded machine; a met condition returns at once
expect.set_options(timeout=WAIT_MS)

# Counts the script runs that ended since the page loaded: a change of a root's state away from "running",
# watched on the whole document so that a root the app mounts anew is watched too.
_RUNS_ENDED = """() => {
  if (window.__runsEnded === undefined) {
    window.__runsEnded = 0;
    window.__appRoots = 1;
    new MutationObserver(records => {
      for (const r of records) {
        if (r.type === 'attributes' && r.oldValue === 'running') window.__runsEnded += 1;
        if (r.type === 'childList') window.__appRoots += [...r.addedNodes].filter(
          n => n.nodeType === 1 && (n.matches("[data-testid='stApp']") || n.querySelector("[data-testid='stApp']"))).length;
      }
    }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeOldValue: true,
                               attributeFilter: ['data-test-script-state']});
  }
  return window.__runsEnded + window.__appRoots;
}"""
_IDLE_AFTER = """(before) => window.__runsEnded + window.__appRoots > before &&
  document.querySelector("[data-testid='stApp']")?.getAttribute('data-test-script-state') === 'notRunning'"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(script: Path, db_path: Path) -> Iterator[str]:
    """`streamlit run script` on the given database; yields its URL once /_stcore/health answers."""
    port = free_port()
    env = {**os.environ, "SELECTION_DB": str(db_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not start within 90 s") from None
                time.sleep(0.2)  # polling the health endpoint, not waiting for the app
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def open_page(browser: Browser, url: str) -> Page:
    """A fresh tab on ``url``, returned once the first script run has ended."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    # the root reads "notRunning" before the first run has even started: wait for something it drew too
    expect(page.locator("[data-testid='stMain'] [data-testid='stElementContainer']").first).to_be_attached()
    page.wait_for_selector(f"{APP}[data-test-script-state='notRunning']")
    page.evaluate(_RUNS_ENDED)
    settle(page)
    return page


def act(page: Page, do: Callable[[], object]) -> None:
    """Do something that reruns the script (a click, a choice), and return once that run has ended."""
    before = page.evaluate(_RUNS_ENDED)
    do()
    page.wait_for_function(_IDLE_AFTER, arg=before)
    settle(page)


def settle(page: Page) -> None:
    """Wait until no script run is going on and nothing on the page is stale."""
    page.wait_for_selector(f"{APP}[data-test-script-state='notRunning']")
    expect(page.locator("[data-stale='true']")).to_have_count(0)
    assert_no_exception(page)


def assert_no_exception(page: Page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator(
        "[data-testid='stException']").first.inner_text()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def go(page: Page, title: str, heading: str | None = None) -> None:
    """Open a page from the sidebar and wait for its heading, then for its run to end.

    The heading is the condition, not a count of runs: a page switch the browser renders in
    one go may never show the app as running.
    """
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    expect(page.get_by_role("heading", name=heading or title).first).to_be_visible()
    settle(page)


def sign_in(browser: Browser, url: str, username: str, password: str) -> Page:
    page = open_page(browser, url)
    page.locator("input[aria-label='Username']:visible").first.fill(username)
    page.locator("input[aria-label='Password']:visible").first.fill(password)
    act(page, lambda: page.get_by_role("button", name="Sign in").click())
    return page
