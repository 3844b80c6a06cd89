"""``rassegna status`` on a registry too large for one table: the totals, and only the outlets
that need a look; ``--all`` and ``--outlet`` for the rest, ``--json`` always complete."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import yaml

from crawler.app.cli import main
from crawler.app.commands.status import FULL_TABLE_UP_TO
from crawler.failures import utc_now
from crawler.state import CrawlState, OutletRun
from search.files.data_dir import DataDir

FAILING = "Eco di Prova 003"
"""Every entry point failed: flagged."""
WITH_ERRORS = "Eco di Prova 007"
"""Some pages failed, the feed answered: not flagged, but its last crawl had errors."""


def _registry(folder: Path, count: int) -> Path:
    outlets = [
        {
            "name": f"Eco di Prova {i:03}",
            "category": "quotidiani",
            "urls": [f"eco{i}.test"],
            "feeds": [f"https://eco{i}.test/feed/"],
        }
        for i in range(count)
    ]
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump({"outlets": outlets}), encoding="utf-8")
    return path


def _crawled(data_dir: Path, count: int, *, skip: int = 0) -> None:
    """A last run for each outlet but the last ``skip``, all ``ok`` but two."""
    now = utc_now()
    runs = []
    for i in range(count - skip):
        name = f"Eco di Prova {i:03}"
        failed = 1 if name == FAILING else 0
        errors = 1 if name in (FAILING, WITH_ERRORS) else 0
        runs.append(
            OutletRun(
                outlet=name,
                started=now,
                finished=now,
                result="errors" if errors else "ok",
                articles=1,
                new_items=1,
                errors=errors,
                last_error="HTTP 404" if errors else None,
                entry_points=1,
                entry_points_failed=failed,
                last_new=now,
            )
        )
    state = CrawlState(DataDir(data_dir).crawl_state)
    try:
        state.record_outlet_runs(runs)
    finally:
        state.close()


def _status(registry: Path, data_dir: Path, *args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["status", "--sources", str(registry), "--data-dir", str(data_dir), *args])
    assert code == 0
    return out.getvalue()


def test_a_large_registry_shows_the_totals_and_only_the_outlets_to_look_at(
    tmp_path: Path,
) -> None:
    count = FULL_TABLE_UP_TO + 10
    registry = _registry(tmp_path, count)
    _crawled(tmp_path, count, skip=2)
    shown = _status(registry, tmp_path)
    assert (
        f"Testate {count} · in crawl {count} · ok {count - 4} · con errori 2 · segnalate 1 · "
        "mai visitate 2 · prossimo crawl -"
    ) in shown
    assert FAILING in shown
    assert WITH_ERRORS in shown
    assert "Eco di Prova 000" not in shown
    assert "2 testate da controllare" in shown
    assert "rassegna status --all" in shown


def test_all_lists_every_outlet_and_outlet_the_named_ones(tmp_path: Path) -> None:
    count = FULL_TABLE_UP_TO + 10
    registry = _registry(tmp_path, count)
    _crawled(tmp_path, count)
    every = _status(registry, tmp_path, "--all")
    assert all(f"Eco di Prova {i:03}" in every for i in range(count))
    assert "da controllare" not in every
    one = _status(registry, tmp_path, "--outlet", "Eco di Prova 000")
    assert "Eco di Prova 000" in one
    assert FAILING not in one


def test_json_has_every_outlet_whatever_the_size(tmp_path: Path) -> None:
    count = FULL_TABLE_UP_TO + 10
    registry = _registry(tmp_path, count)
    _crawled(tmp_path, count)
    status = json.loads(_status(registry, tmp_path, "--json"))
    assert [row["outlet"] for row in status["outlets"]] == [
        f"Eco di Prova {i:03}" for i in range(count)
    ]
    flagged = {row["outlet"] for row in status["outlets"] if row["flags"]}
    assert flagged == {FAILING}


def test_a_small_registry_shows_every_outlet_by_default(tmp_path: Path) -> None:
    registry = _registry(tmp_path, FULL_TABLE_UP_TO)
    _crawled(tmp_path, FULL_TABLE_UP_TO)
    shown = _status(registry, tmp_path)
    assert all(f"Eco di Prova {i:03}" in shown for i in range(FULL_TABLE_UP_TO))
    assert f"Testate {FULL_TABLE_UP_TO} ·" in shown
