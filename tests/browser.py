"""Headless Chromium for tests: Debian's browser driven by Playwright, never a downloaded one.

Playwright normally fetches its own browser build; CI and this machine cannot download it, and
the product prints its PDFs with the system's ``chromium`` anyway, so the tests use that one.
Without it the browser tests skip, saying what to install.
"""

from __future__ import annotations

import html
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Error,
    Page,
    sync_playwright,
)

from enrichment.registry import Registry
from search.web.serve import DeskServer, serve
from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("RASSEGNA_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",  # no traffic of its own: tests stay on loopback
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def headless_chromium() -> Iterator[Browser]:
    """One browser (start it once per module: it takes a second or two)."""
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (or RASSEGNA_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class ConsoleWatch:
    """What a page reported as broken: console errors, uncaught exceptions, failed loads."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.on("requestfailed", lambda request: self.errors.append(f"failed: {request.url}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _page_error(self, error: Error) -> None:
        self.errors.append(f"exception: {error.message}")


def dialogs_of(page: Page) -> list[str]:
    """The alert/confirm/prompt messages the page opens from now on (each is dismissed)."""
    opened: list[str] = []

    def record(dialog: Dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


@contextmanager
def desk_server(data_dir: Path, registry: Registry) -> Iterator[str]:
    """``rassegna serve``'s server in a thread on a free loopback port; its base URL."""
    started: list[DeskServer] = []
    ready = threading.Event()

    def on_ready(server: DeskServer) -> None:
        started.append(server)
        ready.set()

    thread = threading.Thread(
        target=serve,
        kwargs={
            "host": "127.0.0.1",
            "port": 0,
            "data_dir": data_dir,
            "registry": registry,
            "ready": on_ready,
        },
        daemon=True,
    )
    thread.start()
    assert ready.wait(10), "the server did not start"
    try:
        yield started[0].url.rstrip("/")
    finally:
        started[0].shutdown()
        thread.join(10)


_ANNOUNCED = re.compile(r" on (http://\S+?)/? \(Ctrl-C to stop\)$")


@contextmanager
def rassegna_serve(
    data_dir: Path, *args: str, env: Mapping[str, str] | None = None, timeout: float = 60
) -> Iterator[str]:
    """``rassegna serve --port 0 ARGS`` in its own process, as the office starts it; its base
    URL (from the line it prints). ``env`` adds variables (``RASSEGNA_CONNECT_TO``, ...) to an
    environment cleared of those that would point it at other data. Stopped by its pid."""
    environment = dict(os.environ, RASSEGNA_DATA_DIR=str(data_dir), PYTHONHASHSEED="0")
    for name in ("ELASTICSEARCH_URL", "RASSEGNA_CONNECT_TO", "SCRAPY_SETTINGS_MODULE"):
        environment.pop(name, None)
    environment.update(env or {})
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.app.cli", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=log,
            stdin=subprocess.DEVNULL,
            text=True,
            env=environment,
            cwd=ROOT,
        )
        lines: queue.Queue[str] = queue.Queue()
        out = process.stdout
        assert out is not None

        def pump() -> None:
            for line in out:
                lines.put(line)

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        try:
            try:
                first = lines.get(timeout=timeout)
            except queue.Empty:
                first = ""
            found = _ANNOUNCED.search(first.strip())
            if found is None:
                log.seek(0)
                raise AssertionError(
                    f"rassegna serve did not start: {first!r}\nstderr:\n{log.read()}"
                )
            yield found.group(1)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
            reader.join(5)
            out.close()


class DeskSession:
    """One account signed in to a running desk over real HTTP, as a browser would be: the
    session cookie, and every form posted with its CSRF token and the item's version as the
    Da rivedere page shows them."""

    def __init__(self, base: str, name: str, password: str) -> None:
        self.base = base
        self.http = requests.Session()
        answer = self.http.post(
            base + "/accedi",
            data={"nome": name, "password": password, "csrf_token": self.token("/accedi")},
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 303, answer.text

    def __enter__(self) -> DeskSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop the kept-alive connections (a server waits for them when it shuts down)."""
        self.http.close()

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, timeout=120)

    def token(self, path: str = "/rivedi") -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.get(path).text)
        assert found is not None, f"no CSRF token on {path}"
        return found.group(1)

    def decide(self, action: str, url: str, **fields: str) -> requests.Response:
        """Post the Da rivedere form ``action`` (escludi, ripristina, modifica, evidenza,
        approva) for the item at ``url``; the page it lands on."""
        review = self.get("/rivedi").text
        version = re.search(
            rf'name="url" value="{re.escape(html.escape(url))}">\s*'
            r'<input type="hidden" name="version" value="(\d+)">',
            review,
        )
        assert version is not None, f"{url} is not on the Da rivedere page"
        token = re.search(r'name="csrf_token" value="([^"]+)"', review)
        assert token is not None
        answer = self.http.post(
            f"{self.base}/rivedi/{action}",
            data={"url": url, "version": version.group(1), "csrf_token": token.group(1), **fields},
            timeout=30,
        )
        assert answer.status_code == 200, answer.status_code
        return answer
