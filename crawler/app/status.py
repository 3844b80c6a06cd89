"""``rassegna status``: what the service did and will do, per outlet.

Reads the crawl state (last crawl of each outlet, its result, errors and items) and the job
store (the next run of the job that covers each outlet), without starting anything, so it can
run beside a live ``rassegna run``.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from crawler.app.service import jobs_url
from crawler.state import CrawlState
from enrichment.registry import Registry
from search.alerts.ledger import AlertLedger
from search.files.data_dir import DataDir


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


def collect_status(data_dir: Path, registry: Registry) -> dict[str, Any]:
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
