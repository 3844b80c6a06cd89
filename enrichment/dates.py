"""Publication dates as Italian pages print them, and as their metadata and URLs state them.

htmldate (inside trafilatura) knows no Italian month names, and many local sites show the
date only as "giovedì 26 ottobre 2023" or an agency dateline "(ANSA) - TORINO, 18 OTT -".
A small month table covers these patterns quickly; dateparser, slow to load and to run, is
only asked about short date-like strings the table does not cover.

Dates are returned as ``(iso, raw)``: the ISO day and the substring it was read from, so a
wrong parse can be traced to the page.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from urllib.parse import urlsplit

from enrichment.vocabulary import MONTHS as ITALIAN_MONTHS

MONTHS: dict[str, int] = {
    **{name: number for number, name in enumerate(ITALIAN_MONTHS, 1)},
    "gen": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "mag": 5,
    "giu": 6,
    "lug": 7,
    "ago": 8,
    "set": 9,
    "sett": 9,
    "ott": 10,
    "nov": 11,
    "dic": 12,
}
"""Italian month names and the abbreviations agencies and CMS templates use."""

GERMAN_MONTHS: dict[str, int] = {
    name: number
    for number, name in enumerate(
        (
            "januar",
            "februar",
            "märz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "dezember",
        ),
        1,
    )
}
"""German month names, for the South Tyrolean outlets' "19. Oktober 2023"."""

_EARLIEST = dt.date(1995, 1, 1)
"""No Italian news site published online before this; older numbers are not dates."""
_CLOCK_SKEW = dt.timedelta(days=1)
"""A page dated just after midnight in Italy is "tomorrow" for a crawler running on UTC."""

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = (
    r"(?:luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica"
    r"|lun|mar|mer|gio|ven|sab|dom)\.?"
)
_TIME = r"(?:,?\s*(?:-\s*)?(?:ore\s+|alle\s+(?:ore\s+)?)?[012]?\d[:.][0-5]\d(?![\d/.:-]))?"

_TEXTUAL = re.compile(
    rf"(?:\b{_WEEKDAY},?\s+)?\b(?P<day>[0-3]?\d)(?:°|º)?\s+(?P<month>{_MONTH})\b\.?,?\s+"
    rf"(?P<year>(?:19|20)\d\d)(?!\d){_TIME}",
    re.IGNORECASE,
)
_GERMAN_WEEKDAY = r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)"
_GERMAN_TEXTUAL = re.compile(
    rf"(?:\b{_GERMAN_WEEKDAY},?\s+)?\b(?P<day>[0-3]?\d)\.\s*"
    rf"(?P<month>{'|'.join(GERMAN_MONTHS)})\s+(?P<year>(?:19|20)\d\d)(?!\d)"
    r"(?:,?\s*(?:um\s+)?[012]?\d[:.][0-5]\d(?:\s*uhr)?)?",
    re.IGNORECASE,
)
"""A German date: the day always takes a full stop ("Donnerstag, 19. Oktober 2023, 09:30"),
which no Italian text does, so "mai" (never) or "august" cannot pass for a month here."""
DATE_LABELS = (
    "pubblicato",
    "aggiornato",
    "published",
    "updated",
    "posted",
    "veröffentlicht",
    "aktualisiert",
)
"""Words a template prints before a date ("Pubblicato il", "Aktualisiert am"): next to a
byline they are never part of the name."""
RELATIVE_DATE = re.compile(
    r"(?:\b(?:\d+|una?|un['’]|qualche|pochi)\s*['’]?\s*"
    r"(?:second[oi]|minut[oi]|or[ae]|giorn[oi]|settiman[ae]|mes[ei]|ann[oi])\s+fa"
    r"|\b(?:l['’]altro\s*)?ieri|\boggi|\bstamattina|\bstasera|\bpoco\s+fa"
    r"|\bvor\s+(?:\d+|einer?|wenigen)\s+(?:sekunden|minuten?|stunden?|tag(?:en)?|wochen?)"
    r"|\bgestern|\bheute)\b",
    re.IGNORECASE,
)
"""A relative date ("3 giorni fa", "un'ora fa", "ieri", "vor 2 Stunden"): no day can be
read from it without the moment of the visit, but templates print it beside the byline,
where it must not be taken for part of the name."""
_NUMERIC = re.compile(
    rf"(?<![\d/.-])(?P<day>[0-3]?\d)(?P<sep>[/.-])(?P<month>[01]?\d)(?P=sep)"
    rf"(?P<year>(?:19|20)\d\d|(?<=/)\d\d)(?![\d/.-]){_TIME}"
)
_ISO = re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\d])")
_DATELINE = re.compile(
    rf"(?<=[^\W\d_]),\s*(?P<raw>(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH})\b\.?)"
    r"\s*(?:\([^()]{1,40}\)\s*)?[-–—]",
    re.IGNORECASE,
)
"""An agency dateline: place, day and abbreviated month, then a dash ("TORINO, 18 OTT -").

Matching starts at the comma after the place name, so long texts are scanned in linear time.
"""

_DATEPARSER_MAX_LEN = 80
_URL_DAY = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<sep>[/_-])(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?!\d)"
)
_URL_YEAR = re.compile(r"/(?P<year>(?:19|20)\d\d)(?:/|-[01]\d-)")


def parse_italian_date(
    text: str, *, year_hint: int | None = None, today: dt.date | None = None
) -> tuple[str, str] | None:
    """Return the first plausible date printed in ``text`` as ``(iso, raw)``.

    Recognised: "27 Ottobre 2023", "giovedì 26 ottobre 2023", "1° dicembre 2023",
    "Donnerstag, 19. Oktober 2023",
    "29-11-2023 14:00", "29/11/2023", "19.10.2023", "2023-11-29", and agency datelines
    ("TORINO, 18 OTT -", "Milano, 25 ott. (askanews) –") whose year comes from ``year_hint``
    or, without one, is the latest such day not after ``today``. Dates before 1995 or after
    ``today`` (plus a day of time-zone slack) are not publication dates and are skipped.
    Short strings the patterns miss are handed to dateparser.
    """
    if not text:
        return None
    today = today or dt.date.today()
    found: list[tuple[int, str, str]] = []
    for pattern in (_TEXTUAL, _GERMAN_TEXTUAL, _NUMERIC, _ISO):
        for match in pattern.finditer(text):
            iso = _checked(match["year"], match["month"], match["day"], today)
            if iso is not None:
                found.append((match.start(), iso, match.group(0).strip(" ,-")))
                break
    for match in _DATELINE.finditer(text):
        iso = _yearless(int(match["day"]), MONTHS[match["month"].lower()], year_hint, today)
        if iso is not None:
            found.append((match.start("raw"), iso, match["raw"]))
            break
    if found:
        _, iso, raw = min(found)
        return iso, raw
    if len(text) <= _DATEPARSER_MAX_LEN:
        return _dateparser(text.strip(), today)
    return None


def normalise_machine_date(value: str, *, today: dt.date | None = None) -> str | None:
    """Return the ISO day of a date meant for machines (meta tags, JSON-LD, ``datetime``).

    The day is kept as the publisher wrote it: "2023-11-21T00:30:00+01:00" is the 21st even
    though it was still the 20th in UTC, because the rassegna prints the publisher's date.
    """
    value = value.strip()
    if not value:
        return None
    today = today or dt.date.today()
    match = _ISO.match(value) or re.match(
        r"(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?:T|\b)", value
    )
    if match:
        return _checked(match["year"], match["month"], match["day"], today)
    try:
        parsed = email.utils.parsedate_tz(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed is not None:
        year, month, day = parsed[:3]
        return _checked(str(year), str(month), str(day), today)
    found = parse_italian_date(value, today=today)
    return found[0] if found else None


def date_from_url(url: str, *, today: dt.date | None = None) -> tuple[str, str] | None:
    """Return the full date in a URL path ("/2023/10/17/", "/2023-11-24/") as ``(iso, raw)``."""
    path = urlsplit(url).path
    for match in _URL_DAY.finditer(path):
        iso = _checked(match["year"], match["month"], match["day"], today or dt.date.today())
        if iso is not None:
            return iso, match.group(0)
    return None


def year_from_url(url: str) -> int | None:
    """Return the year of a dated URL path ("/2023/10/", "/2023-11-24/"), if any."""
    match = _URL_YEAR.search(urlsplit(url).path)
    return int(match["year"]) if match else None


def _checked(year: str, month: str, day: str, today: dt.date) -> str | None:
    """Return the ISO day if the parts make a real date in the plausible range."""
    year_number = int(year)
    if year_number < 100:
        year_number += 2000
    try:
        month_number = int(month) if month.isdigit() else _month_number(month)
        date = dt.date(year_number, month_number, int(day))
    except (KeyError, ValueError):
        return None
    if not _EARLIEST <= date <= today + _CLOCK_SKEW:
        return None
    return date.isoformat()


def _month_number(name: str) -> int:
    """Return the number of an Italian or German month name (``KeyError`` if neither)."""
    key = name.lower()
    return MONTHS[key] if key in MONTHS else GERMAN_MONTHS[key]


def _yearless(day: int, month: int, year_hint: int | None, today: dt.date) -> str | None:
    """Give a dateline's day and month a year: the hint's, else the latest one not after today."""
    if year_hint is not None:
        return _checked(str(year_hint), str(month), str(day), today)
    for year in range(today.year, today.year - 8, -1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date <= today:
            return date.isoformat()
    return None


def _dateparser(text: str, today: dt.date) -> tuple[str, str] | None:
    """Ask dateparser about a short string; absolute dates with day, month and year only."""
    if not text or not any(char.isdigit() for char in text):
        return None
    import dateparser  # slow to import; needed only for unusual formats

    parsed = dateparser.parse(
        text,
        languages=["it"],
        settings={
            "DATE_ORDER": "DMY",
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["absolute-time"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if parsed is None:
        return None
    date = parsed.date()
    if not _EARLIEST <= date <= today + _CLOCK_SKEW:
        return None
    return date.isoformat(), text
