"""Document writes: ``_bulk`` (the backend's only write API) and ``_reindex`` (the migration).

Both go through ``write_document``, so the same checks apply in ES's order: the mapping first
(strict fields, value types), then the injected rejections, then optimistic concurrency
(``op_type`` create, ``if_seq_no``/``if_primary_term``). A malformed ``_bulk`` request fails as
a whole (400) before anything is written; once it is valid, every item succeeds or fails on its
own and ``errors`` says whether any failed, which is what the backend's retry and outbox logic
reads. Only the ``index`` and ``create`` actions exist here.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass
from typing import Any

from tests.esstub import mapping
from tests.esstub.errors import ESError, bad_request, only, unsupported
from tests.esstub.state import PRIMARY_TERM, Cluster, StubIndex

ACTIONS = ("index", "create")


@dataclass
class Write:
    action: str
    """index or create."""
    target: str
    doc_id: str
    source: dict[str, Any]
    if_seq_no: int | None = None
    if_primary_term: int | None = None


def write_document(cluster: Cluster, request: Write) -> tuple[StubIndex, dict[str, Any]]:
    """Write one document with ES's checks; (index, the item ES answers), status included."""
    index = cluster.write_index(request.target)
    try:
        mapping.check_document(index.mappings, request.source, request.doc_id)
        rejection = cluster.reject_documents(request.source) if cluster.reject_documents else None
        if rejection is not None:
            raise ESError(*rejection)
        current = index.docs.get(request.doc_id)
        if request.action == "create" and current is not None:
            raise _conflict(
                index,
                request.doc_id,
                f"document already exists (current version [{current._version}])",
            )
        if request.if_seq_no is not None:
            required = (
                f"required seqNo [{request.if_seq_no}], primary term [{request.if_primary_term}]"
            )
            if current is None:
                raise _conflict(index, request.doc_id, f"{required}. but no document was found")
            if (current._seq_no, current._primary_term) != (
                request.if_seq_no,
                request.if_primary_term,
            ):
                raise _conflict(
                    index,
                    request.doc_id,
                    f"{required}. current document has seqNo [{current._seq_no}] and primary "
                    f"term [{current._primary_term}]",
                )
    except ESError as error:
        error.index = index.name
        raise
    doc = index.store(request.doc_id, copy.deepcopy(request.source))
    return index, {
        "_index": index.name,
        "_id": request.doc_id,
        "_version": doc._version,
        "result": "created" if current is None else "updated",
        "_shards": index.shards(),
        "_seq_no": doc._seq_no,
        "_primary_term": PRIMARY_TERM,
        "status": 201 if current is None else 200,
    }


def _conflict(index: StubIndex, doc_id: str, detail: str) -> ESError:
    return ESError(
        409,
        "version_conflict_engine_exception",
        f"[{doc_id}]: version conflict, {detail}",
        index_uuid=index.uuid,
        shard="0",
        index=index.name,
    )


# --- _bulk --------------------------------------------------------------------------------


def parse_lines(body: bytes) -> list[Any]:
    """The NDJSON lines, parsed; ES refuses a body whose last line lacks its newline."""
    if body and not body.endswith(b"\n"):
        raise bad_request("The bulk request must be terminated by a newline [\\n]")
    lines: list[Any] = []
    for number, line in enumerate(body.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            lines.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise ESError(
                400, "x_content_parse_exception", f"[{number}:{error.colno}] {error.msg}"
            ) from None
    return lines


def plan(lines: list[Any]) -> list[Write]:
    """The writes the lines ask for, validated all together as ES validates the request."""
    writes: list[Write] = []
    problems: list[str] = []
    for position in range(0, len(lines), 2):
        line = lines[position]
        if not isinstance(line, dict) or len(line) != 1:
            raise bad_request(f"Malformed action/metadata line [{position + 1}]")
        [(action, meta)] = line.items()
        if action not in ACTIONS:
            raise unsupported(f"the bulk action [{action}]")
        only(meta, {"_index", "_id", "if_seq_no", "if_primary_term"}, f"a bulk [{action}]")
        if position + 1 >= len(lines):
            raise bad_request(f"Malformed action/metadata line [{position + 1}], missing source")
        if "_index" not in meta:
            problems.append("index is missing")
        if "_id" not in meta:
            raise unsupported("a bulk item without _id (ids made up by ES)")
        if ("if_seq_no" in meta) != ("if_primary_term" in meta):
            problems.append("ifSeqNo is set, but primary term is [0]")
        source = lines[position + 1]
        writes.append(
            Write(
                action,
                str(meta.get("_index")),
                str(meta["_id"]),
                source if isinstance(source, dict) else {},
                meta.get("if_seq_no"),
                meta.get("if_primary_term"),
            )
        )
    if problems:
        numbered = "".join(f"{n}: {p};" for n, p in enumerate(problems, start=1))
        raise ESError(400, "action_request_validation_exception", f"Validation Failed: {numbered}")
    return writes


def bulk(cluster: Cluster, writes: list[Write]) -> dict[str, Any]:
    started = time.monotonic()
    items = []
    for write in writes:
        try:
            _, item = write_document(cluster, write)
        except ESError as error:
            item = {
                "_index": error.index or write.target,
                "_id": write.doc_id,
                "status": error.status,
                "error": error.cause(),
            }
        items.append({write.action: item})
    return {
        "took": int((time.monotonic() - started) * 1000),
        "errors": any("error" in next(iter(item.values())) for item in items),
        "items": items,
    }


# --- _reindex ------------------------------------------------------------------------------


def reindex(cluster: Cluster, body: dict[str, Any], params: dict[str, str]) -> tuple[int, dict]:
    """(status, body) of a synchronous ``_reindex``: ES reads the source as a search does (what
    its last refresh shows) and answers with the highest failure status when copies failed."""
    started = time.monotonic()
    only(body, {"source", "dest", "conflicts"}, "_reindex")
    only(params, {"refresh", "wait_for_completion"}, "_reindex")
    if params.get("wait_for_completion", "true") != "true":
        raise unsupported("_reindex as a task")
    source, dest = body.get("source", {}), body.get("dest", {})
    only(source, {"index"}, "_reindex source")
    only(dest, {"index"}, "_reindex dest")
    if not isinstance(source.get("index"), str) or not isinstance(dest.get("index"), str):
        raise ESError(
            400,
            "action_request_validation_exception",
            "Validation Failed: 1: use _reindex with source.index and dest.index;",
        )
    docs = [
        (doc_id, doc)
        for name in cluster.resolve(source["index"])
        for doc_id, doc in cluster.indices[name].searchable.items()
    ]
    counts: dict[str, Any] = {
        "took": 0,
        "timed_out": False,
        "total": len(docs),
        "updated": 0,
        "created": 0,
        "deleted": 0,
        "batches": 1 if docs else 0,
        "version_conflicts": 0,
        "noops": 0,
        "retries": {"bulk": 0, "search": 0},
        "throttled_millis": 0,
        "requests_per_second": -1.0,
        "throttled_until_millis": 0,
        "failures": [],
    }
    written: set[str] = set()
    for doc_id, doc in docs:
        try:
            index, item = write_document(
                cluster, Write("index", dest["index"], doc_id, doc._source)
            )
        except ESError as error:
            if error.status == 409:
                counts["version_conflicts"] += 1
                if body.get("conflicts") == "proceed":
                    continue
            failure = {"index": dest["index"], "id": doc_id, "cause": error.cause()}
            counts["failures"].append({**failure, "status": error.status})
            break
        written.add(index.name)
        counts[item["result"]] += 1
    if params.get("refresh") == "true":
        for name in written:
            cluster.indices[name].refresh()
    counts["took"] = int((time.monotonic() - started) * 1000)
    status = max((failure["status"] for failure in counts["failures"]), default=200)
    return status, counts
