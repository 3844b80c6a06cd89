"""The rassegna as a PDF: the HTML document printed by headless Chromium.

One layout for screen and paper: the HTML renderer's print CSS sets the A4 page, and Chromium
keeps the table of contents' internal links working in the PDF. Chromium is a system program
(Debian's ``chromium``), found through ``RASSEGNA_CHROMIUM`` or the PATH; without it the error
says how to get one or how to print the HTML instead.

Each print uses a fresh profile in a temporary folder, runs in its own process group with a
time limit, and leaves no browser process or profile behind, even when Chromium hangs.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import IO

from search.errors import RenderError
from search.render.html import render as html_page
from search.render.model import Document

logger = logging.getLogger(__name__)

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT_SECONDS = 120.0
NO_BROWSER = (
    "PDF needs Chromium: install Debian's 'chromium' package (apt-get install chromium) "
    "or set RASSEGNA_CHROMIUM to a Chromium/Chrome executable; or write --format html "
    "and print it to PDF from a browser"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--generate-pdf-document-outline",
)
"""No sandbox because CI and containers run as root; no network of its own; no header/footer
(the page CSS prints its own); bookmarks from the headings, for a viewer's navigation pane."""


def render(document: Document) -> bytes:
    return print_to_pdf(html_page(document))


def find_chromium() -> str:
    """The browser to print with: ``RASSEGNA_CHROMIUM`` if set, else the first on the PATH."""
    configured = os.environ.get("RASSEGNA_CHROMIUM")
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise RenderError(
                f"RASSEGNA_CHROMIUM={configured!r} is not an executable; {NO_BROWSER}"
            )
        return found
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise RenderError(NO_BROWSER)


def print_to_pdf(page: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """``page`` (a self-contained HTML document) printed to PDF bytes."""
    browser = find_chromium()
    with tempfile.TemporaryDirectory(prefix="rassegna-pdf-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        source, target, log = folder / "rassegna.html", folder / "rassegna.pdf", folder / "log"
        source.write_bytes(page)
        command = [
            browser,
            *FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        started = time.monotonic()
        with log.open("wb") as errors:
            _run(command, errors, timeout)
        logger.debug("chromium printed %s in %.1f s", target, time.monotonic() - started)
        if not target.is_file() or target.stat().st_size == 0:
            raise RenderError(f"Chromium wrote no PDF ({_last_line(log)}); {NO_BROWSER}")
        return target.read_bytes()


def _run(command: list[str], errors: IO[bytes], timeout: float) -> None:
    """Run Chromium in a process group of its own and end the whole group afterwards.

    Chromium forks helpers (zygote, renderer, crash handler) that can outlive it; killing the
    group is the only way to leave nothing behind. Output goes to a file, not a pipe, so a
    helper holding the pipe open cannot block us past the browser's exit.
    """
    process = subprocess.Popen(  # noqa: S603 - fixed flags, browser found by us, no shell
        command,
        stdin=subprocess.DEVNULL,
        stdout=errors,
        stderr=errors,
        start_new_session=True,
    )
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Chromium did not finish printing the PDF in {timeout:.0f} s; "
            "write --format html and print it from a browser"
        ) from None
    finally:
        _end_group(process)
    if code != 0:
        logger.debug("chromium exited with status %s", code)


def _end_group(process: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _last_line(log: Path) -> str:
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no message"
