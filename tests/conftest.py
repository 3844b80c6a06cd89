"""Shared fixtures: fresh stores, the reference rassegna, and running the real CLI."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from crawler.imports import COLUMNS
from enrichment.records import Article
from search.backends.sqlite import SQLiteStore
from search.desk import accounts as accounts_module
from tests.mirror.reference import ReferenceRow, read_reference, reference_csv
from tests.redis_server import redis_server

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_CSV = reference_csv()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    db = SQLiteStore(tmp_path / "rassegna.sqlite")
    yield db
    db.close()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throw-away redis-server for the test module (``tests.redis_server``), never the
    machine's own service."""
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="session")
def reference() -> list[ReferenceRow]:
    """The 60 rows of the reference rassegna, parsed."""
    return read_reference(REFERENCE_CSV)


@pytest.fixture
def reference_rows() -> list[dict[str, str]]:
    """The same rows as the CSV gives them, as strings."""
    with REFERENCE_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_module(
    module: str, *args: str, env: dict[str, str], timeout: float = 240, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """``python -m MODULE ARGS`` in the repository root, in a fresh process, with ``env`` as
    its whole environment less the variables that would point it at other data."""
    env = dict(env, PYTHONHASHSEED="0")
    for name in ("ELASTICSEARCH_URL", "RASSEGNA_CONNECT_TO", "SCRAPY_SETTINGS_MODULE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{module} {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def run_cli(
    *args: str, data_dir: Path, timeout: float = 240, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``rassegna`` in a fresh process, as a user would (a reactor runs once per process)."""
    env = dict(os.environ, RASSEGNA_DATA_DIR=str(data_dir))
    return run_module("crawler.app.cli", *args, env=env, timeout=timeout, check=check)


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


ARTICLE_URL = "https://www.esempio.test/2023/11/23/roma-rete-comuni/"


def article(**changes: object) -> Article:
    """A small stored-item record of the topic; keyword arguments change its fields."""
    base = Article(
        url=ARTICLE_URL,
        outlet="Esempio",
        category="quotidiani",
        title="Roma entra nella rete dei comuni per l'inclusione",
        date="2023-11-23",
        text="I migranti accolti dal Comune trovano sportelli e alloggi. "
        "Il progetto LgNet2 coinvolge sedici città.",
        language="it",
        mentions=1,
        city="Roma",
        snippets=("il progetto LgNet2 coinvolge",),
        tags=("housing",),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cheap_hashes() -> Iterator[None]:
    """Accounts made with argon2's lightest parameters (the server verifies whatever parameters
    a hash names): the same code, a hundred times faster. Modules that sign in through a
    browser ask for it with ``pytestmark = pytest.mark.usefixtures("cheap_hashes")``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            accounts_module,
            "PasswordHasher",
            lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
        )
        yield
