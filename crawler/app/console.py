"""What the command line shows a person: crawl progress, summaries, search results, records."""

from __future__ import annotations

import json
import time
from typing import IO, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crawler.context import ProgressCallback
from crawler.crawl import CrawlSummary
from search.store import StoredItem

MAX_FAILURES_SHOWN = 20


def progress_printer(stream: IO[str], *, every: float = 30.0) -> ProgressCallback:
    """Live counters on a terminal; on a pipe or log file, one line every ``every`` seconds."""
    console = Console(file=stream, stderr=True)
    last = [0.0]

    def show(stats: dict[str, Any], done: bool) -> None:
        line = (
            f"pages {stats.get('downloader/response_count', 0)} · "
            f"articles {stats.get('extract/articles', 0)} · "
            f"new {stats.get('store/new', 0)} · "
            f"mentions {stats.get('store/new_mentions', 0)} · "
            f"queued {stats.get('scheduler/enqueued', 0) - stats.get('scheduler/dequeued', 0)}"
        )
        if console.is_terminal:
            stream.write("\r\x1b[2K" + line + ("\n" if done else ""))
            stream.flush()
        elif done or time.monotonic() - last[0] >= every:
            last[0] = time.monotonic()
            stream.write(line + "\n")
            stream.flush()

    return show


def print_summary(summary: CrawlSummary, stream: IO[str]) -> None:
    lines = [
        f"Crawl {summary.finish_reason} in {summary.seconds:.1f}s: {summary.outlets} outlets, "
        f"{summary.entry_points} entry points ({summary.not_modified} unchanged).",
        f"Pages fetched: {summary.pages_fetched}; articles read: {summary.articles}.",
        f"New items: {summary.new_items} (new topic mentions: {summary.new_mentions}); "
        f"updated: {summary.updated_items}."
        + (
            f" {summary.queued_items} items wait in the Elasticsearch outbox (cluster unreachable)."
            if summary.queued_items
            else ""
        ),
        f"Errors: {summary.errors}; pages forbidden by robots.txt: {summary.robots_forbidden}.",
    ]
    if summary.walled:
        walls = ", ".join(f"{outlet} {n}" for outlet, n in sorted(summary.walled.items()))
        lines.append(
            f"Walled pages (consent, pay or login; kept with their feed summary): {walls}."
        )
    for failure in summary.failures[:MAX_FAILURES_SHOWN]:
        kind = "" if failure.counted else " (warning)"
        lines.append(f"  - {failure.url}: {failure.reason}{kind}")
    if len(summary.failures) > MAX_FAILURES_SHOWN:
        lines.append(f"  ... and {len(summary.failures) - MAX_FAILURES_SHOWN} more (use --json)")
    stream.write("\n".join(lines) + "\n")


def print_results(
    results: list[StoredItem],
    query: str,
    stream: IO[str],
    *,
    as_json: bool,
    also: dict[str, tuple[str, ...]] | None = None,
) -> None:
    """``also``: with --collapse, the other outlets of each shown item's story."""
    also = also or {}
    if as_json:
        for stored in results:
            a = stored.article
            stream.write(
                json.dumps(
                    {
                        "url": a.url,
                        "outlet": a.outlet,
                        "category": a.category,
                        "title": a.title,
                        "date": a.date,
                        "journalist": a.journalist,
                        "city": a.city,
                        "language": a.language,
                        "mentions": a.mentions,
                        "source": a.source,
                        "first_seen": stored.first_seen,
                        **({"also_on": list(also[a.url])} if a.url in also else {}),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        return
    console = Console(file=stream, width=max(100, Console(file=stream).width))
    if not results:
        console.print(f"No items match {query!r}." if query else "No items match.")
        return
    table = Table(show_lines=False, header_style="bold")
    table.add_column("Data", no_wrap=True)
    table.add_column("Testata")
    table.add_column("Titolo", overflow="fold")  # the URL must stay whole to be usable
    table.add_column("Città")
    table.add_column("Menzioni", justify="right")
    for stored in results:
        a = stored.article
        copies = also.get(a.url)
        more = f"\n[italic]anche su: {escape(', '.join(copies))}[/italic]" if copies else ""
        table.add_row(
            a.date or "?",
            escape(a.outlet),
            f"{escape(a.title)}\n[dim]{escape(a.url)}[/dim]{more}",
            escape(a.city or ""),
            str(a.mentions),
        )
    console.print(table)


def print_record(record: dict[str, Any], stream: IO[str]) -> None:
    order = [
        "title",
        "date",
        "date_raw",
        "date_source",
        "journalist",
        "author_raw",
        "outlet",
        "category",
        "city",
        "language",
        "mentions",
        "snippets",
        "tags",
        "url",
        "canonical_url",
        "is_article",
        "in_rassegna",
    ]
    for key in order:
        stream.write(f"{key:>13}: {record.get(key)}\n")
    text = record.get("text") or ""
    stream.write(f"{'text':>13}: {text[:600]}{'…' if len(text) > 600 else ''}\n")
