"""Numbers and dates as an Italian document prints them: 2.671.802, "18 ottobre 2023"."""

from __future__ import annotations

from datetime import date

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
