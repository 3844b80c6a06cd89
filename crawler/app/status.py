"""``rassegna status``: what the service did and will do, per outlet.

Reads the crawl state (last crawl of each outlet, its result, errors and items) and the job
store (the next run of the job that covers each outlet), without starting anything, so it can
run beside a live ``rassegna run``. Each outlet gets ``flags``, in Italian, when its registry
entry needs a look (``rassegna sources check`` says what to change): every entry point failed
in the last crawl, or its feeds have listed nothing new for ``QUIET_DAYS``.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from crawler.app.service import jobs_url
from crawler.failures import utc_now
from crawler.state import CrawlState, OutletRun
from enrichment.registry import Outlet, Registry
from search.alerts.ledger import AlertLedger
from search.files.data_dir import DataDir

QUIET_DAYS = 14
"""Days without a new article from an outlet's feeds after which it is flagged: a local daily
publishes every day, so two weeks of silence means a moved or dead feed far more often than
an outlet with nothing to say."""


def flags(outlet: Outlet, run: OutletRun | None, now: str) -> list[str]:
    """Why ``outlet``'s registry entry needs a look, from its last crawl; none for an outlet
    that is closed, has no entry points or was never crawled."""
    if outlet.closed or run is None:
        return []
    found = []
    if run.entry_points and run.entry_points_failed >= run.entry_points:
        found.append("tutti i punti d'ingresso hanno fallito nell'ultimo crawl")
    if outlet.feeds and run.last_new:
        quiet = datetime.fromisoformat(now) - datetime.fromisoformat(run.last_new)
        if quiet >= timedelta(days=QUIET_DAYS):
            found.append(f"i feed non elencano nulla di nuovo da {quiet.days} giorni")
    return found


def _next_runs(data_dir: Path) -> dict[str, str | None]:
    """Outlet name -> next run of its crawl job, from the job store."""
    if not DataDir(data_dir).jobs.exists():
        return {}
    store = SQLAlchemyJobStore(url=jobs_url(data_dir))
    store.start(BackgroundScheduler(), "default")
    try:
        runs: dict[str, str | None] = {}
        for job in store.get_all_jobs():
            when = job.next_run_time.isoformat(timespec="minutes") if job.next_run_time else None
            for outlet in job.kwargs.get("outlets", []):
                runs[outlet] = when
        return runs
    finally:
        store.shutdown()


def collect_status(data_dir: Path, registry: Registry, *, now: str | None = None) -> dict[str, Any]:
    """Per outlet its last run, next run and ``flags``; ``now`` (ISO, UTC) for the quiet
    days, the current time by default."""
    now = now or utc_now()
    state_file = DataDir(data_dir).crawl_state
    runs = {}
    if state_file.exists():
        state = CrawlState(state_file)
        try:
            runs = state.outlet_runs()
        finally:
            state.close()
    next_runs = _next_runs(data_dir)
    outlets = []
    for outlet in registry.outlets:
        run = runs.get(outlet.name)
        outlets.append(
            {
                "outlet": outlet.name,
                "crawled": bool(outlet.feeds or outlet.sitemaps or outlet.pages or outlet.search),
                "last_run": asdict(run) if run else None,
                "next_run": next_runs.get(outlet.name),
                "flags": flags(outlet, run, now),
            }
        )
    alerts: dict[str, int] = {}
    if DataDir(data_dir).alerts.exists():
        ledger = AlertLedger(DataDir(data_dir).alerts)
        try:
            alerts = ledger.stats()
        finally:
            ledger.close()
    return {"outlets": outlets, "alerts": alerts}
