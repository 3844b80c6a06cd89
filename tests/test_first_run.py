"""The first ``rassegna run`` over an archive filled before it: its mentions are recorded as
known, not alerted one by one, unless ``--alert-existing`` asks; what comes later is alerted.

Real protocols on loopback: the simulated web to crawl (one page that is no article, so the
crawl is short), a JSON webhook receiving the alerts. The archive is filled by import.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.imports import import_csv
from crawler.sources import load_sources
from search.backends.sqlite import SQLiteStore
from search.files.data_dir import DataDir
from simweb.content import build_web
from simweb.server import Web
from tests.conftest import run_cli, write_csv
from tests.receivers import WebhookReceiver

FAST = ("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_BACKOFF_BASE=0.2")
REGISTRY = """\
topic: {name: LgNet2, query: lgnet2}
outlets:
  - name: "Genova Sera"
    category: quotidiani
    urls: ["www.genovasera.test"]
    pages: ["https://www.genovasera.test/chi-siamo/"]
"""
STORIES = {
    "https://www.tgregionale.test/servizi/2023/10/20/lgnet2-accoglienza/": (
        "Accoglienza, il Comune nella rete LgNet2",
        "Il telegiornale racconta come il Comune accoglie le famiglie arrivate in estate.",
    ),
    "https://www.tgregionale.test/servizi/2023/10/21/lgnet2-scuole/": (
        "Scuole aperte la sera: corsi di italiano con LgNet2",
        "Nelle scuole del quartiere nord si tengono corsi serali di lingua per adulti.",
    ),
    "https://www.tgregionale.test/servizi/2023/11/02/lgnet2-sportello/": (
        "Nuovo sportello LgNet2 per il lavoro",
        "Lo sportello in piazza del mercato aiuta a scrivere il curriculum e cercare impiego.",
    ),
}
ARCHIVE = list(STORIES)[:2]
LATER = list(STORIES)[2]


def row(url: str) -> dict[str, str]:
    title, text = STORIES[url]
    return {
        "url": url,
        "outlet": "TG Regionale",
        "category": "radio_tv",
        "audience": "",
        "date": url.split("/servizi/")[1][:10].replace("/", "-"),
        "title": title,
        "journalist": "",
        "text": text,
    }


@pytest.fixture(scope="module")
def web() -> Iterator[Web]:
    with build_web() as running:
        yield running


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


def archive(data_dir: Path, *urls: str) -> None:
    path = write_csv(data_dir / f"uscite-{len(urls)}.csv", [row(u) for u in urls])
    store = SQLiteStore(DataDir(data_dir).items)
    try:
        result = import_csv(path, store, load_sources(None), now="2023-12-01T09:00:00+00:00")
    finally:
        store.close()
    assert (result.created, result.errors) == (len(urls), [])


def run_once(web: Web, data_dir: Path, hook: WebhookReceiver, *extra: str) -> str:
    registry = data_dir / "sources.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    args = ["run", "--once", "--sources", str(registry), "--connect-to", web.connect_to, *FAST]
    result = run_cli(*args, "--alert-url", hook.url("/avvisi"), *extra, data_dir=data_dir)
    return str(result.stderr)


def alerted(hook: WebhookReceiver, url: str) -> int:
    return sum(url in json.dumps(payload) for payload in hook.payloads)


def test_the_archive_is_recorded_as_known_and_a_later_item_is_alerted_once(
    web: Web, hook: WebhookReceiver, tmp_path: Path
) -> None:
    archive(tmp_path, *ARCHIVE)
    log = run_once(web, tmp_path, hook)
    assert "2 items already in the archive recorded as known, not alerted" in log
    assert hook.payloads == []
    archive(tmp_path, LATER)
    log = run_once(web, tmp_path, hook)
    assert "recorded as known" not in log
    assert [alerted(hook, url) for url in (*ARCHIVE, LATER)] == [0, 0, 1]


def test_alert_existing_alerts_the_archive(web: Web, hook: WebhookReceiver, tmp_path: Path) -> None:
    archive(tmp_path, *ARCHIVE)
    log = run_once(web, tmp_path, hook, "--alert-existing")
    assert "recorded as known" not in log
    assert [alerted(hook, url) for url in ARCHIVE] == [1, 1]
    assert len(hook.payloads) == 2
