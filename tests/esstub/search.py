"""``_search``, ``_count``, scrolls and points in time over the stub's indices.

A search evaluates the whole query in Python over every document, then sorts, pages and
shapes the answer like ES (``hits.total`` capped at 10,000 unless ``track_total_hits``,
``_score`` null when sorting by a field, ``sort`` values for ``search_after``). Scrolls and
points in time keep the documents as they were when opened, as ES's readers do.
"""

from __future__ import annotations

import fnmatch
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from tests.esstub import aggs, sorting
from tests.esstub.errors import ESError, bad_request, search_failure
from tests.esstub.query import Matcher, compile_query
from tests.esstub.sorting import Hit, SortKey
from tests.esstub.state import Cluster, StoredDoc, StubIndex

DEFAULT_TRACK_TOTAL_HITS = 10_000
MAX_RESULT_WINDOW = 10_000
Snapshot = list[tuple[StubIndex, dict[str, StoredDoc]]]


@dataclass
class _Scroll:
    rows: list[tuple[Hit, list[Any]]]
    size: int
    body: dict[str, Any]
    params: dict[str, str]
    total: int
    position: int = 0


@dataclass
class Searcher:
    cluster: Cluster
    scrolls: dict[str, _Scroll] = field(default_factory=dict)
    points_in_time: dict[str, Snapshot] = field(default_factory=dict)

    # --- entry points -------------------------------------------------------------------

    def search(
        self, expression: str | None, body: dict[str, Any], params: dict[str, str]
    ) -> dict[str, Any]:
        started = time.monotonic()
        body = {**_params_as_body(params), **body}
        pit = body.get("pit")
        if pit and expression:
            raise bad_request("[indices] cannot be used with point in time")
        snapshot = self._pit(pit["id"]) if pit else self.snapshot(expression, params)
        hits = self.matching(snapshot, body.get("query"))
        if "min_score" in body:
            hits = [hit for hit in hits if hit.score >= float(body["min_score"])]
        keys = sorting.parse_sort(body.get("sort"), point_in_time=bool(pit))
        rows = sorting.order(hits, keys)
        if "search_after" in body:
            rows = _after(rows, keys, body["search_after"], snapshot)
        size = int(body.get("size", 10))
        start = int(body.get("from", 0))
        if start + size > MAX_RESULT_WINDOW and "scroll" not in params:
            raise search_failure(
                f"Result window is too large, from + size must be less than or equal to: "
                f"[{MAX_RESULT_WINDOW}] but was [{start + size}].",
                "illegal_argument_exception",
            )
        response: dict[str, Any] = {}
        if pit:
            response["pit_id"] = pit["id"]
        if "scroll" in params:
            scroll_id = secrets.token_urlsafe(24)
            self.scrolls[scroll_id] = _Scroll(rows, size, body, params, len(hits), size)
            response["_scroll_id"] = scroll_id
        response.update(_envelope(started, len(snapshot)))
        response["hits"] = _hits_section(rows[start : start + size], len(hits), keys, body, params)
        if "aggs" in body or "aggregations" in body:
            specs = body.get("aggs", body.get("aggregations", {}))
            response["aggregations"] = aggs.aggregate(specs, hits, self._filter())
        return response

    def count(
        self, expression: str | None, body: dict[str, Any], params: dict[str, str]
    ) -> dict[str, Any]:
        snapshot = self.snapshot(expression, params)
        total = len(self.matching(snapshot, body.get("query")))
        return {"count": total, "_shards": _envelope(time.monotonic(), len(snapshot))["_shards"]}

    def scroll(self, scroll_id: str) -> dict[str, Any]:
        scroll = self.scrolls.get(scroll_id)
        if scroll is None:
            raise ESError(
                404,
                "search_context_missing_exception",
                f"No search context found for id [{scroll_id}]",
            )
        page = scroll.rows[scroll.position : scroll.position + scroll.size]
        scroll.position += scroll.size
        keys = sorting.parse_sort(scroll.body.get("sort"))
        response = {"_scroll_id": scroll_id, **_envelope(time.monotonic(), 1)}
        response["hits"] = _hits_section(page, scroll.total, keys, scroll.body, scroll.params)
        return response

    def clear_scroll(self, scroll_ids: list[str]) -> dict[str, Any]:
        if scroll_ids in (["_all"], []):
            scroll_ids = list(self.scrolls)
        freed = sum(self.scrolls.pop(sid, None) is not None for sid in scroll_ids)
        return {"succeeded": True, "num_freed": freed}

    def open_pit(self, expression: str, params: dict[str, str]) -> dict[str, Any]:
        if "keep_alive" not in params:
            raise ESError(
                400,
                "action_request_validation_exception",
                "Validation Failed: 1: [keep_alive] is not specified;",
            )
        pit_id = secrets.token_urlsafe(32)
        self.points_in_time[pit_id] = self.snapshot(expression, params)
        return {"id": pit_id, "_shards": _envelope(0, 1)["_shards"]}

    def close_pit(self, pit_id: str) -> dict[str, Any]:
        found = self.points_in_time.pop(pit_id, None) is not None
        return {"succeeded": found, "num_freed": int(found)}

    # --- shared with the by-query APIs --------------------------------------------------

    def snapshot(self, expression: str | None, params: dict[str, str]) -> Snapshot:
        ignore = params.get("ignore_unavailable") == "true"
        names = self.cluster.resolve(expression, ignore_missing=ignore)
        return [(self.cluster.indices[n], dict(self.cluster.indices[n].docs)) for n in names]

    def matching(self, snapshot: Snapshot, query: dict[str, Any] | None) -> list[Hit]:
        hits: list[Hit] = []
        position = 0
        for index, docs in snapshot:
            matcher = compile_query(query, index)
            for doc_id, doc in docs.items():
                score = matcher(doc_id, doc)
                if score is not None:
                    hits.append(Hit(index, doc_id, doc, score, position))
                position += 1
        return hits

    def _pit(self, pit_id: str) -> Snapshot:
        snapshot = self.points_in_time.get(pit_id)
        if snapshot is None:
            raise ESError(
                404,
                "search_context_missing_exception",
                f"No search context found for id [{pit_id}]",
            )
        return snapshot

    @staticmethod
    def _filter() -> aggs.Filter:
        compiled: dict[tuple[int, str], Matcher] = {}

        def matches(query: dict[str, Any], hit: Hit) -> bool:
            key = (id(query), hit.index.name)
            if key not in compiled:
                compiled[key] = compile_query(query, hit.index)
            return compiled[key](hit.doc_id, hit.doc) is not None

        return matches


def _params_as_body(params: dict[str, str]) -> dict[str, Any]:
    """Search options the client may send in the query string instead of the body."""
    body: dict[str, Any] = {}
    for key in ("size", "from"):
        if key in params:
            body[key] = int(params[key])
    if "sort" in params:
        body["sort"] = params["sort"].split(",")
    if "track_total_hits" in params:
        value = params["track_total_hits"]
        body["track_total_hits"] = value == "true" if value in ("true", "false") else int(value)
    return body


def _after(
    rows: list[tuple[Hit, list[Any]]], keys: list[SortKey], after: list[Any], snapshot: Snapshot
) -> list[tuple[Hit, list[Any]]]:
    if not keys:
        raise search_failure("Sort must contain at least one field.", "illegal_argument_exception")
    if len(after) != len(keys):
        raise search_failure(
            f"search_after has {len(after)} value(s) but sort has {len(keys)}.",
            "illegal_argument_exception",
        )
    if not snapshot:
        return []
    index = snapshot[0][0]
    marker = [key.after_value(value, index) for key, value in zip(keys, after, strict=True)]
    compare = sorting.row_comparator(keys)
    return [(hit, values) for hit, values in rows if compare(values, marker) > 0]


def _envelope(started: float, shards: int) -> dict[str, Any]:
    return {
        "took": int((time.monotonic() - started) * 1000),
        "timed_out": False,
        "_shards": {"total": shards, "successful": shards, "skipped": 0, "failed": 0},
    }


def _hits_section(
    page: list[tuple[Hit, list[Any]]],
    total: int,
    keys: list[SortKey],
    body: dict[str, Any],
    params: dict[str, str],
) -> dict[str, Any]:
    scored = not keys or any(k.field == "_score" for k in keys) or body.get("track_scores")
    section: dict[str, Any] = {}
    tracked = body.get("track_total_hits", DEFAULT_TRACK_TOTAL_HITS)
    if tracked is not False:
        limit = total if tracked is True else int(tracked)
        value, relation = (total, "eq") if total <= limit else (limit, "gte")
        section["total"] = {"value": value, "relation": relation}
        if params.get("rest_total_hits_as_int") == "true":
            section["total"] = value
    scores = [hit.score for hit, _ in page]
    section["max_score"] = max(scores) if scored and scores else None
    includes, excludes, wanted = _source_filter(body, params)
    section["hits"] = []
    for hit, values in page:
        item: dict[str, Any] = {"_index": hit.index.name, "_id": hit.doc_id}
        if body.get("version"):
            item["_version"] = hit.doc._version
        if body.get("seq_no_primary_term"):
            item["_seq_no"] = hit.doc._seq_no
            item["_primary_term"] = hit.doc._primary_term
        item["_score"] = hit.score if scored else None
        if wanted:
            item["_source"] = filter_source(hit.doc._source, includes, excludes)
        if keys:
            item["sort"] = values
        section["hits"].append(item)
    return section


def _source_filter(
    body: dict[str, Any], params: dict[str, str]
) -> tuple[list[str], list[str], bool]:
    spec = body.get("_source", params.get("_source", True))
    includes = _split(params.get("_source_includes"))
    excludes = _split(params.get("_source_excludes"))
    if spec in (False, "false"):
        return [], [], False
    if isinstance(spec, str) and spec != "true":
        includes = _split(spec)
    elif isinstance(spec, list):
        includes = list(spec)
    elif isinstance(spec, dict):
        includes = _split(spec.get("includes", spec.get("include")))
        excludes = _split(spec.get("excludes", spec.get("exclude")))
    return includes, excludes, True


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    return value.split(",") if isinstance(value, str) else list(value)


def filter_source(
    source: dict[str, Any], includes: list[str], excludes: list[str], prefix: str = ""
) -> dict[str, Any]:
    """``_source`` includes/excludes with wildcards on dotted paths, as ES filters it."""
    kept: dict[str, Any] = {}
    for key, value in source.items():
        path = f"{prefix}{key}"
        if any(fnmatch.fnmatchcase(path, pattern) for pattern in excludes):
            continue
        whole = not includes or any(fnmatch.fnmatchcase(path, p) for p in includes)
        below = [p for p in includes if p.startswith(f"{path}.") or p.startswith("*")]
        if whole:
            kept[key] = _filter_value(value, [], excludes, f"{path}.")
        elif below and isinstance(value, dict | list):
            filtered = _filter_value(value, below, excludes, f"{path}.")
            if filtered:
                kept[key] = filtered
    return kept


def _filter_value(value: Any, includes: list[str], excludes: list[str], prefix: str) -> Any:
    if isinstance(value, dict):
        return filter_source(value, includes, excludes, prefix)
    if isinstance(value, list):
        return [_filter_value(item, includes, excludes, prefix) for item in value]
    return value
