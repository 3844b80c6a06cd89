"""The repository is a Scrapy project (contract 8): Scrapy's own tools know it and its spider.

``scrapy crawl outlets`` with the contract's arguments must store what ``rassegna crawl``
stores on the same simulated web, and the crawl state it leaves must let a later
``rassegna crawl`` go on from there.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from simweb.content import build_web, sources_path
from simweb.server import Web
from tests.conftest import run_cli, run_module

pytestmark = pytest.mark.slow

FAST = {"AUTOTHROTTLE_START_DELAY": "0.05", "RETRY_BACKOFF_BASE": "0.2"}
COLUMNS = "url, outlet, category, audience, title, date, journalist, city, language, mentions"


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "RASSEGNA_DATA_DIR"}
    return run_module("scrapy", *args, env=env)


def stored(data_dir: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(data_dir / "rassegna.sqlite") as db:
        return sorted(db.execute(f"SELECT {COLUMNS} FROM items").fetchall())


@dataclass
class Both:
    web: Web
    ours: Path
    scrapys: Path
    scrapy_log: str


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Both]:
    ours = tmp_path_factory.mktemp("rassegna-crawl")
    theirs = tmp_path_factory.mktemp("scrapy-crawl")
    with build_web() as web:
        flags = [item for name, value in FAST.items() for item in ("--set", f"{name}={value}")]
        run_cli(
            "crawl",
            "--sources",
            sources_path(),
            "--connect-to",
            web.connect_to,
            *flags,
            data_dir=ours,
        )
        settings = [item for name, value in FAST.items() for item in ("-s", f"{name}={value}")]
        result = scrapy(
            "crawl",
            "outlets",
            "-a",
            f"sources={sources_path()}",
            "-a",
            f"connect_to={web.connect_to}",
            "-s",
            f"RASSEGNA_DATA_DIR={theirs}",
            *settings,
        )
        yield Both(web, ours, theirs, result.stderr)


def test_scrapy_list_names_the_spider() -> None:
    assert scrapy("list").stdout.split() == ["outlets"]


def test_scrapy_crawl_stores_what_rassegna_crawl_stores(both: Both) -> None:
    items = stored(both.scrapys)
    assert items, both.scrapy_log
    assert items == stored(both.ours)


def test_scrapy_crawl_records_each_outlet_run_for_status(both: Both) -> None:
    status = json.loads(
        run_cli("status", "--sources", sources_path(), "--json", data_dir=both.scrapys).stdout
    )
    outlets = status["outlets"] if isinstance(status, dict) else status
    assert outlets
    assert all(o["last_run"] for o in outlets), outlets


def test_rassegna_crawl_after_scrapy_crawl_fetches_no_article_again(both: Both) -> None:
    before = len(both.web.hits)
    summary = json.loads(
        run_cli(
            "crawl",
            "--sources",
            sources_path(),
            "--connect-to",
            both.web.connect_to,
            "--json",
            data_dir=both.scrapys,
        ).stdout
    )
    assert summary["articles"] == 0
    assert summary["new_items"] == 0
    assert len(both.web.hits) > before  # the entry points were asked again


class _Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("User-Agent", "")))
        body = b"<html><body><p>Notizia di prova</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_scrapy_fetch_uses_the_project_settings(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/notizia"
        result = scrapy("fetch", "--nolog", url)
    finally:
        server.shutdown()
        server.server_close()
    assert "Notizia di prova" in result.stdout
    paths = [path for path, _ in _Recorder.seen]
    assert paths == ["/robots.txt", "/notizia"]  # robots.txt obeyed, as in a crawl
    assert all(agent.startswith("rassegna/") for _, agent in _Recorder.seen)
