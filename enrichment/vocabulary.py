"""The words every layer shares: categories, Italian month names and numbers, the time zone.

One home at the bottom of the stack, so that the crawler, the store, the document and the
alerts print a category or a date the same way.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

CATEGORIES: dict[str, str] = {
    "agenzie": "Agenzie",
    "quotidiani": "Quotidiani e quotidiani online",
    "periodici": "Periodici e periodici online",
    "specializzati": "Specializzati",
    "radio_tv": "Radio, TV e canali online",
    "social": "Social Network",
    "portali": "Portali ed E-zine",
}
"""Category id -> label printed in the rassegna, in the rassegna's fixed order."""

ROME = ZoneInfo("Europe/Rome")
"""The press office's clock: days of the rassegna, schedules and times shown to people."""

MONTHS = (
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
)


def italian_number(value: int | None) -> str:
    """``2671802`` -> ``2.671.802``; None -> an empty string."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def italian_date(iso: str, *, year: bool = True) -> str:
    """``2023-11-29`` -> ``29 novembre 2023`` (``29 novembre`` without the year); a string
    that is not a date comes back as is."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text
