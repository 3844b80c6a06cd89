"""``_bulk``: NDJSON action lines, executed one by one, answered item by item as ES does.

A malformed request fails as a whole (400) before anything is written; once it is valid,
every item succeeds or fails on its own and ``errors`` says whether any failed, which is what
the backend's retry and outbox logic reads.
"""

from __future__ import annotations

import json
import time
from typing import Any

from tests.esstub.errors import ESError, bad_request
from tests.esstub.state import Cluster
from tests.esstub.writes import Write, new_id, write_document

ACTIONS = ("index", "create", "update", "delete")


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


def plan(lines: list[Any], default_index: str | None) -> list[Write]:
    """The writes the lines ask for, validated all together as ES validates the request."""
    writes: list[Write] = []
    problems: list[str] = []
    position = 0
    while position < len(lines):
        line = lines[position]
        if not isinstance(line, dict) or len(line) != 1 or next(iter(line)) not in ACTIONS:
            raise bad_request(
                f"Malformed action/metadata line [{position + 1}], expected one of {ACTIONS}"
            )
        [(action, meta)] = line.items()
        position += 1
        body = None
        if action != "delete":
            if position >= len(lines):
                raise bad_request(f"Malformed action/metadata line [{position}], missing source")
            body = lines[position]
            position += 1
        target = meta.get("_index", default_index)
        if target is None:
            problems.append("index is missing")
            continue
        write = Write(
            action=action,
            target=target,
            doc_id=str(meta["_id"]) if meta.get("_id") is not None else new_id(action),
            body=body,
            if_seq_no=meta.get("if_seq_no"),
            if_primary_term=meta.get("if_primary_term"),
        )
        if action == "index" and meta.get("op_type") == "create":
            write.action = "create"
        if write.action in ("update", "delete") and write.doc_id is None:
            problems.append("id is missing")
        problems.extend(write.problems())
        writes.append(write)
    if problems:
        numbered = "".join(f"{n}: {p};" for n, p in enumerate(problems, start=1))
        raise ESError(400, "action_request_validation_exception", f"Validation Failed: {numbered}")
    return writes


def execute(cluster: Cluster, writes: list[Write]) -> dict[str, Any]:
    started = time.monotonic()
    items = []
    for write in writes:
        try:
            result = write_document(cluster, write)
        except ESError as error:
            item: dict[str, Any] = {
                "_index": error.index or error.extra.get("index", write.target),
                "_id": write.doc_id,
                "status": error.status,
                "error": error.cause(),
            }
        else:
            item = {**result.body(), "status": result.status}
        items.append({write.action: item})
    return {
        "took": int((time.monotonic() - started) * 1000),
        "errors": any("error" in next(iter(item.values())) for item in items),
        "items": items,
    }
