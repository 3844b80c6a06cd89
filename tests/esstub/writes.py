"""Document writes with ES's checks and bookkeeping, for every API that writes documents.

Bulk items, single-document APIs and ``_reindex`` all write through ``write_document``, so the same
order of checks applies everywhere, as in ES: the mapping first (strict fields, value types),
then the injected rejections, then optimistic concurrency (``if_seq_no``, ``op_type=create``).
"""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass
from typing import Any

from tests.esstub import mapping
from tests.esstub.errors import ESError, bad_request
from tests.esstub.state import PRIMARY_TERM, Cluster, StoredDoc, StubIndex


@dataclass
class WriteResult:
    index: StubIndex
    doc_id: str
    result: str
    """created, updated, deleted, not_found or noop."""
    version: int
    seq_no: int
    status: int

    def body(self) -> dict[str, Any]:
        return {
            "_index": self.index.name,
            "_id": self.doc_id,
            "_version": self.version,
            "result": self.result,
            "_shards": self.index.shards(noop=self.result == "noop"),
            "_seq_no": self.seq_no,
            "_primary_term": PRIMARY_TERM,
        }


@dataclass
class Write:
    """One document write, from a bulk item or a single-document API."""

    action: str
    """index, create, update or delete."""
    target: str
    doc_id: str | None
    body: dict[str, Any] | None = None
    """The document (index, create) or the update request (``doc``, ``upsert``...)."""
    if_seq_no: int | None = None
    if_primary_term: int | None = None

    def problems(self) -> list[str]:
        """What ES's request validation refuses before anything is written."""
        found = []
        body = self.body or {}
        upsert = "upsert" in body or bool(body.get("doc_as_upsert"))
        conditional = self.if_seq_no is not None or self.if_primary_term is not None
        if self.action == "update" and upsert and conditional:
            found.append("upsert requests don't support `if_seq_no` and `if_primary_term`")
        if self.action == "update" and not {"doc", "upsert", "script"} & set(body):
            found.append("script or doc is missing")
        if (self.if_seq_no is None) != (self.if_primary_term is None):
            found.append("ifSeqNo is set, but primary term is [0]")
        return found


def write_document(cluster: Cluster, request: Write) -> WriteResult:
    """One document write with ES's checks, in ES's order: mapping, then concurrency."""
    index = cluster.write_index(request.target, create=request.action != "delete")
    try:
        return _write_to(cluster, index, request)
    except ESError as error:
        error.index = index.name
        raise


def _write_to(cluster: Cluster, index: StubIndex, request: Write) -> WriteResult:
    doc_id = request.doc_id or new_id("index") or ""
    current = index.docs.get(doc_id)
    if request.action == "delete":
        _check_seq_no(index, doc_id, current, request)
        version, seq_no, found = index.remove(doc_id)
        result = "deleted" if found else "not_found"
        return WriteResult(index, doc_id, result, version, seq_no, 200 if found else 404)
    if request.action == "update":
        return _update(cluster, index, doc_id, current, request)
    source = request.body if isinstance(request.body, dict) else {}
    _check_document(cluster, index, doc_id, source)
    if request.action == "create" and current is not None:
        raise _conflict(
            index,
            doc_id,
            f"document already exists (current version [{current._version}])",
        )
    _check_seq_no(index, doc_id, current, request)
    doc = index.store(doc_id, copy.deepcopy(source))
    created = current is None
    return WriteResult(
        index,
        doc_id,
        "created" if created else "updated",
        doc._version,
        doc._seq_no,
        201 if created else 200,
    )


def _update(
    cluster: Cluster, index: StubIndex, doc_id: str, current: StoredDoc | None, request: Write
) -> WriteResult:
    body = request.body or {}
    if "script" in body:
        raise bad_request("the ES stub does not run scripts: use doc / upsert")
    partial = body.get("doc") or {}
    if current is None:
        if "upsert" in body:
            source = body["upsert"]
        elif body.get("doc_as_upsert"):
            source = partial
        else:
            raise ESError(
                404,
                "document_missing_exception",
                f"[{doc_id}]: document missing",
                index_uuid=index.uuid,
                shard="0",
                index=index.name,
            )
        _check_document(cluster, index, doc_id, source)
        doc = index.store(doc_id, copy.deepcopy(source))
        return WriteResult(index, doc_id, "created", doc._version, doc._seq_no, 201)
    _check_seq_no(index, doc_id, current, request)
    merged = mapping.merge(current._source, partial)
    if merged == current._source and body.get("detect_noop", True):
        return WriteResult(index, doc_id, "noop", current._version, current._seq_no, 200)
    _check_document(cluster, index, doc_id, merged)
    doc = index.store(doc_id, merged)
    return WriteResult(index, doc_id, "updated", doc._version, doc._seq_no, 200)


def _check_document(
    cluster: Cluster, index: StubIndex, doc_id: str, source: dict[str, Any]
) -> None:
    grown = mapping.check_document(index.mappings, source, doc_id)
    reject = cluster.reject_documents
    rejection = reject(source) if reject else None
    if rejection is not None:
        status, error_type, reason = rejection
        raise ESError(status, error_type, reason)
    if grown is not None:
        index.mappings = grown


def _check_seq_no(index: StubIndex, doc_id: str, current: StoredDoc | None, request: Write) -> None:
    if request.if_seq_no is None and request.if_primary_term is None:
        return
    required = f"required seqNo [{request.if_seq_no}], primary term [{request.if_primary_term}]"
    if current is None:
        raise _conflict(index, doc_id, f"{required}. but no document was found")
    if (current._seq_no, current._primary_term) != (request.if_seq_no, request.if_primary_term):
        raise _conflict(
            index,
            doc_id,
            f"{required}. current document has seqNo [{current._seq_no}] and primary term "
            f"[{current._primary_term}]",
        )


def new_id(action: str) -> str | None:
    """An id like ES generates for an ``index``/``create`` without one (others need one)."""
    return secrets.token_urlsafe(15) if action in ("index", "create") else None


def _conflict(index: StubIndex, doc_id: str, detail: str) -> ESError:
    return ESError(
        409,
        "version_conflict_engine_exception",
        f"[{doc_id}]: version conflict, {detail}",
        index_uuid=index.uuid,
        shard="0",
        index=index.name,
    )
