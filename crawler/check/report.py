"""The check's findings for people (Italian text for a terminal) and for scripts (JSON).

The JSON is contract 7's array, one object per outlet: ``outlet``, ``entry_points`` (``url``,
``kind``, ``status``, ``ok``, ``articles``) and ``suggestions`` (``url``, ``kind``,
``articles``). Besides those keys it gives what the terminal shows too: each entry point's
``reason``, each suggestion's ``found``, the outlet's ``cms`` and ``notes``, and ``closed``
for an outlet that is not checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from crawler.check.results import EntryCheck, OutletCheck, Suggestion


def as_json(checks: Sequence[OutletCheck]) -> list[dict[str, Any]]:
    return [_outlet_json(check) for check in checks]


def _outlet_json(check: OutletCheck) -> dict[str, Any]:
    record: dict[str, Any] = {
        "outlet": check.outlet,
        "entry_points": [
            {
                "url": e.url,
                "kind": e.kind,
                "status": e.status,
                "ok": e.ok,
                "articles": e.articles,
                "reason": e.reason,
            }
            for e in check.entry_points
        ],
        "suggestions": [
            {"url": s.url, "kind": s.kind, "articles": s.articles, "found": s.found}
            for s in check.suggestions
        ],
        "cms": check.cms,
        "notes": list(check.notes),
    }
    if check.closed:
        record["closed"] = check.closed
    return record


def write_text(checks: Sequence[OutletCheck], out: IO[str]) -> None:
    """Per outlet: ✓ or ✗ and why for each entry point, the notes, the suggestions; then a
    one-line summary."""
    for check in checks:
        if check.closed:
            out.write(f"{check.outlet} — chiusa dal {check.closed}: non controllata\n\n")
            continue
        out.write(check.outlet + (f"  [{check.cms}]" if check.cms else "") + "\n")
        if not check.entry_points:
            out.write("  nessun punto d'ingresso (entra solo con rassegna import)\n")
        for entry in check.entry_points:
            out.write(
                f"  {'✓' if entry.ok else '✗'} {entry.kind:<8} {entry.url} — {_state(entry)}\n"
            )
        for note in check.notes:
            out.write(f"  nota: {note}\n")
        if check.suggestions:
            out.write("  suggerimenti:\n")
        for suggestion in check.suggestions:
            out.write(f"    → {suggestion.kind:<8} {suggestion.url} — {_found(suggestion)}\n")
        out.write("\n")
    out.write(_summary(checks) + "\n")


def _articles(count: int | None) -> str:
    if count is None:
        return "articoli non contati"
    return "1 articolo" if count == 1 else f"{count} articoli"


def _state(entry: EntryCheck) -> str:
    if not entry.ok:
        return entry.reason or "non funziona"
    words = f"HTTP {entry.status}, {_articles(entry.articles)}"
    if entry.final_url:
        words += f", reindirizza a {entry.final_url}"
    return words


def _found(suggestion: Suggestion) -> str:
    return f"{_articles(suggestion.articles)} ({suggestion.found})"


def _summary(checks: Sequence[OutletCheck]) -> str:
    closed = sum(1 for c in checks if c.closed)
    entries = sum(len(c.entry_points) for c in checks)
    broken = sum(len(c.broken) for c in checks)
    suggestions = sum(len(c.suggestions) for c in checks)
    return (
        f"Riepilogo: {len(checks) - closed} testate controllate, {closed} chiuse; "
        f"{entries} punti d'ingresso, {broken} non funzionanti; {suggestions} suggerimenti."
    )
