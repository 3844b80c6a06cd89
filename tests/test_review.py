"""The press office's decisions (``rassegna review``, contract 5), through the real command line.

A small rassegna is imported from a CSV; each test takes decisions on it and reads them back
where the office sees them: the snapshot (JSON, Markdown, HTML), the lists, the log. Decisions
must survive what rewrites crawled data (a re-import, a reprocess).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from search.desk.decisions import Desk
from search.errors import ConflictError, DecisionError
from simweb.content import build_web, sources_path
from tests.conftest import run_cli, run_module, write_csv

TORINO = "https://www.torinoggi.test/2023/10/17/lgnet2-torino-rete-comuni/"
GENOVA = "https://www.genova24.test/2023/10/18/lgnet2-sportelli-genova/"
SASSARI = "https://www.sassarinotizie.test/2023/10/20/lgnet2-sassari-tappa/"
ROWS = [
    {
        "url": TORINO,
        "outlet": "Torinoggi.it",
        "category": "quotidiani",
        "audience": "52000",
        "date": "2023-10-17",
        "title": "LgNet2 a Torino: la rete dei comuni si allarga",
        "journalist": "Alice Gipponi",
        "text": "A Torino la rete LgNet2 ha presentato i nuovi sportelli per i cittadini.",
    },
    {
        "url": GENOVA,
        "outlet": "Genova24",
        "category": "portali",
        "audience": "30000",
        "date": "2023-10-18",
        "title": "Genova apre gli sportelli LgNet2 per la presa in carico",
        "journalist": "",
        "text": "Genova entra nel progetto LgNet2 con tre sportelli di quartiere.",
    },
    {
        "url": SASSARI,
        "outlet": "Sassari Notizie",
        "category": "quotidiani",
        "audience": "8000",
        "date": "2023-10-20",
        "title": "Sassari, tappa del tour LgNet2 in municipio",
        "journalist": "Giovanni Di Meo",
        "text": "Il tour di LgNet2 arriva a Sassari: incontro in municipio sul housing.",
    },
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rassegna of ``ROWS`` as ``rassegna import`` stores it (imported once: it is slow)."""
    root = tmp_path_factory.mktemp("imported")
    run_cli("import", str(write_csv(root / "uscite.csv", ROWS)), data_dir=root / "data")
    return root / "data"


@pytest.fixture
def data_dir(tmp_path: Path, imported: Path) -> Path:
    return Path(shutil.copytree(imported, tmp_path / "data"))


def cli(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, data_dir=data_dir, check=check)


def snapshot(data_dir: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(cli(data_dir, "snapshot").stdout)
    return result


def item(snap: dict[str, Any], url: str) -> dict[str, Any]:
    (found,) = [i for i in snap["items"] if i["url"] == url]
    return found


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_an_excluded_item_leaves_items_and_every_count_and_restore_brings_it_back(
    data_dir: Path,
) -> None:
    before = snapshot(data_dir)
    assert before["total"] == {"uscite": 3, "audience": 90000}
    said = cli(data_dir, "review", "exclude", TORINO, "--reason", "doppione", "--by", "anna")
    assert said.stdout == f"Esclusa dalla rassegna: {TORINO} (motivo: doppione)\n"
    after = snapshot(data_dir)
    assert TORINO not in [i["url"] for i in after["items"]]
    assert after["total"] == {"uscite": 2, "audience": 38000}
    quotidiani = next(c for c in after["categories"] if c["id"] == "quotidiani")
    assert (quotidiani["uscite"], quotidiani["audience"]) == (1, 8000)
    again = cli(data_dir, "review", "exclude", TORINO, "--reason", "doppione", "--by", "anna")
    assert again.stdout == f"Nessuna modifica: {TORINO}\n"
    (excluded,) = lines(cli(data_dir, "review", "list", "--excluded", "--json").stdout)
    assert (excluded["url"], excluded["reason"], excluded["state"]) == (
        TORINO,
        "doppione",
        "excluded",
    )
    cli(data_dir, "review", "restore", TORINO, "--by", "anna")
    assert snapshot(data_dir) == before
    log = lines(cli(data_dir, "review", "log", "--json").stdout)
    assert [(e["action"], e["before"], e["after"]) for e in log] == [
        ("restore", "doppione", None),
        ("exclude", None, "doppione"),
    ]


def test_corrections_show_in_the_json_markdown_and_html_documents(data_dir: Path) -> None:
    cli(
        data_dir,
        *("review", "edit", GENOVA, "--title", "Genova, tre sportelli LgNet2 nei quartieri"),
        *("--journalist", "M. Rossi", "--date", "2023-10-19", "--audience", "41000"),
        *("--category", "quotidiani", "--city", "Genova", "--outlet", "Genova24.it"),
    )
    corrected = item(snapshot(data_dir), GENOVA)
    assert {k: corrected[k] for k in ("title", "journalist", "date", "audience")} == {
        "title": "Genova, tre sportelli LgNet2 nei quartieri",
        "journalist": "M. Rossi",
        "date": "2023-10-19",
        "audience": 41000,
    }
    assert (corrected["category"], corrected["city"], corrected["outlet"]) == (
        "quotidiani",
        "Genova",
        "Genova24.it",
    )
    snap = snapshot(data_dir)
    assert snap["total"]["audience"] == 52000 + 41000 + 8000
    assert next(c for c in snap["categories"] if c["id"] == "quotidiani")["uscite"] == 3
    markdown = cli(data_dir, "snapshot", "--format", "md").stdout
    html = cli(data_dir, "snapshot", "--format", "html").stdout
    for document in (markdown, html):
        assert "Genova, tre sportelli LgNet2 nei quartieri" in document
        assert "Genova apre gli sportelli" not in document
        assert "M. Rossi" in document
        assert "19 ottobre" in document
    cli(data_dir, "review", "edit", TORINO, "--journalist", "")
    assert item(snapshot(data_dir), TORINO)["journalist"] is None
    assert "A. Gipponi" not in cli(data_dir, "snapshot", "--format", "md").stdout


def test_a_highlighted_item_is_marked_and_is_in_evidenza(data_dir: Path) -> None:
    assert "highlight" not in item(snapshot(data_dir), SASSARI)
    cli(data_dir, "review", "highlight", SASSARI)
    snap = snapshot(data_dir)
    assert item(snap, SASSARI)["highlight"] is True
    assert not any(i.get("highlight") for i in snap["items"] if i["url"] != SASSARI)
    markdown = cli(data_dir, "snapshot", "--format", "md").stdout
    (evidenza,) = [line for line in markdown.splitlines() if "In evidenza" in line]
    assert "Sassari Notizie: Sassari, tappa del tour LgNet2 in municipio" in evidenza
    assert "Torinoggi" not in evidenza  # the largest audience no longer chooses
    html = cli(data_dir, "snapshot", "--format", "html").stdout
    (box,) = re.findall(r"<h3>In evidenza</h3>(.*?)</ul>", html, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", "", box)
    assert "Sassari Notizie: Sassari, tappa del tour LgNet2 in municipio" in text
    assert "Torinoggi" not in text
    cli(data_dir, "review", "highlight", SASSARI, "--off")
    assert "highlight" not in item(snapshot(data_dir), SASSARI)


def test_approved_items_are_no_longer_pending(data_dir: Path) -> None:
    pending = lines(cli(data_dir, "review", "list", "--pending", "--json").stdout)
    assert sorted(i["url"] for i in pending) == sorted([TORINO, GENOVA, SASSARI])
    assert cli(data_dir, "review", "approve", GENOVA).stdout == f"Approvata: {GENOVA}\n"
    assert cli(data_dir, "review", "approve", GENOVA).stdout == f"Nessuna modifica: {GENOVA}\n"
    cli(data_dir, "review", "exclude", TORINO, "--reason", "fuori tema")
    pending = lines(cli(data_dir, "review", "list", "--pending", "--json").stdout)
    assert [i["url"] for i in pending] == [SASSARI]
    listing = cli(data_dir, "review", "list").stdout
    assert "approvata" in listing
    assert "esclusa" in listing
    assert "motivo: fuori tema" in listing
    assert "da vedere" in listing


def test_an_unknown_url_or_a_bad_value_is_one_line_exit_2_and_stores_nothing(
    data_dir: Path,
) -> None:
    before = snapshot(data_dir)
    for args, named in [
        (("exclude", "https://www.torinoggi.test/nessuno/", "--reason", "x"), "nessuno"),
        (("edit", GENOVA, "--date", "19/10/2023"), "date '19/10/2023'"),
        (("edit", GENOVA, "--category", "blog"), "category 'blog'"),
        (("edit", GENOVA, "--title", "Nuovo", "--audience", "-5"), "audience '-5'"),
        (("edit", GENOVA, "--title", ""), "title ''"),
        (("exclude", GENOVA, "--reason", " "), "reason"),
    ]:
        result = cli(data_dir, "review", *args, check=False)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("rassegna review: ")
        assert named in result.stderr
    assert snapshot(data_dir) == before
    assert Desk(data_dir / "desk.sqlite").audit() == []


def test_any_address_of_a_stored_item_names_it(data_dir: Path) -> None:
    bare = TORINO.replace("https://www.", "https://")
    cli(data_dir, "review", "highlight", f"{bare}?utm_source=newsletter&utm_medium=email")
    cli(data_dir, "review", "approve", f"{TORINO}?fbclid=abc#commenti")
    decided = {i["url"]: i for i in lines(cli(data_dir, "review", "list", "--json").stdout)}
    assert decided[TORINO]["highlight"] is True
    assert decided[TORINO]["reviewed"] is True
    assert item(snapshot(data_dir), TORINO)["highlight"] is True
    assert {e["url"] for e in lines(cli(data_dir, "review", "log", "--json").stdout)} == {TORINO}


def test_a_reimport_keeps_the_decisions(tmp_path: Path, data_dir: Path) -> None:
    cli(data_dir, "review", "exclude", SASSARI, "--reason", "non pertinente")
    cli(data_dir, "review", "edit", TORINO, "--title", "Titolo corretto dalla redazione")
    changed = [dict(r, text=r["text"] + " Aggiornato.") for r in ROWS]
    result = cli(data_dir, "import", str(write_csv(tmp_path / "again.csv", changed)))
    assert "3 updated" in result.stdout
    snap = snapshot(data_dir)
    assert SASSARI not in [i["url"] for i in snap["items"]]
    assert item(snap, TORINO)["title"] == "Titolo corretto dalla redazione"


def test_the_log_says_who_did_what_with_before_and_after(data_dir: Path) -> None:
    env = dict(os.environ, RASSEGNA_DATA_DIR=str(data_dir), RASSEGNA_USER="bruno")
    run_module("crawler.app.cli", "review", "edit", TORINO, "--audience", "60000", env=env)
    cli(data_dir, "review", "edit", TORINO, "--audience", "61000", "--by", "carla")
    cli(data_dir, "review", "edit", TORINO, "--audience", "61000", "--by", "carla")  # no change
    log = lines(cli(data_dir, "review", "log", TORINO, "--json").stdout)
    assert [(e["actor"], e["action"], e["field"], e["before"], e["after"]) for e in log] == [
        ("carla", "edit", "audience", "60000", "61000"),
        ("bruno", "edit", "audience", "52000", "60000"),
    ]
    assert all(e["url"] == TORINO and e["at"].endswith("+00:00") for e in log)
    text = cli(data_dir, "review", "log").stdout.splitlines()
    assert "carla  edit" in text[0]
    assert "audience: '60000' → '61000'" in text[0]


def test_a_reprocess_keeps_the_decisions(tmp_path: Path) -> None:
    data = tmp_path / "crawled"
    fast = ("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_BACKOFF_BASE=0.2")
    with build_web() as web:
        cli(data, "crawl", "--sources", sources_path(), "--connect-to", web.connect_to, *fast)
    items = json.loads(cli(data, "snapshot", "--sources", sources_path()).stdout)["items"]
    first, second = items[0]["url"], items[1]["url"]
    cli(data, "review", "exclude", first, "--reason", "comunicato interno")
    cli(data, "review", "edit", second, "--title", "Titolo della redazione")
    cli(data, "reprocess", "--sources", sources_path())
    after = json.loads(cli(data, "snapshot", "--sources", sources_path()).stdout)
    assert first not in [i["url"] for i in after["items"]]
    assert item(after, second)["title"] == "Titolo della redazione"
    assert after["total"]["uscite"] == len(items) - 1


def test_a_stale_version_is_a_conflict_and_a_repeated_decision_writes_nothing(
    tmp_path: Path,
) -> None:
    desk = Desk(tmp_path / "desk.sqlite")
    assert desk.decisions() == {}
    assert not (tmp_path / "desk.sqlite").exists()  # reading creates nothing
    seen = desk.approve(TORINO, actor="anna", expected_version=0)
    assert seen.version == 1
    desk.highlight(TORINO, actor="bruno", expected_version=1)
    with pytest.raises(ConflictError, match="changed meanwhile by bruno"):
        desk.exclude(TORINO, reason="doppione", actor="anna", expected_version=1)
    assert desk.decision(TORINO) == desk.decisions()[TORINO]
    assert desk.decision(TORINO).excluded is False  # type: ignore[union-attr]
    for _ in range(2):
        desk.exclude(TORINO, reason="doppione", actor="anna")
        desk.approve(TORINO, actor="anna")
    assert [e.action for e in desk.audit()] == ["exclude", "highlight", "approve"]
    with pytest.raises(DecisionError, match="audience"):
        desk.edit(TORINO, {"title": "Nuovo", "audience": -1}, actor="anna")
    assert desk.decision(TORINO).corrections == {}  # type: ignore[union-attr]
