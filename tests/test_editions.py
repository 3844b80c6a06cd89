"""Editions (contract 6) through the real command line: drafts, approval, frozen documents,
the list, bad input, and the drafts ``rassegna run`` prepares.

No Chromium here (``RASSEGNA_CHROMIUM`` names no program): approval then keeps every format
but the PDF, which is what a machine without Chromium does; ``test_edition_send.py`` prints
real PDFs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from crawler.app import service
from crawler.app.service import ServiceSettings, configure, make_scheduler
from crawler.sources import load_sources
from enrichment.errors import RegistryError
from enrichment.registry import parse_registry
from enrichment.vocabulary import ROME
from search.alerts.channels import parse_channels
from search.backends.sqlite import SQLiteStore
from search.desk.decisions import Desk
from search.editions.schedule import draft_period, edition_step
from search.editions.store import open_editions
from tests.conftest import run_cli
from tests.editions_data import (
    ANSA,
    GENOVA,
    ITEMS,
    TORINO,
    WEEK_1,
    Result,
    edition_cli,
    fill_store,
    frozen_json,
    in_process,
    one_line_error,
)
from tests.receivers import WebhookReceiver


@pytest.fixture(autouse=True)
def _no_chromium_no_recipients(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASSEGNA_CHROMIUM", "no-such-browser")
    monkeypatch.delenv("RASSEGNA_EDITION_URLS", raising=False)
    monkeypatch.setenv("RASSEGNA_USER", "giulia")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    fill_store(folder)
    return folder


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], data_dir: Path) -> Callable[..., Result]:
    return edition_cli(capsys, data_dir)


def listed(cli: Callable[..., Result]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in cli("list", "--json").stdout.splitlines()]


def test_a_draft_is_approved_frozen_listed_and_shown(data_dir: Path, tmp_path: Path) -> None:
    made = run_cli(
        "edition",
        "new",
        "--since",
        WEEK_1[0],
        "--until",
        WEEK_1[1],
        "--title",
        "Prima settimana",
        data_dir=data_dir,
    )
    assert made.stdout == "1\n"  # the number alone, for scripts
    with open_editions(data_dir) as book:
        (draft,) = book.editions()
    assert (draft.state, draft.since, draft.until, draft.uscite, draft.audience) == (
        "draft",
        *WEEK_1,
        3,
        82000,
    )
    assert draft.created_by == "giulia"
    assert not (data_dir / "editions" / "1").exists()

    approved = run_cli("edition", "approve", "1", "--by", "anna", data_dir=data_dir)
    assert "Approvata: Edizione n. 1 — Prima settimana" in approved.stdout
    assert "3 uscite, audience 82.000" in approved.stdout
    assert "PDF non prodotto" in approved.stdout  # no Chromium: every other format is kept
    out = tmp_path / "edizione.docx"
    shown = run_cli(
        "edition", "show", "1", "--format", "docx", "--out", str(out), data_dir=data_dir
    )
    assert shown.stdout.strip() == str(out)
    assert out.read_bytes() == (data_dir / "editions" / "1" / "rassegna.docx").read_bytes()
    assert sorted(p.name for p in (data_dir / "editions" / "1").iterdir()) == [
        "rassegna.docx",
        "rassegna.html",
        "rassegna.json",
        "rassegna.md",
    ]


def test_the_list_and_show_read_the_frozen_edition(
    cli: Callable[..., Result], data_dir: Path
) -> None:
    assert cli("list").stdout.startswith("Nessuna edizione")
    assert not (data_dir / "editions.sqlite").exists()  # reading creates nothing
    assert cli("new", "--since", WEEK_1[0], "--until", WEEK_1[1]).stdout == "1\n"
    cli("approve", "1", "--by", "anna")
    (record,) = listed(cli)
    assert record["state"] == "approved"
    assert record["approved_by"] == "anna"
    assert record["formats"] == ["html", "docx", "md", "json"]
    assert record["deliveries"]["sent"] == 0

    snapshot = json.loads(cli("show", "1", "--format", "json").stdout)
    assert snapshot == frozen_json(data_dir, 1)
    assert snapshot["total"] == {"uscite": 3, "audience": 82000}
    assert sorted(i["url"] for i in snapshot["items"]) == sorted([TORINO, GENOVA, ANSA])
    markdown = cli("show", "1", "--format", "md").stdout
    assert "Edizione n. 1" in markdown
    assert "Periodo: dal 1 ottobre al 7 ottobre 2023" in markdown
    listing = cli("list").stdout
    assert "approvata" in listing
    assert "2023-10-01 → 2023-10-07" in listing
    assert "senza PDF" in listing


def test_an_edit_after_approval_leaves_the_edition_frozen_and_the_next_one_has_it(
    cli: Callable[..., Result], data_dir: Path
) -> None:
    cli("new", "--since", WEEK_1[0], "--until", WEEK_1[1])
    cli("approve", "1")
    page = (data_dir / "editions" / "1" / "rassegna.html").read_bytes()
    first = frozen_json(data_dir, 1)

    run_cli("review", "edit", TORINO, "--title", "Torino, il titolo corretto", data_dir=data_dir)
    Desk(data_dir / "desk.sqlite").exclude(GENOVA, reason="doppione", actor="anna")
    fill_store(data_dir, [(f"{TORINO}bis", "La Stampa", "quotidiani", 100, "2023-10-05", "X")])

    assert frozen_json(data_dir, 1) == first
    assert first["total"] == {"uscite": 3, "audience": 82000}
    assert "Torino, il titolo corretto" not in json.dumps(first)
    assert (data_dir / "editions" / "1" / "rassegna.html").read_bytes() == page

    assert cli("new", "--since", WEEK_1[0], "--until", WEEK_1[1]).stdout == "2\n"
    cli("approve", "2")
    second = frozen_json(data_dir, 2)
    titles = {i["url"]: i["title"] for i in second["items"]}
    assert titles[TORINO] == "Torino, il titolo corretto"
    assert GENOVA not in titles
    assert second["total"] == {"uscite": 3, "audience": 52100}


def test_bad_input_is_one_line_and_changes_nothing(
    cli: Callable[..., Result], data_dir: Path
) -> None:
    cli("new", "--since", WEEK_1[0], "--until", WEEK_1[1])
    before = listed(cli)
    files = data_dir / "editions"

    cases: list[tuple[list[str], str]] = [
        (["send", "1", "--to", "json://127.0.0.1:9/hook"], "edition 1 is a draft: approve it"),
        (["show", "1", "--format", "html"], "edition 1 is a draft"),
        (["approve", "7"], "no edition number 7"),
        (["send", "7", "--to", "json://127.0.0.1:9/hook"], "no edition number 7"),
        (["show", "7", "--format", "md"], "no edition number 7"),
        (["new", "--since", "2023-10-07", "--until", "2023-10-01"], "ends (2023-10-01) before"),
        (["new", "--since", "2023-11-01", "--until", "2023-11-30"], "no uscite from 2023-11-01"),
        (["new", "--since", "2023-10-32", "--until", "2023-11-30"], "is not a date"),
        (["new", "--until", "2023-11-30"], "--since"),
        (["approve", "uno"], "invalid int value"),
        (["send", "1"], "no recipients: give --to"),
        (["send", "1", "--to", "nosuch://user:s3cret@example.org"], "unknown scheme"),
    ]
    for args, expected in cases:
        message = one_line_error(cli(*args, status=2))
        assert expected in message, (args, message)
        assert "s3cret" not in message
        assert listed(cli) == before, args
        assert not (files / "1").exists(), args

    cli("approve", "1")
    approved = listed(cli)
    for args, expected in [
        (["approve", "1"], "edition 1 is already approved"),
        (["show", "1", "--format", "pdf", "--out", str(data_dir / "x.pdf")], "has no PDF"),
        (["show", "1", "--format", "docx"], "--format docx needs --out FILE"),
    ]:
        message = one_line_error(cli(*args, status=2))
        assert expected in message, (args, message)
        assert listed(cli) == approved, args
    assert not (data_dir / "x.pdf").exists()
    # The same errors from a real process: one line, exit status 2.
    result = run_cli("edition", "send", "1", data_dir=data_dir, check=False)
    assert "no recipients" in one_line_error(result)


def test_approval_refuses_a_period_whose_uscite_were_all_excluded(
    cli: Callable[..., Result], data_dir: Path
) -> None:
    cli("new", "--since", WEEK_1[0], "--until", WEEK_1[1])
    desk = Desk(data_dir / "desk.sqlite")
    for url, *_ in ITEMS[:3]:
        desk.exclude(url, reason="fuori tema", actor="anna")
    before = listed(cli)
    message = one_line_error(cli("approve", "1", status=2))
    assert "no uscite from 2023-10-01 to 2023-10-07 any more" in message
    assert listed(cli) == before
    assert not (data_dir / "editions" / "1").exists()


def test_a_registry_lists_recipients_and_the_schedule_under_editions() -> None:
    outlets = [{"name": "A", "category": "agenzie"}]
    short = parse_registry({"outlets": outlets, "editions": ["mailto://a@example.org"]})
    assert short.editions.to == ("mailto://a@example.org",)
    assert short.editions.every == "off"
    full = parse_registry({"outlets": outlets, "editions": {"to": [], "every": "weekly"}})
    assert full.editions.every == "weekly"
    assert parse_registry({"outlets": outlets, "editions": {"every": False}}).editions.every == (
        "off"  # YAML's unquoted off
    )
    with pytest.raises(RegistryError, match=r"'editions\.every' must be one of"):
        parse_registry({"outlets": outlets, "editions": {"every": "hourly"}})
    with pytest.raises(RegistryError, match="unknown key 'cc' in 'editions'"):
        parse_registry({"outlets": outlets, "editions": {"cc": []}})


# -- drafts on a schedule ------------------------------------------------------------------------


def test_a_draft_period_starts_after_the_last_edition_and_ends_yesterday() -> None:
    monday = date(2023, 10, 9)
    assert draft_period("daily", monday, None) == ("2023-10-08", "2023-10-08")
    assert draft_period("weekly", monday, None) == ("2023-10-02", "2023-10-08")
    assert draft_period("weekly", monday, "2023-10-04") == ("2023-10-05", "2023-10-08")
    assert draft_period("daily", monday, "2023-10-08") is None


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


def test_the_service_prepares_a_draft_tells_the_editors_once_and_never_sends_it(
    data_dir: Path, hook: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipients = WebhookReceiver().start()
    monkeypatch.setenv("RASSEGNA_EDITION_URLS", recipients.url("/destinatari"))
    channels = parse_channels([hook.url("/redazione")])
    store = SQLiteStore(data_dir / "rassegna.sqlite")
    try:

        def step(day: date) -> dict[str, Any]:
            return edition_step(data_dir, store, "weekly", channels, topic="LgNet2", today=day)

        assert step(date(2023, 10, 9)) == {"draft": 1, "announced": 1}
        assert step(date(2023, 10, 9)) == {"draft": None, "announced": 0}
        assert step(date(2023, 10, 16)) == {"draft": 2, "announced": 1}
        assert step(date(2023, 10, 23)) == {"draft": None, "announced": 0}  # no uscite
    finally:
        store.close()
        recipients.stop()
    with open_editions(data_dir) as book:
        periods = [(e.number, e.since, e.until, e.state, e.uscite) for e in book.editions()]
    # Weekly drafts run Monday to Sunday: 2 to 8 October, then 9 to 15.
    assert periods == [
        (2, "2023-10-09", "2023-10-15", "draft", 1),
        (1, "2023-10-02", "2023-10-08", "draft", 3),
    ]
    assert [p["title"] for p in hook.payloads] == [
        "LgNet2: Edizione n. 1 pronta, attende l'approvazione",
        "LgNet2: Edizione n. 2 pronta, attende l'approvazione",
    ]
    assert "rassegna edition approve 1" in hook.payloads[0]["message"]
    assert "Numero uscite: 3" in hook.payloads[0]["message"]
    assert recipients.payloads == []  # a draft is never sent


def test_the_scheduler_prepares_drafts_weekly_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry_file = tmp_path / "sources.yaml"
    registry_file.write_text(
        "outlets:\n  - {name: Agenzia, category: agenzie, feeds: ['https://a.test/feed/']}\n",
        encoding="utf-8",
    )
    registry = load_sources(registry_file)
    calls: list[str] = []
    for step in ("cycle", "alerts_step", "snapshot_step"):
        monkeypatch.setattr(service, step, lambda *a, **k: {})
    monkeypatch.setattr(service, "edition_step", lambda *a, **k: calls.append("edition") or {})
    sunday = datetime(2023, 11, 19, 8, 0, tzinfo=ROME)
    with time_machine.travel(sunday, tick=False) as traveller:
        off = make_scheduler(ServiceSettings(data_dir=tmp_path / "off", sources=registry_file))
        off.start(paused=True)
        configure(off, ServiceSettings(data_dir=tmp_path / "off"), registry)
        assert not [j.id for j in off.get_jobs() if j.id.startswith("edition")]
        off.shutdown(wait=False)

        settings = ServiceSettings(data_dir=tmp_path, sources=registry_file, edition_every="weekly")
        scheduler = make_scheduler(settings)
        scheduler.start(paused=True)
        configure(scheduler, settings, registry)
        job = scheduler.get_job("edition-weekly")
        assert job.next_run_time == datetime(2023, 11, 20, 7, 0, tzinfo=ROME)
        scheduler.resume()
        traveller.shift(timedelta(hours=23, minutes=30))  # Monday 07:30
        scheduler.wakeup()
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:
            time.sleep(0.1)
        scheduler.shutdown(wait=True)
    assert calls == ["edition"]


def test_a_bad_schedule_stops_the_service_before_it_starts(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASSEGNA_EDITION_EVERY", "hourly")
    result = in_process(capsys, "run", "--once", data_dir=data_dir)
    assert result.returncode == 2
    assert result.stderr == (
        "rassegna run: RASSEGNA_EDITION_EVERY='hourly': use daily, weekly or off\n"
    )
    assert not (data_dir / "editions.sqlite").exists()
