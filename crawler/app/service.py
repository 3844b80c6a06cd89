"""``rassegna run``: the long-running service — scheduled crawls, dated snapshots, alerts.

APScheduler 3 (4 is still a pre-release) keeps the jobs in ``<data-dir>/jobs.sqlite``, so a
restart keeps each job's next run instead of crawling everything again:

- one crawl job per crawl interval of the registry (``interval:`` of each outlet, in minutes),
  covering the outlets that share it: agencies often, weeklies rarely;
- with a ``discovery`` section in the registry, a job that asks the discovery sources at its
  ``interval`` (the crawl jobs, being crawls of named outlets, ask none);
- a daily snapshot job, and an alerts job that retries deliveries that failed;
- with ``edition_every`` (daily or weekly), a job that prepares a draft edition and tells the
  editors it waits for approval (``search.editions.schedule``); it never sends one.

A crawl runs in its own process (``rassegna crawl``) with a timeout: a crash or a hang of one
crawl cannot take the service down, and a hung crawl is killed. After every crawl the snapshot
is rewritten if the collection changed and new mentions are alerted. Jobs run one at a time
(one worker thread): each waits for the previous one, so two crawls never share the store.
SIGTERM or SIGINT stops the service after the running step (the running crawl is asked to
stop, as Scrapy does on SIGTERM: in-flight pages finish, nothing is lost).

Each job logs one structured line (JSON) on the ``crawler.app.service`` logger.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.app.crawl_process import run_crawl, stop_crawls
from crawler.failures import utc_now
from crawler.sources import load_sources
from enrichment.registry import Registry
from enrichment.vocabulary import ROME
from search.alerts import deliver
from search.alerts.channels import parse_channels
from search.alerts.feed import write_mentions_feed
from search.alerts.ledger import AlertLedger
from search.backends.choose import open_store
from search.desk.decisions import Desk, apply_all
from search.editions.schedule import edition_step as prepare_edition
from search.es.config import ESConfig
from search.files.data_dir import DataDir
from search.render.history import write_history

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceSettings:
    """Everything a job needs, picklable: the job store keeps it with each job."""

    data_dir: Path
    sources: Path | None = None
    connect_to: tuple[str, ...] = ()
    crawl_settings: tuple[str, ...] = ()
    """``--set NAME=VALUE`` overrides passed to every crawl."""
    alert_urls: tuple[str, ...] = ()
    digest: str | None = None
    crawl_timeout: float = 3600.0
    formats: tuple[str, ...] = ("json",)
    clippings: str = "full"
    alerts_every: int = 5
    """Minutes between deliveries of alerts that failed before."""
    snapshot_hour: int = 6
    alert_existing: bool = False
    """On the first run, alert the mentions already in the archive instead of recording them
    as known (``--alert-existing``)."""
    es_env: dict[str, str] = field(default_factory=dict)
    """``ELASTICSEARCH_*`` settings given as flags, passed on to the crawl processes."""
    edition_every: str | None = None
    """``daily`` or ``weekly``: prepare a draft edition on that schedule (None: never)."""

    def es(self) -> ESConfig | None:
        return ESConfig.from_env({**os.environ, **self.es_env})


# -- steps --------------------------------------------------------------------------------------


def crawl_step(
    settings: ServiceSettings, outlets: Sequence[str] = (), *, discovery_only: bool = False
) -> dict[str, Any]:
    """One crawl of ``outlets`` (all: none given), or a round of the discovery sources only,
    in a child process (``run_crawl``)."""
    arguments = ["--data-dir", str(settings.data_dir)]
    if discovery_only:
        arguments.append("--discovery-only")
    if settings.sources:
        arguments += ["--sources", str(settings.sources)]
    for rule in settings.connect_to:
        arguments += ["--connect-to", rule]
    for name in outlets:
        arguments += ["--outlet", name]
    for override in settings.crawl_settings:
        arguments += ["--set", override]
    return run_crawl(arguments, env=settings.es_env, timeout=settings.crawl_timeout)


def snapshot_step(settings: ServiceSettings, registry: Registry) -> Path | None:
    store = open_store(settings.data_dir, settings.es(), writing=False)
    try:
        return write_history(
            store,
            registry,
            settings.data_dir,
            settings.formats,
            clippings=settings.clippings,
            decisions=Desk(DataDir(settings.data_dir).desk).decisions(),
        )
    finally:
        store.close()


def alerts_step(
    settings: ServiceSettings, registry: Registry, now: str | None = None
) -> dict[str, int]:
    """Enqueue the mentions never alerted, deliver what is due, refresh the Atom feed."""
    now = now or utc_now()
    channels = parse_channels(settings.alert_urls)
    decisions = Desk(DataDir(settings.data_dir).desk).decisions()
    store = open_store(settings.data_dir, settings.es(), writing=False)
    try:
        found = [s for s in store.rassegna_items() if s.article.mentions > 0]
    finally:
        store.close()
    mentions = apply_all(found, decisions)
    mentions.sort(key=lambda s: (s.first_seen, s.article.url))
    write_mentions_feed(
        found,
        decisions,
        DataDir(settings.data_dir).feed,
        topic=registry.topic.name,
        default_updated=now,
    )
    ledger = AlertLedger(DataDir(settings.data_dir).alerts)
    try:
        queued = ledger.enqueue(mentions, channels, now=now)
        result = deliver(
            ledger,
            now=now,
            topic=registry.topic.name,
            digest=settings.digest,
            decisions=decisions,
        )
    finally:
        ledger.close()
    return {"new_alerts": queued, **result}


def known_before_first_run(settings: ServiceSettings, now: str | None = None) -> int:
    """On the first run (no alert ledger yet), record the mentions already in the archive as
    known, so an archive filled by imports or crawls is not alerted item by item; how many.

    The ledger is created here, before the first crawl, even with nothing to record: a first
    run killed mid-crawl leaves it behind, so what that crawl stored is alerted after the
    restart. Nothing happens with ``alert_existing``, or once the ledger exists. The items go
    through ``AlertLedger.enqueue`` with no channel: marked as seen, no alert queued.
    """
    if settings.alert_existing or DataDir(settings.data_dir).alerts.exists():
        return 0
    store = open_store(settings.data_dir, settings.es(), writing=False)
    try:
        mentions = [s for s in store.rassegna_items() if s.article.mentions > 0]
    finally:
        store.close()
    ledger = AlertLedger(DataDir(settings.data_dir).alerts)
    try:
        known = ledger.enqueue(mentions, [], now=now or utc_now())
    finally:
        ledger.close()
    if not known:
        return 0
    logger.info(
        "%d items already in the archive recorded as known, not alerted "
        "(rassegna run --alert-existing alerts them)",
        known,
    )
    return known


def cycle(
    settings: ServiceSettings,
    outlets: Sequence[str] = (),
    *,
    job: str = "once",
    discovery_only: bool = False,
) -> dict[str, Any]:
    """Crawl, then the snapshot if anything changed, then the alerts: one structured log line."""
    started = time.monotonic()
    registry = load_sources(settings.sources)
    known_before_first_run(settings)
    summary = crawl_step(settings, outlets, discovery_only=discovery_only)
    changed = any(summary.get(key, 0) for key in ("new_items", "updated_items", "queued_items"))
    record: dict[str, Any] = {
        "job": job,
        "outlets": 0 if discovery_only else len(outlets) or len(registry.outlets),
        "result": "error" if "error" in summary else "ok",
        **{
            key: summary.get(key, 0)
            for key in ("pages_fetched", "new_items", "new_mentions", "updated_items", "errors")
        },
    }
    if "error" in summary:
        record["error"] = summary["error"]
    if changed or not (DataDir(settings.data_dir).snapshots / "latest").exists():
        snapshot = snapshot_step(settings, registry)
        record["snapshot"] = str(snapshot) if snapshot else None
    record.update(alerts_step(settings, registry))
    record["seconds"] = round(time.monotonic() - started, 1)
    logger.info("%s", json.dumps(record, ensure_ascii=False))
    return record


def edition_step(settings: ServiceSettings, registry: Registry) -> dict[str, Any]:
    """Prepare the scheduled draft edition and tell the editors it waits; never send one."""
    store = open_store(settings.data_dir, settings.es(), writing=False)
    try:
        return prepare_edition(
            settings.data_dir,
            store,
            settings.edition_every or "daily",
            parse_channels(settings.alert_urls),
            topic=registry.topic.name,
            today=datetime.now(ROME).date(),
        )
    finally:
        store.close()


# -- scheduled jobs (module-level: the job store refers to them by name) ------------------------


def scheduled_crawl(settings: ServiceSettings, outlets: list[str], job: str) -> None:
    cycle(settings, outlets, job=job)


def scheduled_discovery(settings: ServiceSettings) -> None:
    cycle(settings, job="discovery", discovery_only=True)


def scheduled_snapshot(settings: ServiceSettings) -> None:
    started = time.monotonic()
    path = snapshot_step(settings, load_sources(settings.sources))
    logger.info(
        "%s",
        json.dumps(
            {
                "job": "snapshot",
                "result": "ok",
                "snapshot": str(path),
                "seconds": round(time.monotonic() - started, 1),
            }
        ),
    )


def scheduled_alerts(settings: ServiceSettings) -> None:
    started = time.monotonic()
    result = alerts_step(settings, load_sources(settings.sources))
    logger.info(
        "%s",
        json.dumps(
            {
                "job": "alerts",
                "result": "ok",
                **result,
                "seconds": round(time.monotonic() - started, 1),
            }
        ),
    )


def scheduled_edition(settings: ServiceSettings) -> None:
    started = time.monotonic()
    result = edition_step(settings, load_sources(settings.sources))
    seconds = round(time.monotonic() - started, 1)
    record = {"job": f"edition-{settings.edition_every}", "result": "ok", **result}
    logger.info("%s", json.dumps({**record, "seconds": seconds}))


EDITION_TRIGGERS: dict[str, dict[str, Any]] = {
    "daily": {"hour": 7},
    "weekly": {"day_of_week": "mon", "hour": 7},
}
"""When ``rassegna run`` prepares a draft edition, in Rome time (after the daily snapshot)."""


def crawl_groups(registry: Registry) -> dict[int, list[str]]:
    """Outlets with something to crawl, by their crawl interval in minutes."""
    groups: dict[int, list[str]] = {}
    for outlet in registry.outlets:
        if outlet.feeds or outlet.sitemaps or outlet.pages or outlet.search:
            groups.setdefault(outlet.interval, []).append(outlet.name)
    return dict(sorted(groups.items()))


def jobs_url(data_dir: Path) -> str:
    return f"sqlite:///{DataDir(data_dir).jobs.resolve()}"


def configure(scheduler: BaseScheduler, settings: ServiceSettings, registry: Registry) -> None:
    """Add or update the jobs; a job whose plan did not change keeps its next run time."""
    wanted: dict[str, tuple[Any, Any, dict[str, Any]]] = {
        f"crawl-every-{minutes}m": (
            scheduled_crawl,
            IntervalTrigger(minutes=minutes, timezone=ROME),
            {"settings": settings, "outlets": names, "job": f"crawl-every-{minutes}m"},
        )
        for minutes, names in crawl_groups(registry).items()
    }
    wanted["snapshot-daily"] = (
        scheduled_snapshot,
        CronTrigger(hour=settings.snapshot_hour, timezone=ROME),
        {"settings": settings},
    )
    wanted["alerts"] = (
        scheduled_alerts,
        IntervalTrigger(minutes=settings.alerts_every, timezone=ROME),
        {"settings": settings},
    )
    if registry.discovery is not None:  # the crawl jobs (--outlet) ask no discovery source
        wanted["discovery"] = (
            scheduled_discovery,
            IntervalTrigger(minutes=registry.discovery.interval, timezone=ROME),
            {"settings": settings},
        )
    if settings.edition_every in EDITION_TRIGGERS:
        wanted[f"edition-{settings.edition_every}"] = (
            scheduled_edition,
            CronTrigger(**EDITION_TRIGGERS[settings.edition_every], timezone=ROME),
            {"settings": settings},
        )
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            job.remove()
    for job_id, (func, trigger, kwargs) in wanted.items():
        current = scheduler.get_job(job_id)
        if (
            current is not None
            and str(current.trigger) == str(trigger)
            and (current.kwargs == kwargs)
        ):
            continue
        first = datetime.now(ROME) if job_id.startswith(("crawl-", "discovery")) else None
        scheduler.add_job(
            func,
            trigger,
            id=job_id,
            kwargs=kwargs,
            replace_existing=True,
            **({"next_run_time": first} if first else {}),
        )


def make_scheduler(settings: ServiceSettings) -> BackgroundScheduler:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=jobs_url(settings.data_dir))},
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone=ROME,
    )


def start_scheduler(settings: ServiceSettings, registry: Registry) -> BackgroundScheduler:
    """A running scheduler with the registry's jobs (kept from the job store when unchanged)."""
    scheduler = make_scheduler(settings)
    scheduler.start(paused=True)
    configure(scheduler, settings, registry)
    scheduler.resume()
    logger.info(
        "%s",
        json.dumps(
            {
                "event": "started",
                "jobs": [
                    {
                        "id": j.id,
                        "next_run": j.next_run_time.isoformat() if j.next_run_time else None,
                    }
                    for j in scheduler.get_jobs()
                ],
            }
        ),
    )
    return scheduler


def run_service(settings: ServiceSettings) -> None:
    """Run until SIGTERM or SIGINT; refuses bad alert channels before anything starts."""
    parse_channels(settings.alert_urls)
    registry = load_sources(settings.sources)
    stopping = threading.Event()

    def stop(signum: int, _frame: object) -> None:
        logger.info("%s", json.dumps({"event": "stopping", "signal": signal.Signals(signum).name}))
        stopping.set()
        stop_crawls()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    known_before_first_run(settings)
    scheduler = start_scheduler(settings, registry)
    stopping.wait()
    scheduler.shutdown(wait=True)
    logger.info("%s", json.dumps({"event": "stopped"}))
