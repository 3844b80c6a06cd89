"""Shared fixtures: fresh stores, the reference rassegna, and running the real CLI."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.imports import COLUMNS
from search.backends.sqlite import SQLiteStore
from tests.mirror.reference import ReferenceRow, read_reference

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REFERENCE_CSV = SHARED / "reference" / "rassegna-2023-12-14.csv"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    db = SQLiteStore(tmp_path / "rassegna.sqlite")
    yield db
    db.close()


@pytest.fixture(scope="session")
def reference() -> list[ReferenceRow]:
    """The 60 rows of the reference rassegna, parsed."""
    if not REFERENCE_CSV.is_file():
        pytest.skip(f"reference rassegna not found at {REFERENCE_CSV} (no shared folder)")
    return read_reference(REFERENCE_CSV)


@pytest.fixture
def reference_rows() -> list[dict[str, str]]:
    """The same rows as the CSV gives them, as strings."""
    if not REFERENCE_CSV.exists():
        pytest.skip(f"reference rassegna not found at {REFERENCE_CSV}")
    with REFERENCE_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_cli(
    *args: str, data_dir: Path, timeout: float = 240, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``rassegna`` in a fresh process, as a user would (a reactor runs once per process)."""
    env = dict(os.environ, RASSEGNA_DATA_DIR=str(data_dir), PYTHONHASHSEED="0")
    env.pop("ELASTICSEARCH_URL", None)
    env.pop("RASSEGNA_CONNECT_TO", None)
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"rassegna {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def reference_as_import(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Every reference row as a manual item; rows without URL get a stable synthetic one."""
    return [
        {
            "url": row["url"] or f"https://rassegna.test/voce/{row['n']}",
            "outlet": row["outlet"],
            "category": row["category"],
            "audience": row["audience"],
            "date": row["date"],
            "title": row["title"],
            "journalist": row["journalist"],
            "text": f"Sintesi redatta a mano: la tappa di {row['city']} della rete LgNet2.",
        }
        for row in rows
    ]


def stored_count(data_dir: Path) -> int:
    """Items in the embedded store right now (0 while it does not exist yet), read safely
    beside a running crawl."""
    try:
        with sqlite3.connect(data_dir / "rassegna.sqlite", timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM items").fetchone()[0])
    except sqlite3.Error:
        return 0
