"""End to end: the real CLI crawls the simulated web through --connect-to.

One crawl per module (a crawl is a subprocess, as a user runs it); each test reads one aspect
of its result: the rassegna equals the planted mentions with no false positive, each trap
of the simulated web behaved as a crawler must, and a second crawl fetches no article again.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from enrichment.registry import load_registry
from simweb.content import add_new_mention, build_web, expected, sources_path
from simweb.server import Web
from tests.conftest import ROOT, run_cli, stored_count

pytestmark = pytest.mark.slow

FAST = ("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_BACKOFF_BASE=0.2")
FIELDS = ("url", "outlet", "category", "title", "date", "journalist", "city", "language")


@dataclass
class Crawled:
    web: Web
    data_dir: Path
    summary: dict[str, Any]
    snapshot: dict[str, Any]
    hits_after_first: int


def crawl(web: Web, data_dir: Path, *extra: str) -> dict[str, Any]:
    result = run_cli(
        "crawl",
        "--sources",
        sources_path(),
        "--connect-to",
        web.connect_to,
        "--json",
        *FAST,
        *extra,
        data_dir=data_dir,
    )
    return json.loads(result.stdout)


def snapshot(data_dir: Path) -> dict[str, Any]:
    result = run_cli("snapshot", "--format", "json", "--sources", sources_path(), data_dir=data_dir)
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    data_dir = tmp_path_factory.mktemp("simweb-data")
    with build_web() as web:
        summary = crawl(web, data_dir)
        yield Crawled(web, data_dir, summary, snapshot(data_dir), len(web.hits))


def test_the_rassegna_is_exactly_the_planted_mentions(crawled: Crawled) -> None:
    want = sorted(tuple(m[f] for f in FIELDS) for m in expected()["mentions"])
    got = sorted(tuple(i[f] for f in FIELDS) for i in crawled.snapshot["items"])
    assert got == want
    assert crawled.snapshot["total"]["uscite"] == len(want)
    assert all(i["mentions"] > 0 and i["source"] == "crawl" for i in crawled.snapshot["items"])


def test_traps_are_not_items(crawled: Crawled) -> None:
    urls = {i["url"] for i in crawled.snapshot["items"]}
    for trap in expected()["not_items"]:
        assert trap["url"] not in urls, trap["why"]


def test_robots_disallowed_page_is_never_fetched(crawled: Crawled) -> None:
    disallowed = [t["url"] for t in expected()["not_items"] if "robots" in t["why"]]
    assert disallowed
    for url in disallowed:
        assert crawled.web.fetch_count(url, status=None) == 0
    assert crawled.summary["robots_forbidden"] >= 1


def test_503_then_200_page_is_retried_andstored_count(crawled: Crawled) -> None:
    failed_once = [h for h in crawled.web.hits if h.status == 503]
    assert len(failed_once) == 1
    retried = f"https://{failed_once[0].host}{failed_once[0].path}"
    assert crawled.web.fetch_count(retried) == 1
    assert any(i["url"] == retried for i in crawled.snapshot["items"])


def test_broken_feed_and_bad_entry_are_reported_and_the_crawl_goes_on(crawled: Crawled) -> None:
    reasons = {f["url"]: f["reason"] for f in crawled.summary["failures"]}
    assert reasons["https://www.concadoronotizie.test/feed/"] == "not an RSS or Atom feed"
    assert any("without a link" in r for r in reasons.values())
    assert crawled.summary["finish_reason"] == "finished"
    assert any(i["outlet"] == "Conca d'Oro Notizie" for i in crawled.snapshot["items"])


def test_every_page_is_fetched_once_and_with_our_user_agent(crawled: Crawled) -> None:
    first = crawled.web.hits[: crawled.hits_after_first]
    pages = [(h.host, h.path) for h in first if h.status == 200]
    assert len(pages) == len(set(pages)), "a page was downloaded twice in one crawl"
    assert all(h.headers.get("User-Agent", "").startswith("rassegna/") for h in first)


def test_search_finds_crawled_items_with_italian_stems(crawled: Crawled) -> None:
    result = run_cli("search", "mediatore culturale", "--json", data_dir=crawled.data_dir)
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(item["city"] == "Sassari" for item in found)
    filtered = run_cli("search", "lgnet2", "--city", "Genova", "--json", data_dir=crawled.data_dir)
    cities = {json.loads(line)["city"] for line in filtered.stdout.splitlines()}
    assert cities == {"Genova"}


def test_second_crawl_of_unchanged_web_fetches_no_article(crawled: Crawled) -> None:
    again = crawl(crawled.web, crawled.data_dir)
    second = crawled.web.hits[crawled.hits_after_first :]
    articles = {m["url"] for m in expected()["mentions"]}
    refetched = [
        h
        for h in second
        if f"https://{h.host}{h.path}" in articles or f"http://{h.host}{h.path}" in articles
    ]
    assert refetched == []
    assert again["new_items"] == 0
    assert again["articles"] == 0
    assert again["not_modified"] > 0
    assert snapshot(crawled.data_dir) == crawled.snapshot


def test_killed_crawl_restarted_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    with build_web() as web:
        command = [
            sys.executable,
            "-m",
            "crawler.app.cli",
            "crawl",
            "--sources",
            sources_path(),
            "--connect-to",
            web.connect_to,
            "--data-dir",
            str(tmp_path),
            *FAST,
        ]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and stored_count(tmp_path) < 3:
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)  # the crawler and its extraction workers
        process.wait()
        stored_before = stored_count(tmp_path)
        assert stored_before > 0
        crawl(web, tmp_path)
    want = sorted(m["url"] for m in expected()["mentions"])
    assert sorted(i["url"] for i in snapshot(tmp_path)["items"]) == want


def test_connect_to_keeps_the_real_host_in_sni_host_header_and_urls(crawled: Crawled) -> None:
    names = set(crawled.web.server_names)
    assert "www.cronacatorino.test" in names
    assert names <= crawled.web.hosts()
    assert {h.host for h in crawled.web.hits} <= crawled.web.hosts()
    assert all("127.0.0.1" not in i["url"] for i in crawled.snapshot["items"])


def test_extract_shows_why_a_page_is_or_is_not_in_the_rassegna(crawled: Crawled) -> None:
    mention = next(m for m in expected()["mentions"] if m["outlet"] == "Genova Sera")
    result = run_cli(
        "extract",
        mention["url"],
        "--sources",
        sources_path(),
        "--connect-to",
        crawled.web.connect_to,
        "--json",
        data_dir=crawled.data_dir,
    )
    record = json.loads(result.stdout)
    for field in ("title", "date", "journalist", "city", "language"):
        assert record[field] == mention[field], field
    assert record["in_rassegna"]
    assert record["mentions"] >= 1
    assert record["author_raw"]
    assert record["text"]
    sidebar = next(t["url"] for t in expected()["not_items"] if "sidebar" in t["why"])
    other = json.loads(
        run_cli(
            "extract",
            sidebar,
            "--sources",
            sources_path(),
            "--connect-to",
            crawled.web.connect_to,
            "--json",
            data_dir=crawled.data_dir,
        ).stdout
    )
    assert other["is_article"]
    assert other["mentions"] == 0
    assert not other["in_rassegna"]


def test_pages_over_the_size_limit_are_skipped_and_reported(tmp_path: Path) -> None:
    with build_web() as web:
        summary = crawl(
            web, tmp_path, "--outlet", "Conca d'Oro Notizie", "--set", "DOWNLOAD_MAXSIZE=1000000"
        )
    assert summary["new_items"] == 0
    assert any(
        "concadoronotizie" in f["url"] and "size" in f["reason"].lower()
        for f in summary["failures"]
    ), summary["failures"]


def test_robots_crawl_delay_spaces_the_requests_to_that_site(crawled: Crawled) -> None:
    first = crawled.web.hits[: crawled.hits_after_first]
    slow = [h.at for h in first if h.host == "www.boznertagblatt.test" and h.path != "/robots.txt"]
    assert len(slow) >= 3
    gaps = [b - a for a, b in itertools.pairwise(slow)]
    # Its robots.txt asks for "Crawl-delay: 1": no two requests arrive closer than that.
    assert min(gaps) >= 1.0, gaps


def test_a_crawl_after_one_new_article_fetches_exactly_that_article(tmp_path: Path) -> None:
    with build_web() as web:
        crawl(web, tmp_path)
        before = len(web.hits)
        row = add_new_mention(web)
        summary = crawl(web, tmp_path)
        pages = {
            f"{h.host}{h.path}"
            for h in web.hits[before:]
            if h.status == 200 and h.path != "/robots.txt"
        }
    entry_points = {
        u.split("://", 1)[1]
        for o in load_registry(sources_path()).outlets
        for _, u in o.entry_points("lgnet2")
    }
    assert pages - entry_points == {row["url"].split("://", 1)[1]}
    assert summary["new_items"] == 1
    assert summary["new_mentions"] == 1
    items = snapshot(tmp_path)["items"]
    assert [tuple(i[f] for f in FIELDS) for i in items if i["url"] == row["url"]] == [
        tuple(row[f] for f in FIELDS)
    ]


def test_search_collapses_the_same_story_on_two_outlets(crawled: Crawled) -> None:
    lines = run_cli(
        "search", "lgnet2", "--collapse", "--json", "--limit", "50", data_dir=crawled.data_dir
    ).stdout.splitlines()
    found = [json.loads(line) for line in lines]
    perugia = [f for f in found if f["outlet"] in ("Vivi Perugia", "Vivi Umbria")]
    assert len(perugia) == 1
    assert perugia[0]["also_on"] == [
        ({"Vivi Perugia", "Vivi Umbria"} - {perugia[0]["outlet"]}).pop()
    ]
