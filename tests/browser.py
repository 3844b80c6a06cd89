"""Headless Chromium for tests: Debian's browser driven by Playwright, never a downloaded one.

Playwright normally fetches its own browser build; CI and this machine cannot download it, and
the product prints its PDFs with the system's ``chromium`` anyway, so the tests use that one.
Without it the browser tests skip, saying what to install.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
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
