"""A small rassegna for the edition tests: three uscite in the first week of October 2023,
one in the second."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from search.backends.sqlite import SQLiteStore
from tests.conftest import article, run_cli

TORINO = "https://www.torinoggi.test/2023/10/02/lgnet2-torino-rete-comuni/"
GENOVA = "https://www.genova24.test/2023/10/03/lgnet2-sportelli-genova/"
ANSA = "https://www.ansa.test/2023/10/04/lgnet2-rete-sedici-citta/"
SASSARI = "https://www.sassarinotizie.test/2023/10/10/lgnet2-sassari-tappa/"
WEEK_1 = ("2023-10-01", "2023-10-07")
WEEK_2 = ("2023-10-08", "2023-10-14")
ITEMS = [
    (TORINO, "Torinoggi.it", "quotidiani", 52000, "2023-10-02", "LgNet2 a Torino: la rete cresce"),
    (GENOVA, "Genova24", "portali", 30000, "2023-10-03", "Genova apre gli sportelli LgNet2"),
    (ANSA, "ANSA", "agenzie", None, "2023-10-04", "LgNet2, sedici città in rete"),
    (SASSARI, "Sassari Notizie", "quotidiani", 8000, "2023-10-10", "Sassari, tappa di LgNet2"),
]
"""(url, outlet, category, audience, date, title); week 1: 3 uscite, audience 82.000."""


def fill_store(data_dir: Path, items: list[tuple[Any, ...]] = ITEMS) -> None:
    store = SQLiteStore(data_dir / "rassegna.sqlite")
    try:
        for url, outlet, category, audience, day, title in items:
            store.upsert(
                article(
                    url=url,
                    outlet=outlet,
                    category=category,
                    audience=audience,
                    date=day,
                    title=title,
                    city=None,
                ),
                now="2023-10-11T08:00:00+00:00",
            )
    finally:
        store.close()


def editions(data_dir: Path) -> list[dict[str, Any]]:
    """``rassegna edition list --json``, parsed."""
    out = run_cli("edition", "list", "--json", data_dir=data_dir).stdout
    return [json.loads(line) for line in out.splitlines()]


def frozen_json(data_dir: Path, number: int) -> Any:
    """The frozen JSON of an edition, as ``edition show N --format json`` copies it."""
    return json.loads((data_dir / "editions" / str(number) / "rassegna.json").read_bytes())


def one_line_error(result: Any, status: int = 2) -> str:
    stderr = str(result.stderr).strip()
    assert result.returncode == status, (result.returncode, result.stdout, stderr)
    assert "\n" not in stderr, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith("rassegna edition"), stderr
    return stderr


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def in_process(capsys: pytest.CaptureFixture[str], *args: str, data_dir: Path) -> Result:
    """``rassegna ARGS`` run by ``main`` in this process: the same code as ``run_cli`` without
    the second or two each new process spends importing, for the many small checks."""
    from crawler.app.cli import main

    capsys.readouterr()
    try:
        code = main([*args, "--data-dir", str(data_dir)])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return Result(code, out, err)


def edition_cli(capsys: pytest.CaptureFixture[str], data_dir: Path) -> Callable[..., Result]:
    """``rassegna edition ARGS`` in this process on ``data_dir``, checking the exit status
    (``status=``, 0 by default)."""

    def run(*args: str, status: int = 0) -> Result:
        result = in_process(capsys, "edition", *args, data_dir=data_dir)
        assert result.returncode == status, (args, result)
        return result

    return run
