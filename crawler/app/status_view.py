"""``rassegna status`` as a person reads it: the totals, then a table of outlets.

A registry of thousands of outlets would make a table of tens of thousands of lines, seconds
to draw and useless to read; so the default table lists only the outlets that need a look
(``status.needs_look``), with a line saying how to see the rest. Kept apart from
``crawler.app.console`` so the command imports Rich only, not the crawler behind the console.
"""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crawler.app.status import needs_look, totals
from enrichment.vocabulary import ROME

COLUMNS = ("Testata", "Ultimo crawl", "Esito", "Articoli", "Nuovi", "Errori", "Prossimo")


def print_status(status: dict[str, Any], stream: IO[str], *, full: bool) -> None:
    """The totals and the table: of every outlet of ``status`` when ``full``, else only of
    those that need a look."""
    console = Console(file=stream, width=max(120, Console(file=stream).width))
    counts = totals(status)
    console.print(
        f"Testate {counts['outlets']} · in crawl {counts['crawled']} · ok {counts['ok']} · "
        f"con errori {counts['errors']} · segnalate {counts['flagged']} · "
        f"mai visitate {counts['never_crawled']} · "
        f"prossimo crawl {_local(counts['next_run']) or '-'}",
        highlight=False,
    )
    rows = status["outlets"] if full else [row for row in status["outlets"] if needs_look(row)]
    if rows:
        console.print(_table(rows))
    if not full:
        console.print(
            f"{len(rows)} testate da controllare (segnalate o con errori nell'ultimo crawl) "
            f"su {counts['outlets']}. Tutte: rassegna status --all; "
            "una: rassegna status --outlet NOME.",
            highlight=False,
        )
    if status["alerts"]:
        console.print("Avvisi: " + ", ".join(f"{k} {v}" for k, v in status["alerts"].items()))


def _table(rows: list[dict[str, Any]]) -> Table:
    table = Table(header_style="bold")
    for column in COLUMNS:
        table.add_column(column, overflow="fold")
    for row in rows:
        run = row["last_run"] or {}
        if not row["crawled"]:
            outcome = "solo import"
        else:
            outcome = escape(run.get("result", "mai"))
            if run.get("last_error"):
                outcome += f"\n[dim]{escape(run['last_error'])}[/dim]"
        for flag in row["flags"]:
            outcome += f"\n[yellow]⚠ {escape(flag)}[/yellow]"
        table.add_row(
            escape(row["outlet"]),
            _local(run.get("finished")),
            outcome,
            str(run.get("articles", "")),
            str(run.get("new_items", "")),
            str(run.get("errors", "")),
            _local(row["next_run"]),
        )
    return table


def _local(stamp: str | None) -> str:
    """An ISO timestamp as Italian local time, to the minute."""
    if not stamp:
        return ""
    return datetime.fromisoformat(stamp).astimezone(ROME).strftime("%Y-%m-%d %H:%M")
