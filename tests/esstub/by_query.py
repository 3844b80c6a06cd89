"""``_reindex`` and ``_delete_by_query``: writes driven by a search, answered with ES's counters.

A schema migration (new index version, reindex, alias swap) is exercised through
``_reindex``, so its copies go through the same write path as any document: the destination's
mapping, the index template and the write alias all apply.
"""

from __future__ import annotations

import time
from typing import Any

from tests.esstub.errors import ESError, bad_request
from tests.esstub.search import Searcher, filter_source
from tests.esstub.state import Cluster
from tests.esstub.writes import Write, write_document


def reindex(cluster: Cluster, searcher: Searcher, body: dict[str, Any]) -> tuple[int, dict]:
    """(status, body): ES answers with the highest failure status when copies failed."""
    started = time.monotonic()
    source, dest = body.get("source", {}), body.get("dest", {})
    if "index" not in source or "index" not in dest:
        raise ESError(
            400,
            "action_request_validation_exception",
            "Validation Failed: 1: use _reindex with source.index and dest.index;",
        )
    if "script" in body:
        raise bad_request("the ES stub does not run scripts")
    expression = source["index"] if isinstance(source["index"], str) else ",".join(source["index"])
    hits = searcher.matching(searcher.snapshot(expression, {}), source.get("query"))
    limit = body.get("max_docs", source.get("size"))
    hits = hits[: int(limit)] if limit is not None else hits
    fields = source.get("_source")
    counts = _counters(len(hits))
    failures: list[dict[str, Any]] = []
    for hit in hits:
        document = hit.doc._source
        if isinstance(fields, list | str):
            document = filter_source(document, [fields] if isinstance(fields, str) else fields, [])
        write = Write(dest.get("op_type", "index"), dest["index"], hit.doc_id, document)
        try:
            result = write_document(cluster, write)
        except ESError as error:
            if error.status == 409:
                counts["version_conflicts"] += 1
                if body.get("conflicts") == "proceed":
                    continue
            failures.append(
                {
                    "index": dest["index"],
                    "id": hit.doc_id,
                    "cause": error.cause(),
                    "status": error.status,
                }
            )
            break
        counts["created" if result.result == "created" else "updated"] += 1
    counts["failures"] = failures
    counts["took"] = int((time.monotonic() - started) * 1000)
    status = max((failure["status"] for failure in failures), default=200)
    return status, counts


def delete_by_query(
    searcher: Searcher, expression: str, body: dict[str, Any], params: dict[str, str]
) -> dict[str, Any]:
    started = time.monotonic()
    hits = searcher.matching(searcher.snapshot(expression, params), body.get("query"))
    counts = _counters(len(hits))
    for hit in hits:
        hit.index.remove(hit.doc_id)
        counts["deleted"] += 1
    counts["took"] = int((time.monotonic() - started) * 1000)
    return counts


def _counters(total: int) -> dict[str, Any]:
    return {
        "took": 0,
        "timed_out": False,
        "total": total,
        "updated": 0,
        "created": 0,
        "deleted": 0,
        "batches": 1 if total else 0,
        "version_conflicts": 0,
        "noops": 0,
        "retries": {"bulk": 0, "search": 0},
        "throttled_millis": 0,
        "requests_per_second": -1.0,
        "throttled_until_millis": 0,
        "failures": [],
    }
