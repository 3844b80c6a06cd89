"""Search sort order and sort values, as ES computes and returns them.

Sort values are what ``search_after`` takes back, so they follow ES exactly: dates as epoch
milliseconds, a multi-valued field by its minimum ascending and maximum descending, and a
missing value as ES's sentinel (``Long.MAX_VALUE``, ``"Infinity"``, or null for keywords) so
that documents without the field still page correctly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.esstub import dates, mapping
from tests.esstub.errors import search_failure
from tests.esstub.state import StoredDoc, StubIndex

LONG_MAX = 2**63 - 1
LONG_MIN = -(2**63)
_FLOATS = frozenset({"double", "float", "half_float", "scaled_float"})
TEXT_FIELDDATA = (
    "Fielddata is disabled on [{name}] in [{index}]. Text fields are not optimised for "
    "operations that require per-document field data like aggregations and sorting, so these "
    "operations are disabled by default. Please use a keyword field instead."
)


@dataclass
class Hit:
    index: StubIndex
    doc_id: str
    doc: StoredDoc
    score: float
    position: int
    """Global index order, ES's ``_doc`` (and, under a point in time, ``_shard_doc``)."""


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool
    missing_first: bool
    missing: Any = None
    unmapped_type: str | None = None
    mode: str | None = None

    def value(self, hit: Hit) -> Any:
        """The sort value ES returns in ``hits.hits[].sort``."""
        if self.field == "_score":
            return hit.score
        if self.field in ("_doc", "_shard_doc"):
            return hit.position
        field = mapping.resolve(hit.index.mappings, self.field)
        if field is None:
            if self.unmapped_type is None:
                raise search_failure(f"No mapping found for [{self.field}] in order to sort on")
            return self._missing(self.unmapped_type)
        if field.type == "text":
            raise search_failure(
                TEXT_FIELDDATA.format(name=self.field, index=hit.index.name),
                "illegal_argument_exception",
            )
        values = mapping.indexed_values(field, hit.doc._source)
        if not values and self.missing not in (None, "_first", "_last"):
            values = [mapping.coerce(field, self.missing)]
        if not values:
            return self._missing(field.type)
        if field.type == "boolean":
            values = [int(v) for v in values]
        return _pick(values, self.mode or ("max" if self.descending else "min"))

    def _missing(self, kind: str) -> Any:
        last = not self.missing_first
        high = last != self.descending
        if kind in _FLOATS:
            return "Infinity" if high else "-Infinity"
        if kind in mapping.NUMERIC_TYPES or kind in ("date", "boolean"):
            return LONG_MAX if high else LONG_MIN
        return None

    def after_value(self, value: Any, index: StubIndex) -> Any:
        """A ``search_after`` value read as this key's values compare."""
        field = None
        if not self.field.startswith("_"):
            field = mapping.resolve(index.mappings, self.field)
        if field is not None and field.type == "date" and isinstance(value, str):
            return dates.parse(value, field.date_format)
        return value

    def compare(self, first: Any, second: Any) -> int:
        if first is None or second is None:
            if first is second:
                return 0
            return -1 if (first is None) == self.missing_first else 1
        a, b = _comparable(first, second), _comparable(second, first)
        order = (a > b) - (a < b)
        return -order if self.descending else order


def parse_sort(spec: Any, *, point_in_time: bool = False) -> list[SortKey]:
    """``sort`` as the body gives it (strings, ``{field: order}``, ``{field: {...}}``)."""
    entries = spec if isinstance(spec, list) else [spec] if spec else []
    keys: list[SortKey] = []
    for entry in entries:
        if isinstance(entry, str):
            name, _, order = entry.partition(":")
            options: dict[str, Any] = {"order": order} if order else {}
        else:
            [(name, raw)] = dict(entry).items()
            options = raw if isinstance(raw, dict) else {"order": raw}
        default = "desc" if name == "_score" else "asc"
        keys.append(
            SortKey(
                field=name,
                descending=str(options.get("order") or default).lower() == "desc",
                missing_first=options.get("missing") == "_first",
                missing=options.get("missing"),
                unmapped_type=options.get("unmapped_type"),
                mode=options.get("mode"),
            )
        )
    if point_in_time and not any(k.field == "_shard_doc" for k in keys):
        keys.append(SortKey("_shard_doc", descending=False, missing_first=False))
    return keys


def order(hits: list[Hit], keys: list[SortKey]) -> list[tuple[Hit, list[Any]]]:
    """Hits with their sort values, sorted; without keys, best score first."""
    if not keys:
        return [(hit, []) for hit in sorted(hits, key=lambda h: (-h.score, h.position))]
    valued = [(hit, [key.value(hit) for key in keys]) for hit in hits]
    compare = row_comparator(keys)

    def by_values(first: tuple[Hit, list[Any]], second: tuple[Hit, list[Any]]) -> int:
        return compare(first[1], second[1]) or _tie(first[0], second[0])

    valued.sort(key=functools.cmp_to_key(by_values))
    return valued


def row_comparator(keys: list[SortKey]) -> Callable[[list[Any], list[Any]], int]:
    def compare(first: list[Any], second: list[Any]) -> int:
        for key, a, b in zip(keys, first, second, strict=True):
            result = key.compare(a, b)
            if result:
                return result
        return 0

    return compare


def _tie(first: Hit, second: Hit) -> int:
    return (first.position > second.position) - (first.position < second.position)


def _pick(values: list[Any], mode: str) -> Any:
    if mode == "max":
        return max(values)
    if mode == "sum":
        return sum(values)
    if mode in ("avg", "median"):
        ordered = sorted(values)
        if mode == "median":
            return ordered[len(ordered) // 2]
        return sum(values) / len(values)
    return min(values)


def _comparable(value: Any, other: Any) -> Any:
    """Floats' missing sentinels are strings in JSON; compare them as the numbers they are."""
    if isinstance(value, str) and isinstance(other, int | float):
        return {"Infinity": float("inf"), "-Infinity": float("-inf")}.get(value, value)
    return value
