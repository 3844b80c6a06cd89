"""Aggregations over the documents a search matched, with ES's response shapes.

Buckets count documents, not values (a document with two tags counts once in each tag's
bucket); metric values are doubles as in ES (``min`` of a long field is ``3.0``); dates are
bucketed in UTC (or ``time_zone``) with weeks starting on Monday, and empty buckets between the
first and last are filled in, as ``min_doc_count: 0`` does by default.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tests.esstub import dates, mapping
from tests.esstub.errors import parsing, search_failure
from tests.esstub.mapping import Field
from tests.esstub.sorting import TEXT_FIELDDATA, Hit

Filter = Callable[[dict[str, Any], Hit], bool]
"""Whether a hit matches a query (for the ``filter`` aggregation)."""

_CALENDAR = {
    "minute": "m", "1m": "m", "hour": "h", "1h": "h", "day": "d", "1d": "d",
    "week": "w", "1w": "w", "month": "M", "1M": "M", "quarter": "q", "1q": "q",
    "year": "y", "1y": "y",
}  # fmt: skip
_FIXED_UNITS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}


def aggregate(specs: dict[str, Any], hits: list[Hit], matches: Filter) -> dict[str, Any]:
    return {name: _one(name, spec, hits, matches) for name, spec in specs.items()}


def _one(name: str, spec: dict[str, Any], hits: list[Hit], matches: Filter) -> dict[str, Any]:
    sub = spec.get("aggs", spec.get("aggregations", {}))
    kinds = [k for k in spec if k not in ("aggs", "aggregations", "meta")]
    if len(kinds) != 1:
        raise parsing(f"Expected one aggregation type for [{name}], found {kinds}")
    kind = kinds[0]
    params = spec[kind]
    if kind in _METRICS:
        result = _metric(kind, params, hits)
    elif kind == "terms":
        result = _terms(params, hits, sub, matches)
    elif kind == "date_histogram":
        result = _date_histogram(params, hits, sub, matches)
    elif kind == "filter":
        selected = [hit for hit in hits if matches(params, hit)]
        result = {"doc_count": len(selected), **aggregate(sub, selected, matches)}
    elif kind == "missing":
        selected = [hit for hit in hits if not _values(params, hit)]
        result = {"doc_count": len(selected), **aggregate(sub, selected, matches)}
    else:
        raise parsing(f"Unknown aggregation type [{kind}] (not implemented by the ES stub)")
    if "meta" in spec:
        result["meta"] = spec["meta"]
    return result


def _field(params: dict[str, Any], hit: Hit) -> Field | None:
    field = mapping.resolve(hit.index.mappings, params["field"])
    if field is not None and field.type == "text":
        raise search_failure(
            TEXT_FIELDDATA.format(name=field.name, index=hit.index.name),
            "illegal_argument_exception",
        )
    return field


def _values(params: dict[str, Any], hit: Hit) -> list[Any]:
    field = _field(params, hit)
    values = mapping.indexed_values(field, hit.doc._source) if field else []
    if not values and "missing" in params and field is not None:
        values = [mapping.coerce(field, params["missing"])]
    return values


# --- metrics ---------------------------------------------------------------------------


def _metric(kind: str, params: dict[str, Any], hits: list[Hit]) -> dict[str, Any]:
    values = [float(v) if not isinstance(v, str) else v for h in hits for v in _values(params, h)]
    if kind == "value_count":
        return {"value": len(values)}
    if kind == "cardinality":
        return {"value": len(set(values))}
    numbers = [v for v in values if isinstance(v, float)]
    value: float | None
    if kind == "sum":
        value = float(sum(numbers))
    elif kind == "avg":
        value = sum(numbers) / len(numbers) if numbers else None
    else:
        value = (min if kind == "min" else max)(numbers) if numbers else None
    result: dict[str, Any] = {"value": value}
    field = next((f for h in hits if (f := _field(params, h)) is not None), None)
    if value is not None and field is not None and field.type == "date" and kind != "sum":
        result["value_as_string"] = dates.format_millis(int(value), field.date_format)
    return result


_METRICS = frozenset({"sum", "avg", "min", "max", "value_count", "cardinality"})


# --- buckets ---------------------------------------------------------------------------


def _terms(
    params: dict[str, Any], hits: list[Hit], sub: dict[str, Any], matches: Filter
) -> dict[str, Any]:
    groups: dict[Any, list[Hit]] = {}
    field: Field | None = None
    for hit in hits:
        field = _field(params, hit) or field
        for value in dict.fromkeys(_values(params, hit)):
            groups.setdefault(value, []).append(hit)
    buckets = []
    for key, members in groups.items():
        bucket: dict[str, Any] = {"key": key}
        if field is not None and field.type == "boolean":
            bucket = {"key": int(key), "key_as_string": "true" if key else "false"}
        elif field is not None and field.type == "date":
            bucket["key_as_string"] = dates.format_millis(key, field.date_format)
        bucket["doc_count"] = len(members)
        bucket.update(aggregate(sub, members, matches))
        buckets.append(bucket)
    buckets = [b for b in buckets if b["doc_count"] >= params.get("min_doc_count", 1)]
    _order_buckets(buckets, params.get("order", [{"_count": "desc"}, {"_key": "asc"}]))
    size = int(params.get("size", 10))
    return {
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": sum(b["doc_count"] for b in buckets[size:]),
        "buckets": buckets[:size],
    }


def _order_buckets(buckets: list[dict[str, Any]], order: Any) -> None:
    rules = order if isinstance(order, list) else [order]
    if not any("_key" in rule for rule in rules):
        rules = [*rules, {"_key": "asc"}]
    for rule in reversed(rules):
        [(name, direction)] = rule.items()

        def value(bucket: dict[str, Any], name: str = name) -> Any:
            return _order_value(bucket, name)

        buckets.sort(key=value, reverse=direction == "desc")


def _order_value(bucket: dict[str, Any], name: str) -> Any:
    if name == "_count":
        return bucket["doc_count"]
    if name == "_key":
        return bucket["key"]
    agg, _, metric = name.partition(".")
    value = bucket[agg].get(metric or "value")
    return float("-inf") if value is None else value


def _date_histogram(
    params: dict[str, Any], hits: list[Hit], sub: dict[str, Any], matches: Filter
) -> dict[str, Any]:
    if "interval" in params:
        raise parsing("[date_histogram] unknown field [interval], use calendar_interval")
    zone = dates.zone_of(params.get("time_zone"))
    step = _bucket_step(params)
    groups: dict[int, list[Hit]] = {}
    field: Field | None = None
    for hit in hits:
        field = _field(params, hit) or field
        for key in dict.fromkeys(step.start(v, zone) for v in _values(params, hit)):
            groups.setdefault(key, []).append(hit)
    fmt = params.get("format") or (field.date_format if field else None)
    keys = sorted(groups)
    min_doc_count = int(params.get("min_doc_count", 0))
    bounds = params.get("extended_bounds")
    if keys and min_doc_count == 0:
        first, last = keys[0], keys[-1]
        if bounds and field is not None:
            first = min(first, step.start(mapping.coerce(field, bounds["min"]), zone))
            last = max(last, step.start(mapping.coerce(field, bounds["max"]), zone))
        keys = step.every(first, last, zone)
    buckets = []
    for key in keys:
        members = groups.get(key, [])
        if len(members) < min_doc_count:
            continue
        bucket = {
            "key_as_string": dates.format_millis(key, fmt),
            "key": key,
            "doc_count": len(members),
        }
        bucket.update(aggregate(sub, members, matches))
        buckets.append(bucket)
    if params.get("order"):
        _order_buckets(buckets, params["order"])
    return {"buckets": buckets}


class _Step:
    def __init__(self, unit: str | None, fixed_millis: int | None) -> None:
        self.unit = unit
        self.fixed_millis = fixed_millis

    def start(self, millis: int, zone: Any) -> int:
        if self.fixed_millis is not None:
            return millis - millis % self.fixed_millis
        moment = datetime.fromtimestamp(millis / 1000, zone)
        if self.unit == "q":
            moment = moment.replace(month=(moment.month - 1) // 3 * 3 + 1)
        unit = "M" if self.unit == "q" else self.unit or "d"
        return dates.epoch_millis(dates.round_to(moment, unit, up=False))

    def every(self, first: int, last: int, zone: Any) -> list[int]:
        keys = [first]
        while keys[-1] < last:
            if self.fixed_millis is not None:
                keys.append(keys[-1] + self.fixed_millis)
                continue
            moment = datetime.fromtimestamp(keys[-1] / 1000, zone)
            unit, amount = ("M", 3) if self.unit == "q" else (self.unit or "d", 1)
            following = dates.shift(moment, amount, unit)
            keys.append(self.start(dates.epoch_millis(following), zone))
        return keys


def _bucket_step(params: dict[str, Any]) -> _Step:
    if "calendar_interval" in params:
        unit = _CALENDAR.get(str(params["calendar_interval"]))
        if unit is None:
            raise parsing(
                f"The supplied interval [{params['calendar_interval']}] could not be "
                "parsed as a calendar interval."
            )
        return _Step(unit, None)
    fixed = str(params.get("fixed_interval", ""))
    for suffix in sorted(_FIXED_UNITS, key=len, reverse=True):
        number = fixed.removesuffix(suffix)
        if number != fixed and number.isdigit():
            return _Step(None, int(number) * _FIXED_UNITS[suffix])
    raise parsing("[date_histogram] requires calendar_interval or fixed_interval")
