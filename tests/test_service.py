"""``rassegna run``: scheduled crawls, snapshots kept current, alerts sent exactly once.

Real protocols on loopback: the simulated web for crawls, an SMTP server (aiosmtpd) for email
alerts, an HTTP receiver for webhook alerts. The scheduler test moves a controllable clock
(time-machine) instead of sleeping.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest
import time_machine

from crawler.app import service
from crawler.app.service import (
    ServiceSettings,
    alerts_step,
    configure,
    make_scheduler,
    scheduled_discovery,
)
from crawler.sources import load_sources
from enrichment.registry_sections import DiscoverySettings
from enrichment.vocabulary import ROME
from search.backends.sqlite import SQLiteStore
from search.render.history import write_history
from simweb.content import add_new_mention, build_web, expected, sources_path
from tests.conftest import ROOT, run_cli, stored_count
from tests.receivers import SMTPReceiver, WebhookReceiver

FAST = ("--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_BACKOFF_BASE=0.2")
MENTIONS = sorted(m["url"] for m in expected()["mentions"])


@pytest.fixture
def receivers() -> Iterator[tuple[SMTPReceiver, WebhookReceiver]]:
    smtp = SMTPReceiver()
    hook = WebhookReceiver()
    smtp.start()
    hook.start()
    try:
        yield smtp, hook
    finally:
        smtp.stop()
        hook.stop()


def run_once(web: Any, data_dir: Path, *alerts: str, check: bool = True) -> Any:
    args = ["run", "--once", "--sources", sources_path(), "--connect-to", web.connect_to, *FAST]
    for url in alerts:
        args += ["--alert-url", url]
    return run_cli(*args, data_dir=data_dir, check=check)


def urls_in(texts: list[str]) -> Counter[str]:
    """How many messages name each planted URL (a message lists its item and its copies)."""
    return Counter(url for text in texts for url in set(MENTIONS) if url in text)


def email_texts(smtp: SMTPReceiver) -> list[str]:
    texts = []
    for message in smtp.messages:
        part = message.get_body(("plain",)) if hasattr(message, "get_body") else message
        texts.append(part.get_content() if part is not None else str(message))
    return texts


def hook_texts(hook: WebhookReceiver) -> list[str]:
    return [json.dumps(payload, ensure_ascii=False) for payload in hook.payloads]


def test_each_new_mention_is_alerted_once_and_a_new_article_once_more(
    tmp_path: Path, receivers: tuple[SMTPReceiver, WebhookReceiver]
) -> None:
    smtp, hook = receivers
    channels = (smtp.url(to="ufficio.stampa@comune.test"), hook.url("/avvisi"))
    with build_web() as web:
        first = run_once(web, tmp_path, *channels)
        assert '"job": "once"' in first.stderr
        emails, payloads = len(smtp.messages), len(hook.payloads)
        assert urls_in(email_texts(smtp)) == Counter(dict.fromkeys(MENTIONS, 1))
        assert urls_in(hook_texts(hook)) == Counter(dict.fromkeys(MENTIONS, 1))
        assert emails == payloads < len(MENTIONS)  # copies travel in their original's message

        run_once(web, tmp_path, *channels)
        assert (len(smtp.messages), len(hook.payloads)) == (emails, payloads)

        row = add_new_mention(web)
        run_once(web, tmp_path, *channels)
    assert len(smtp.messages) == emails + 1
    assert len(hook.payloads) == payloads + 1
    assert row["url"] in email_texts(smtp)[-1]
    assert row["url"] in hook_texts(hook)[-1]

    latest = json.loads((tmp_path / "snapshots" / "latest" / "rassegna.json").read_text())
    assert latest == json.loads(
        run_cli("snapshot", "--sources", sources_path(), data_dir=tmp_path).stdout
    )
    assert (tmp_path / "snapshots" / latest["updated"] / "rassegna.json").exists()
    feed = feedparser.parse((tmp_path / "mentions.atom").read_bytes())
    assert len(feed.entries) == len(MENTIONS) + 1
    assert feed.entries[0].link == row["url"]


def test_smtp_down_is_retried_later_and_delivered_once(
    tmp_path: Path, receivers: tuple[SMTPReceiver, WebhookReceiver]
) -> None:
    smtp, hook = receivers
    channels = (smtp.url(to="ufficio.stampa@comune.test"), hook.url("/avvisi"))
    smtp.stop()
    with build_web() as web:
        run_once(web, tmp_path, *channels)
    assert smtp.messages == []
    assert urls_in(hook_texts(hook)) == Counter(dict.fromkeys(MENTIONS, 1))
    smtp.start()
    settings = ServiceSettings(data_dir=tmp_path, sources=Path(sources_path()), alert_urls=channels)
    registry = load_sources(sources_path())
    later = (datetime.now(ROME) + timedelta(hours=2)).isoformat()
    result = alerts_step(settings, registry, now=later)
    assert result["sent"] == len(hook.payloads)
    assert urls_in(email_texts(smtp)) == Counter(dict.fromkeys(MENTIONS, 1))
    alerts_step(settings, registry, now=later)
    assert urls_in(email_texts(smtp)) == Counter(dict.fromkeys(MENTIONS, 1))
    assert urls_in(hook_texts(hook)) == Counter(dict.fromkeys(MENTIONS, 1))


@pytest.mark.slow
def test_service_killed_mid_run_and_restarted_resends_and_loses_nothing(
    tmp_path: Path, receivers: tuple[SMTPReceiver, WebhookReceiver]
) -> None:
    _, hook = receivers
    with build_web() as web:
        command = [
            sys.executable,
            "-m",
            "crawler.app.cli",
            "run",
            "--sources",
            sources_path(),
            "--connect-to",
            web.connect_to,
            "--alert-url",
            hook.url("/avvisi"),
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
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        subprocess.run(["pkill", "-KILL", "-f", str(tmp_path)], check=False)
        assert stored_count(tmp_path) >= 3
        run_once(web, tmp_path, hook.url("/avvisi"))
        run_once(web, tmp_path, hook.url("/avvisi"))
    assert urls_in(hook_texts(hook)) == Counter(dict.fromkeys(MENTIONS, 1))


def test_sigterm_stops_the_service_cleanly(tmp_path: Path) -> None:
    registry = tmp_path / "sources.yaml"
    registry.write_text(
        "topic: {name: LgNet2, query: lgnet2}\noutlets:\n"
        "  - {name: Solo import, category: social}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler.app.cli",
            "run",
            "--sources",
            str(registry),
            "--data-dir",
            str(tmp_path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (tmp_path / "jobs.sqlite").exists():
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert '"event": "stopping"' in err
    assert '"event": "stopped"' in err


def test_a_bad_channel_is_refused_at_start_with_its_name(tmp_path: Path) -> None:
    result = run_cli(
        "run",
        "--once",
        "--sources",
        sources_path(),
        "--alert-url",
        "nessunservizio://utente:segreto@host/percorso",
        data_dir=tmp_path,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "nessunservizio://" in result.stderr
    assert "segreto" not in result.stderr


def test_a_hung_crawl_is_killed_after_its_timeout(tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])  # never answers
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    registry = tmp_path / "sources.yaml"
    registry.write_text(
        "topic: {name: LgNet2, query: lgnet2}\noutlets:\n  - name: Muto\n    category: quotidiani\n"
        "    feeds: ['http://muto.test/feed/']\n",
        encoding="utf-8",
    )
    settings = ServiceSettings(
        data_dir=tmp_path,
        sources=registry,
        crawl_timeout=4,
        connect_to=(f"::127.0.0.1:{listener.getsockname()[1]}",),
        crawl_settings=("DOWNLOAD_TIMEOUT=60", "ROBOTSTXT_OBEY=false"),
    )
    started = time.monotonic()
    try:
        summary = service.crawl_step(settings)
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()
    assert summary == {"error": "crawl killed after 4s"}
    assert time.monotonic() - started < 20


def test_the_scheduler_runs_each_job_at_its_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry_file = tmp_path / "sources.yaml"
    registry_file.write_text(
        "topic: {name: LgNet2, query: lgnet2}\noutlets:\n"
        "  - {name: Agenzia, category: agenzie, interval: 30, feeds: ['https://a.test/feed/']}\n"
        "  - {name: Settimanale, category: periodici, interval: 120,"
        " feeds: ['https://s.test/feed/']}\n",
        encoding="utf-8",
    )
    calls: list[str] = []
    done = threading.Event()

    def fake_cycle(settings: ServiceSettings, outlets: Any = (), *, job: str = "") -> dict:
        calls.append(job)
        done.set()
        return {}

    monkeypatch.setattr(service, "cycle", fake_cycle)
    monkeypatch.setattr(service, "alerts_step", lambda *a, **k: calls.append("alerts") or {})
    monkeypatch.setattr(service, "snapshot_step", lambda *a, **k: calls.append("snapshot"))
    settings = ServiceSettings(data_dir=tmp_path, sources=registry_file)
    registry = load_sources(registry_file)

    def advance(traveller: Any, minutes: int, scheduler: Any) -> list[str]:
        before = len(calls)
        traveller.shift(timedelta(minutes=minutes))
        scheduler.wakeup()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if len(calls) > before and all(
                j.next_run_time > datetime.now(ROME) for j in scheduler.get_jobs()
            ):
                break
        return sorted(calls[before:])

    start = datetime(2023, 11, 20, 8, 1, tzinfo=ROME)
    with time_machine.travel(start, tick=False) as traveller:
        scheduler = make_scheduler(settings)
        scheduler.start(paused=True)
        configure(scheduler, settings, registry)
        scheduler.resume()
        assert advance(traveller, 0, scheduler) == ["crawl-every-120m", "crawl-every-30m"]
        assert advance(traveller, 30, scheduler) == ["alerts", "crawl-every-30m"]
        assert advance(traveller, 30, scheduler) == ["alerts", "crawl-every-30m"]
        assert advance(traveller, 60, scheduler) == [
            "alerts",
            "crawl-every-120m",
            "crawl-every-30m",
        ]
        # to 06:31 the next day: the daily snapshot (06:00) is due too, within its grace time
        assert advance(traveller, 20 * 60 + 30, scheduler) == [
            "alerts",
            "crawl-every-120m",
            "crawl-every-30m",
            "snapshot",
        ]
        planned = {job.id: job.next_run_time for job in scheduler.get_jobs()}
        scheduler.shutdown(wait=True)

        restarted = make_scheduler(settings)
        restarted.start(paused=True)
        configure(restarted, settings, registry)
        kept = {job.id: job.next_run_time for job in restarted.get_jobs()}
        restarted.shutdown(wait=False)
    assert kept == planned  # a restart keeps the plan: no burst of crawls at start


def test_a_snapshot_being_written_is_never_seen_half_done(tmp_path: Path) -> None:
    small, large = SQLiteStore(tmp_path / "a.sqlite"), SQLiteStore(tmp_path / "b.sqlite")
    from crawler.imports import import_csv

    rows = "url,outlet,category,audience,date,title,journalist,text\n"
    big = rows + "".join(
        f"https://x.test/voce-{i},Testata {i},social,10,2023-11-{1 + i % 28:02d},"
        f"Voce numero {i} sulla rete LgNet2,,{'testo ' * 200}\n"
        for i in range(400)
    )
    (tmp_path / "small.csv").write_text(
        rows + "https://x.test/uno,Uno,social,1,2023-11-01,Una voce LgNet2,,breve\n",
        encoding="utf-8",
    )
    (tmp_path / "big.csv").write_text(big, encoding="utf-8")
    registry = load_sources()
    import_csv(tmp_path / "small.csv", small, registry, now="2023-11-02T00:00:00+00:00")
    import_csv(tmp_path / "big.csv", large, registry, now="2023-11-03T00:00:00+00:00")
    latest = tmp_path / "out" / "snapshots" / "latest" / "rassegna.json"
    write_history(small, registry, tmp_path / "out")
    stop = threading.Event()
    seen: Counter[int] = Counter()
    errors: list[str] = []

    def read() -> None:
        while not stop.is_set():
            try:
                seen[json.loads(latest.read_bytes())["total"]["uscite"]] += 1
            except ValueError as exc:
                errors.append(str(exc))

    reader = threading.Thread(target=read)
    reader.start()
    for turn in range(30):
        write_history(large if turn % 2 else small, registry, tmp_path / "out")
    stop.set()
    reader.join()
    small.close()
    large.close()
    assert errors == []
    assert set(seen) <= {1, 400}
    assert sum(seen.values()) > 30


def test_status_shows_last_crawl_and_next_run(tmp_path: Path) -> None:
    with build_web() as web:
        run_once(web, tmp_path)
    settings = ServiceSettings(data_dir=tmp_path, sources=Path(sources_path()))
    scheduler = make_scheduler(settings)
    scheduler.start(paused=True)
    configure(scheduler, settings, load_sources(sources_path()))
    scheduler.shutdown(wait=False)
    status = json.loads(
        run_cli("status", "--json", "--sources", sources_path(), data_dir=tmp_path).stdout
    )
    rows = {row["outlet"]: row for row in status["outlets"]}
    conca = rows["Conca d'Oro Notizie"]
    assert conca["last_run"]["result"] == "errors"
    assert conca["last_run"]["last_error"] == "not an RSS or Atom feed"
    assert rows["Genova Sera"]["last_run"]["new_items"] >= 1
    assert rows["Genova Sera"]["next_run"]
    assert "Testata" in run_cli("status", "--sources", sources_path(), data_dir=tmp_path).stdout


def test_discovery_has_its_own_job_at_its_interval(tmp_path: Path) -> None:
    """The crawl jobs crawl named outlets and ask no discovery source (``--outlet``), so with a
    ``discovery`` section the service polls the sources in a job of their own."""
    registry = load_sources(sources_path())
    settings = ServiceSettings(data_dir=tmp_path, sources=Path(sources_path()))
    scheduler = make_scheduler(settings)
    scheduler.start(paused=True)
    configure(scheduler, settings, registry)
    assert "discovery" not in {job.id for job in scheduler.get_jobs()}
    with_discovery = replace(registry, discovery=DiscoverySettings(interval=45))
    configure(scheduler, settings, with_discovery)
    job = scheduler.get_job("discovery")
    scheduler.shutdown(wait=False)
    assert job is not None
    assert job.func is scheduled_discovery
    assert job.trigger.interval == timedelta(minutes=45)
