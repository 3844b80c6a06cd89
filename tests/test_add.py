"""``rassegna add URL``: one page of the simulated web added by hand, through --connect-to.

The real CLI against the loopback web: the page is stored as a manual uscita and is in the
rassegna even without a mention; what robots.txt forbids, an address no outlet covers and a
refused connection are each one line, exit 2, nothing stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.backends.sqlite import SQLiteStore
from search.desk.decisions import Desk
from search.files.data_dir import DataDir
from simweb import stories
from simweb.content import build_web, sources_path
from simweb.server import Web
from tests.conftest import run_cli, stored_count
from tests.receivers import free_port

VOLLEY = "https://www.cronacatorino.test" + stories.CT_VOLLEY.path
"""An article of a registry outlet that does not name the topic in its text."""
RESERVED = "https://www.cronacatorino.test/riservato/dossier-lgnet2-giunta/"


@pytest.fixture(scope="module")
def web() -> Iterator[Web]:
    with build_web() as running:
        yield running


def add(web: Web, data_dir: Path, *args: str, check: bool = True) -> object:
    return run_cli("add", *args, "--connect-to", web.connect_to, data_dir=data_dir, check=check)


def one_line_error(result: object) -> str:
    stderr = result.stderr.strip()  # type: ignore[attr-defined]
    assert result.returncode == 2, stderr  # type: ignore[attr-defined]
    assert "\n" not in stderr, stderr
    assert "Traceback" not in stderr
    return stderr


def test_a_page_without_mention_is_stored_as_manual_and_is_in_the_rassegna(
    web: Web, tmp_path: Path
) -> None:
    result = add(web, tmp_path, VOLLEY, "--sources", sources_path(), "--by", "giulia")
    out = result.stdout  # type: ignore[attr-defined]
    assert f"{VOLLEY}: added as a manual uscita" in out
    for line in (
        f"title       {stories.CT_VOLLEY.title}",
        "date        2023-10-22",
        "journalist  G. Ferrero",
        "outlet      Cronaca Torino",
        "category    quotidiani",
        "city        Torino",
        "mentions    0",
    ):
        assert line in out, out
    assert "rassegna review edit" in out
    store = SQLiteStore(DataDir(tmp_path).items)
    try:
        stored = store.get(VOLLEY)
    finally:
        store.close()
    assert stored is not None
    assert (stored.article.source, stored.article.mentions) == ("manual", 0)
    snap = tmp_path / "snap.json"
    run_cli("snapshot", "--sources", sources_path(), "--out", str(snap), data_dir=tmp_path)
    items = json.loads(snap.read_text(encoding="utf-8"))["items"]
    assert [(i["url"], i["source"]) for i in items] == [(VOLLEY, "manual")]
    assert [(e.actor, e.action) for e in Desk(DataDir(tmp_path).desk).audit(url=VOLLEY)] == [
        ("giulia", "add")
    ]


def test_an_outlet_outside_the_registry_is_made_from_outlet_and_category(
    web: Web, tmp_path: Path
) -> None:
    """The bundled registry knows none of the simulated outlets."""
    result = add(
        web,
        tmp_path,
        VOLLEY,
        "--outlet",
        "Cronaca Subalpina",
        "--category",
        "Portali",
        "--audience",
        "4200",
        "--date",
        "23/10/2023",
    )
    out = result.stdout  # type: ignore[attr-defined]
    assert "outlet      Cronaca Subalpina (not in the registry)" in out
    assert "category    portali" in out
    assert "date        2023-10-23" in out
    store = SQLiteStore(DataDir(tmp_path).items)
    try:
        stored = store.get(VOLLEY)
    finally:
        store.close()
    assert stored is not None
    assert (stored.article.outlet, stored.article.audience) == ("Cronaca Subalpina", 4200)


def test_an_address_no_outlet_covers_needs_outlet_and_category(web: Web, tmp_path: Path) -> None:
    error = one_line_error(add(web, tmp_path, VOLLEY, "--outlet", "Cronaca Subalpina", check=False))
    assert VOLLEY in error
    assert "--category" in error
    assert stored_count(tmp_path) == 0


def test_a_page_robots_txt_forbids_is_refused(web: Web, tmp_path: Path) -> None:
    before = web.fetch_count(RESERVED, None)
    error = one_line_error(add(web, tmp_path, RESERVED, "--sources", sources_path(), check=False))
    assert "robots.txt" in error
    assert RESERVED in error
    assert web.fetch_count(RESERVED, None) == before
    assert stored_count(tmp_path) == 0


def test_a_refused_connection_is_one_line_and_stores_nothing(tmp_path: Path) -> None:
    result = run_cli(
        "add",
        VOLLEY,
        "--sources",
        sources_path(),
        "--connect-to",
        f"::127.0.0.1:{free_port()}",
        data_dir=tmp_path,
        check=False,
    )
    error = one_line_error(result)
    assert "www.cronacatorino.test" in error
    assert "connection refused" in error
    assert stored_count(tmp_path) == 0


def test_extract_says_a_refused_connection_in_one_line(tmp_path: Path) -> None:
    result = run_cli(
        "extract",
        VOLLEY,
        "--connect-to",
        f"::127.0.0.1:{free_port()}",
        data_dir=tmp_path,
        check=False,
    )
    assert "connection refused" in one_line_error(result)
