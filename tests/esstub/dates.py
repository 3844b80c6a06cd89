"""Dates as Elasticsearch reads them: epoch milliseconds inside, strings outside.

Date fields compare as instants, not as strings, so ``2023-12-14`` and
``2023-12-14T00:00:00Z`` are the same value; range bounds that ES rounds up (``gt``, ``lte``)
fill missing time components with the end of the period, as ES documents. The formats are
those of the backend's mapping (``strict_date`` and the default
``strict_date_optional_time||epoch_millis``); date math and other formats are refused.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from tests.esstub.errors import unsupported

DEFAULT_FORMAT = "strict_date_optional_time||epoch_millis"
_ISO = re.compile(
    r"(?P<year>[+-]?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})"
    r"(?:[.,](?P<fraction>\d{1,9}))?)?)?(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?"
)
_DATE_ONLY = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})?")


def parse(value: object, fmt: str | None = None, *, round_up: bool = False) -> int:
    """Epoch millis of a date value; ValueError when no format of ``fmt`` reads it."""
    if isinstance(value, str) and (value.startswith("now") or "||" in value):
        raise unsupported(f"date math [{value}]")
    for name in (fmt or DEFAULT_FORMAT).split("||"):
        millis = _parse_one(value, name.strip(), round_up=round_up)
        if millis is not None:
            return millis
    raise ValueError(f"failed to parse date field [{value}] with format [{fmt or DEFAULT_FORMAT}]")


def _parse_one(value: object, name: str, *, round_up: bool) -> int | None:
    if name == "epoch_millis":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None
        try:
            return int(float(value))
        except ValueError:
            return None
    if name == "strict_date_optional_time":
        pattern = _ISO
    elif name == "strict_date":
        pattern = _DATE_ONLY
    else:
        raise unsupported(f"date format [{name}]")
    match = pattern.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return _millis(match.groupdict(), round_up=round_up)
    except ValueError:
        return None


def _millis(fields: dict[str, str | None], *, round_up: bool) -> int:
    """Missing components: month and day 01; time 00:00:00.000, or 23:59:59.999 rounding up."""

    def part(name: str, low: int, high: int) -> int:
        text = fields.get(name)
        if text is not None:
            return int(text)
        return high if round_up else low

    fraction = fields.get("fraction")
    millis = int(fraction.ljust(3, "0")[:3]) if fraction is not None else (999 if round_up else 0)
    moment = datetime(
        int(fields["year"] or 0),
        part("month", 1, 1),
        part("day", 1, 1),
        part("hour", 0, 23),
        part("minute", 0, 59),
        part("second", 0, 59),
        millis * 1000,
        tzinfo=_zone(fields.get("tz")),
    )
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _zone(name: str | None) -> tzinfo:
    offset = _OFFSET.fullmatch(name or "")
    if offset is None:
        return UTC
    sign = -1 if offset.group(1) == "-" else 1
    delta = timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0))
    return timezone(sign * delta)
