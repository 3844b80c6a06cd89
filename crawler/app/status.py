"""``rassegna status``: what the service did and will do, per outlet.

Reads the crawl state (last crawl of each outlet, its result, errors and items) and the job
store (the next run of the job that covers each outlet), without starting anything, so it can
run beside a live ``rassegna run``. Each outlet gets ``flags``, in Italian, when its registry
entry needs a look (``rassegna sources check`` says what to change): every entry point failed
in the last crawl, or its feeds have listed nothing new for ``QUIET_DAYS``. ``totals`` and
``needs_look`` condense the per-outlet rows for the compact view of a registry of thousands.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from crawler.failures import utc_now
from crawler.state import CrawlState, OutletRun, StateStore
from enrichment.registry import Outlet, Registry
from enrichment.vocabulary import ROME
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


def _next_runs(data_dir: Path, registry: Registry) -> dict[str, str | None]:
    """Outlet name -> next run of its crawl job, from the job store.

    Read with plain SQL from APScheduler's table rather than through its job store: loading
    the jobs unpickles them, which imports APScheduler, SQLAlchemy and the whole service, half
    a second before the first line of ``rassegna status``. The service names each crawl job
    after the interval of the outlets it crawls (``crawler.app.service.configure``), so an
    outlet's job is the one of its interval; a paused job has no next run.
    """
    path = DataDir(data_dir).jobs
    if not path.exists():
        return {}
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT id, next_run_time FROM apscheduler_jobs").fetchall()
    except sqlite3.OperationalError:  # a job store the service has not written yet
        return {}
    finally:
        db.close()
    when = {
        job: datetime.fromtimestamp(stamp, ROME).isoformat(timespec="minutes")
        for job, stamp in rows
        if stamp is not None
    }
    return {
        outlet.name: when.get(f"crawl-every-{outlet.interval}m")
        for outlet in registry.outlets
        if is_crawled(outlet)
    }


def is_crawled(outlet: Outlet) -> bool:
    """Whether the crawler visits ``outlet`` (it has an entry point), not only imports."""
    return bool(outlet.feeds or outlet.sitemaps or outlet.pages or outlet.search)


def collect_status(
    data_dir: Path,
    registry: Registry,
    *,
    now: str | None = None,
    shared_state: StateStore | None = None,
) -> dict[str, Any]:
    """Per outlet its last run, next run and ``flags``; ``now`` (ISO, UTC) for the quiet
    days, the current time by default. The last runs come from ``shared_state`` when the
    crawls keep their state in Redis (``--shared-state``), else from the data dir's."""
    now = now or utc_now()
    state_file = DataDir(data_dir).crawl_state
    runs = {}
    state: StateStore | None = shared_state
    if state is None and state_file.exists():
        state = CrawlState(state_file)
    if state is not None:
        try:
            runs = state.outlet_runs()
        finally:
            state.close()
    next_runs = _next_runs(data_dir, registry)
    outlets = []
    for outlet in registry.outlets:
        run = runs.get(outlet.name)
        outlets.append(
            {
                "outlet": outlet.name,
                "crawled": is_crawled(outlet),
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


def needs_look(row: dict[str, Any]) -> bool:
    """Whether a row of ``collect_status`` is one to look at: its outlet is flagged, or its
    last crawl did not end ``ok`` (pages failed, or the crawl stopped early)."""
    run = row["last_run"]
    return bool(row["flags"]) or (run is not None and run["result"] != "ok")


def totals(status: dict[str, Any]) -> dict[str, Any]:
    """The counts of the compact view: outlets, those crawled (with entry points), ``ok`` and
    with errors in their last crawl, flagged, crawled ones never crawled yet, and the earliest
    next run (ISO, or None without a job store)."""
    rows = status["outlets"]
    crawled = [row for row in rows if row["crawled"]]
    results = [row["last_run"]["result"] for row in crawled if row["last_run"]]
    upcoming = [row["next_run"] for row in rows if row["next_run"]]
    return {
        "outlets": len(rows),
        "crawled": len(crawled),
        "ok": results.count("ok"),
        "errors": len(results) - results.count("ok"),
        "flagged": sum(1 for row in rows if row["flags"]),
        "never_crawled": len(crawled) - len(results),
        "next_run": min(upcoming, key=datetime.fromisoformat) if upcoming else None,
    }
