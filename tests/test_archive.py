"""WARC archive of fetched pages and ``rassegna reprocess`` from it, without fetching."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from simweb.content import build_web, expected, sources_path
from tests.conftest import run_cli

FAST = ("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_BACKOFF_BASE=0.2")


def test_pages_are_archived_and_items_can_be_extracted_again_offline(tmp_path: Path) -> None:
    with build_web() as web:
        summary = json.loads(
            run_cli(
                "crawl",
                "--sources",
                sources_path(),
                "--connect-to",
                web.connect_to,
                "--json",
                *FAST,
                data_dir=tmp_path,
            ).stdout
        )
    before = run_cli("snapshot", "--sources", sources_path(), data_dir=tmp_path).stdout
    records = {}
    for path in (tmp_path / "warc").glob("*.warc.gz"):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    records[record.rec_headers.get_header("WARC-Target-URI")] = (
                        record.content_stream().read()
                    )
    assert len(records) >= summary["articles"]
    with sqlite3.connect(tmp_path / "rassegna.sqlite") as db:
        fetched = dict(db.execute("SELECT url, coalesce(fetched_url, url) FROM items"))
    assert {fetched[m["url"]] for m in expected()["mentions"]} <= set(records)
    latin = records["http://www.lucaniasera.test/articolo.php?id=5512"]
    assert "città".encode("latin-1") in latin  # the bytes as served

    with sqlite3.connect(tmp_path / "rassegna.sqlite") as db:  # an "old extractor" result
        db.execute("UPDATE items SET title = 'titolo sbagliato', journalist = NULL")
    assert (
        "titolo sbagliato"
        in run_cli("snapshot", "--sources", sources_path(), data_dir=tmp_path).stdout
    )
    result = run_cli("reprocess", "--sources", sources_path(), data_dir=tmp_path)  # web is down
    assert f"{summary['articles']} items changed" in result.stdout
    assert run_cli("snapshot", "--sources", sources_path(), data_dir=tmp_path).stdout == before
