"""Dates as Elasticsearch reads and writes them: epoch milliseconds inside, strings outside.

Date fields compare as instants, not as strings, so ``2023-12-14`` and
``2023-12-14T00:00:00Z`` are the same value; range bounds that ES rounds up (``gt``, ``lte``)
fill missing time components with the end of the period, as ES documents.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_FORMAT = "strict_date_optional_time||epoch_millis"
_ISO = re.compile(
    r"(?P<year>[+-]?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})"
    r"(?:[.,](?P<fraction>\d{1,9}))?)?)?(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?"
)
_DATE_ONLY = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
_ISO_NAMES = {
    "strict_date_optional_time",
    "date_optional_time",
    "strict_date_optional_time_nanos",
    "strict_date_time",
    "date_time",
    "strict_date_hour_minute_second",
    "iso8601",
}
_DATE_NAMES = {"strict_date", "date", "yyyy-MM-dd"}
_JAVA_TOKENS = {
    "yyyy": (r"(?P<year>\d{4})", "%Y"),
    "uuuu": (r"(?P<year>\d{4})", "%Y"),
    "MM": (r"(?P<month>\d{2})", "%m"),
    "dd": (r"(?P<day>\d{2})", "%d"),
    "HH": (r"(?P<hour>\d{2})", "%H"),
    "mm": (r"(?P<minute>\d{2})", "%M"),
    "ss": (r"(?P<second>\d{2})", "%S"),
    "SSS": (r"(?P<fraction>\d{3})", "{millis}"),
    "XXX": (r"(?P<tz>Z|[+-]\d{2}:\d{2})", "{offset}"),
    "Z": (r"(?P<tz>[+-]\d{4})", "{offset}"),
}
_JAVA_TOKEN = re.compile(r"'([^']*)'|yyyy|uuuu|MM|dd|HH|mm|ss|SSS|XXX|Z")
_MATH = re.compile(r"([+-])(\d+)([yMwdhHms])|/([yMwdhHms])")


def parse(
    value: object,
    fmt: str | None = None,
    *,
    round_up: bool = False,
    zone: str | None = None,
    now_ms: int | None = None,
) -> int:
    """Epoch millis of a date value, date math (``now-1d/d``, ``2023-12-14||+1M``) included.

    Raises ValueError when no format of ``fmt`` reads the value, as ES rejects it.
    """
    if isinstance(value, str) and (value.startswith("now") or "||" in value):
        return _date_math(value, fmt, round_up=round_up, zone=zone, now_ms=now_ms)
    formats = (fmt or DEFAULT_FORMAT).split("||")
    for name in formats:
        millis = _parse_one(value, name.strip(), round_up=round_up, zone=zone)
        if millis is not None:
            return millis
    raise ValueError(f"failed to parse date field [{value}] with format [{fmt or DEFAULT_FORMAT}]")


def format_millis(millis: int, fmt: str | None = None) -> str:
    """The string ES shows for a date (``key_as_string``, ``value_as_string``)."""
    name = (fmt or DEFAULT_FORMAT).split("||")[0].strip()
    moment = datetime.fromtimestamp(millis / 1000, UTC)
    if name in _DATE_NAMES:
        return moment.strftime("%Y-%m-%d")
    if name == "epoch_millis":
        return str(millis)
    if name == "epoch_second":
        return str(millis // 1000)
    if name in _ISO_NAMES:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"
    pattern = _JAVA_TOKEN.sub(lambda m: _strftime_token(m), name)
    return moment.strftime(pattern).format(millis=f"{millis % 1000:03d}", offset="Z")


def _strftime_token(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return match.group(1).replace("%", "%%")
    return _JAVA_TOKENS[match.group(0)][1]


def _parse_one(value: object, name: str, *, round_up: bool, zone: str | None) -> int | None:
    if name in ("epoch_millis", "epoch_second"):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None
        try:
            number = float(value)
        except ValueError:
            return None
        return int(number * 1000) if name == "epoch_second" else int(number)
    if not isinstance(value, str):
        return None
    if name in _ISO_NAMES:
        match = _ISO.fullmatch(value)
    elif name in _DATE_NAMES:
        match = _DATE_ONLY.fullmatch(value)
    else:
        match = re.fullmatch(_java_regex(name), value)
    if match is None:
        return None
    try:
        return _millis(match.groupdict(), round_up=round_up, zone=zone)
    except ValueError:
        return None


def _java_regex(pattern: str) -> str:
    parts: list[str] = []
    position = 0
    for match in _JAVA_TOKEN.finditer(pattern):
        parts.append(re.escape(pattern[position : match.start()]))
        if match.group(1) is not None:
            parts.append(re.escape(match.group(1)))
        else:
            parts.append(_JAVA_TOKENS[match.group(0)][0])
        position = match.end()
    parts.append(re.escape(pattern[position:]))
    return "".join(parts)


def _millis(fields: dict[str, str | None], *, round_up: bool, zone: str | None) -> int:
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
        tzinfo=zone_of(fields.get("tz") or zone),
    )
    return epoch_millis(moment)


def zone_of(name: str | None) -> tzinfo:
    if not name or name in ("Z", "UTC"):
        return UTC
    offset = re.fullmatch(r"([+-])(\d{2}):?(\d{2})?", name)
    if offset is None:
        return ZoneInfo(name)
    sign = -1 if offset.group(1) == "-" else 1
    delta = timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0))
    return timezone(sign * delta)


def epoch_millis(moment: datetime) -> int:
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _date_math(
    value: str, fmt: str | None, *, round_up: bool, zone: str | None, now_ms: int | None
) -> int:
    if value.startswith("now"):
        anchor = now_ms if now_ms is not None else epoch_millis(datetime.now(UTC))
        expression = value[3:]
    else:
        text, _, expression = value.partition("||")
        anchor = parse(text, fmt, zone=zone)
    moment = datetime.fromtimestamp(anchor / 1000, zone_of(zone))
    position = 0
    for match in _MATH.finditer(expression):
        if match.start() != position:
            break
        position = match.end()
        sign, amount, unit, rounding = match.groups()
        if rounding:
            moment = round_to(moment, rounding, up=round_up)
        else:
            moment = shift(moment, int(amount) * (-1 if sign == "-" else 1), unit)
    if position != len(expression):
        raise ValueError(f"invalid date math [{value}]")
    return epoch_millis(moment)


def shift(moment: datetime, amount: int, unit: str) -> datetime:
    if unit in "yM":
        months = moment.month - 1 + amount * (12 if unit == "y" else 1)
        year, month = moment.year + months // 12, months % 12 + 1
        day = min(moment.day, calendar.monthrange(year, month)[1])
        return moment.replace(year=year, month=month, day=day)
    seconds = {"w": 604_800, "d": 86_400, "h": 3600, "H": 3600, "m": 60, "s": 1}[unit]
    return moment + timedelta(seconds=amount * seconds)


def round_to(moment: datetime, unit: str, *, up: bool) -> datetime:
    """Start of the period, or its last millisecond when ES rounds the bound up."""
    if unit == "y":
        start = moment.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    elif unit == "M":
        start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    elif unit == "w":
        start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        start -= timedelta(days=start.weekday())
    elif unit == "d":
        start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    elif unit in "hH":
        start = moment.replace(minute=0, second=0, microsecond=0)
    elif unit == "m":
        start = moment.replace(second=0, microsecond=0)
    else:
        start = moment.replace(microsecond=0)
    if not up:
        return start
    return shift(start, 1, unit) - timedelta(milliseconds=1)
