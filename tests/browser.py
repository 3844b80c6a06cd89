"""Headless Chromium for tests: Debian's browser driven by Playwright, never a downloaded one.

Playwright normally fetches its own browser build; CI and this machine cannot download it, and
the product prints its PDFs with the system's ``chromium`` anyway, so the tests use that one.
Without it the browser tests skip, saying what to install.
"""

from __future__ import annotations

import os
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
