"""``_search`` and ``_count`` over the documents as of each index's last refresh.

A search evaluates the query in Python over every document, then sorts, pages and shapes the
answer like ES: ``hits.total`` capped at 10,000, ``_score`` null when sorting by a field, and
``sort`` values for ``search_after`` as ES computes them (dates as epoch milliseconds, a missing
value as ES's sentinel, ``Long.MIN_VALUE``/``MAX_VALUE`` or null for keywords, so that documents
without the field still page correctly). The body may hold ``query``, ``sort``, ``size`` and
``search_after``, what the backend sends; anything else is refused.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import Any

from tests.esstub import mapping
from tests.esstub.errors import only, search_failure
from tests.esstub.query import compile_query
from tests.esstub.state import Cluster, StoredDoc, StubIndex

TRACKED_TOTAL_HITS = 10_000
MAX_RESULT_WINDOW = 10_000
LONG_MAX = 2**63 - 1
LONG_MIN = -(2**63)
_SENTINEL_TYPES = frozenset({*mapping.INTEGER_TYPES, "date"})


@dataclass
class Hit:
    index: StubIndex
    doc_id: str
    doc: StoredDoc
    score: float
    position: int
    """Global index order: how ES breaks ties."""


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool

    def value(self, hit: Hit) -> Any:
        """The sort value ES returns in ``hits.hits[].sort``."""
        if self.field == "_score":
            return hit.score
        field = mapping.resolve(hit.index.mappings, self.field)
        if field is None:
            raise search_failure(f"No mapping found for [{self.field}] in order to sort on")
        if field.type == "text":
            raise search_failure(
                f"Fielddata is disabled on [{self.field}] in [{hit.index.name}]. Text fields are "
                "not optimised for operations that require per-document field data like "
                "aggregations and sorting, so these operations are disabled by default. Please "
                "use a keyword field instead.",
                "illegal_argument_exception",
            )
        values = mapping.indexed_values(field, hit.doc._source)
        if values:
            return max(values) if self.descending else min(values)
        if field.type in _SENTINEL_TYPES:
            return LONG_MIN if self.descending else LONG_MAX
        return None

    def compare(self, first: Any, second: Any) -> int:
        """Missing keyword values (None) last, whatever the order, as ES's ``_last``."""
        if first is None or second is None:
            return 0 if first is second else (1 if first is None else -1)
        order = (first > second) - (first < second)
        return -order if self.descending else order


def parse_sort(spec: Any) -> list[SortKey]:
    """``sort`` as the body gives it: names, ``{field: order}`` or ``{field: {"order": ...}}``."""
    keys: list[SortKey] = []
    for entry in spec if isinstance(spec, list) else [spec] if spec else []:
        if isinstance(entry, str):
            name, order = entry, None
        else:
            [(name, options)] = dict(entry).items()
            if isinstance(options, dict):
                only(options, {"order"}, f"the sort on [{name}]")
                options = options.get("order")
            order = options
        default = "desc" if name == "_score" else "asc"
        keys.append(SortKey(name, str(order or default).lower() == "desc"))
    return keys


def search(cluster: Cluster, expression: str, body: dict[str, Any]) -> dict[str, Any]:
    started = time.monotonic()
    only(body, {"query", "sort", "size", "search_after"}, "a _search body")
    indices = [cluster.indices[name] for name in cluster.resolve(expression)]
    hits = _matching(indices, body.get("query"))
    keys = parse_sort(body.get("sort"))
    rows = _order(hits, keys)
    if "search_after" in body:
        after = body["search_after"]
        if len(after) != len(keys):
            raise search_failure(
                f"search_after has {len(after)} value(s) but sort has {len(keys)}.",
                "illegal_argument_exception",
            )
        compare = _row_comparator(keys)
        rows = [(hit, values) for hit, values in rows if compare(values, after) > 0]
    size = int(body.get("size", 10))
    if size > MAX_RESULT_WINDOW:
        raise search_failure(
            f"Result window is too large, from + size must be less than or equal to: "
            f"[{MAX_RESULT_WINDOW}] but was [{size}].",
            "illegal_argument_exception",
        )
    scored = not keys or any(k.field == "_score" for k in keys)
    page = rows[:size]
    total = len(hits)
    found: list[dict[str, Any]] = []
    for hit, values in page:
        item: dict[str, Any] = {
            "_index": hit.index.name,
            "_id": hit.doc_id,
            "_score": hit.score if scored else None,
        }
        item["_source"] = hit.doc._source
        if keys:
            item["sort"] = values
        found.append(item)
    return {
        **_envelope(started, len(indices)),
        "hits": {
            "total": {
                "value": min(total, TRACKED_TOTAL_HITS),
                "relation": "eq" if total <= TRACKED_TOTAL_HITS else "gte",
            },
            "max_score": max((hit.score for hit, _ in page), default=None) if scored else None,
            "hits": found,
        },
    }


def count(cluster: Cluster, expression: str, body: dict[str, Any]) -> dict[str, Any]:
    only(body, {"query"}, "a _count body")
    indices = [cluster.indices[name] for name in cluster.resolve(expression)]
    total = len(_matching(indices, body.get("query")))
    return {"count": total, "_shards": _envelope(time.monotonic(), len(indices))["_shards"]}


def _matching(indices: list[StubIndex], query: dict[str, Any] | None) -> list[Hit]:
    hits: list[Hit] = []
    position = 0
    for index in indices:
        matcher = compile_query(query, index)
        for doc_id, doc in index.searchable.items():
            score = matcher(doc_id, doc)
            if score is not None:
                hits.append(Hit(index, doc_id, doc, score, position))
            position += 1
    return hits


def _order(hits: list[Hit], keys: list[SortKey]) -> list[tuple[Hit, list[Any]]]:
    """Hits with their sort values, sorted, ties in index order; without keys, by score."""
    if not keys:
        return [(hit, []) for hit in sorted(hits, key=lambda h: (-h.score, h.position))]
    valued = [(hit, [key.value(hit) for key in keys]) for hit in hits]
    compare = _row_comparator(keys)

    def by_values(first: tuple[Hit, list[Any]], second: tuple[Hit, list[Any]]) -> int:
        return compare(first[1], second[1]) or first[0].position - second[0].position

    return sorted(valued, key=functools.cmp_to_key(by_values))


def _row_comparator(keys: list[SortKey]) -> Any:
    def compare(first: list[Any], second: list[Any]) -> int:
        for key, a, b in zip(keys, first, second, strict=True):
            result = key.compare(a, b)
            if result:
                return result
        return 0

    return compare


def _envelope(started: float, shards: int) -> dict[str, Any]:
    return {
        "took": int((time.monotonic() - started) * 1000),
        "timed_out": False,
        "_shards": {"total": shards, "successful": shards, "skipped": 0, "failed": 0},
    }
