"""The REST endpoints: method and path to an operation on the cluster, answered like ES.

Only what the backend (``search.backends.elasticsearch``, ``search.es.setup``) calls exists:

    GET /                          info             PUT  /_bulk                 bulk writes
    PUT /_index_template/{name}    put a template   POST /{index}/_mget         read documents
    HEAD|PUT /{index}              exists, create   GET  /{index}/_doc/{id}     read one
    GET|HEAD /_alias/{name}        get, exists      POST /{index}/_search       search
    POST /_aliases                 swap aliases     POST /{index}/_count        count
    POST /_reindex                 copy (migrate)   POST /{index}/_refresh      refresh

Any other request gets a 400 naming the path, and a query parameter the stub does not read
gets a 400 naming it, so a backend calling what the stub lacks fails loudly instead of passing
by accident.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from tests.esstub import search, writes
from tests.esstub.errors import ESError, bad_request, only
from tests.esstub.state import Cluster, StubIndex

VERSION = "8.19.0"
_INDEX = r"(?P<index>[^/_][^/]*)"
_NAME = r"(?P<name>[^/]+)"


@dataclass
class Reply:
    status: int
    body: Any = None


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, str]
    json: Any
    ndjson: list[Any] | None
    args: dict[str, str]
    """Path parts (index, name, id), percent-decoded."""

    @property
    def body(self) -> dict[str, Any]:
        return self.json if isinstance(self.json, dict) else {}


Handler = Callable[["Api", Call], Reply]
_ROUTES: list[tuple[frozenset[str], re.Pattern[str], frozenset[str], str]] = []


def _route(methods: str, pattern: str, params: str = "") -> Callable[[Handler], Handler]:
    """Register a handler for ``methods`` on ``pattern``, taking the query ``params`` listed."""

    def register(handler: Handler) -> Handler:
        compiled = re.compile(pattern.replace("{index}", _INDEX).replace("{name}", _NAME))
        allowed = frozenset(params.split())
        _ROUTES.append((frozenset(methods.split("|")), compiled, allowed, handler.__name__))
        return handler

    return register


class Api:
    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    def handle(self, call: Call) -> Reply:
        for methods, pattern, params, name in _ROUTES:
            match = pattern.fullmatch(call.path)
            if match and call.method in methods:
                only(call.params, set(params), f"{call.method} {call.path}")
                call.args = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
                with self.cluster.lock:
                    return getattr(self, name)(call)
        raise bad_request(
            f"no handler found for uri [{call.path}] and method [{call.method}] "
            "(not implemented by the ES stub)"
        )

    @_route("GET", r"/")
    def info(self, _call: Call) -> Reply:
        return Reply(
            200,
            {
                "name": "esstub",
                "cluster_name": "esstub",
                "cluster_uuid": "esstub-cluster-uuid-0000",
                "version": {
                    "number": VERSION,
                    "build_flavor": "default",
                    "build_type": "docker",
                    "build_hash": "0000000000000000000000000000000000000000",
                    "build_date": "2025-01-01T00:00:00.000000000Z",
                    "build_snapshot": False,
                    "lucene_version": "9.12.2",
                    "minimum_wire_compatibility_version": "7.17.0",
                    "minimum_index_compatibility_version": "7.0.0",
                },
                "tagline": "You Know, for Search",
            },
        )

    # --- templates, indices, aliases ---------------------------------------------------

    @_route("PUT", r"/_index_template/{name}")
    def template_put(self, call: Call) -> Reply:
        self.cluster.put_template(call.args["name"], call.body)
        return Reply(200, {"acknowledged": True})

    @_route("HEAD", r"/{index}")
    def index_exists(self, call: Call) -> Reply:
        name = call.args["index"]
        return Reply(
            200 if name in self.cluster.indices or name in self.cluster.alias_map() else 404
        )

    @_route("PUT", r"/{index}")
    def index_create(self, call: Call) -> Reply:
        name = call.args["index"]
        self.cluster.create_index(name, call.body)
        return Reply(200, {"acknowledged": True, "shards_acknowledged": True, "index": name})

    @_route("GET|HEAD", r"/_alias/{name}")
    def alias_get(self, call: Call) -> Reply:
        wanted = call.args["name"]
        found = {
            index.name: {"aliases": {wanted: copy.deepcopy(index.aliases[wanted])}}
            for index in self.cluster.indices.values()
            if wanted in index.aliases
        }
        if not found:
            return Reply(404, {"error": f"alias [{wanted}] missing", "status": 404})
        return Reply(200, found)

    @_route("POST", r"/_aliases")
    def aliases_update(self, call: Call) -> Reply:
        actions = call.body.get("actions")
        if not isinstance(actions, list) or not actions:
            raise ESError(
                400,
                "action_request_validation_exception",
                "Validation Failed: 1: no alias actions;",
            )
        self.cluster.update_aliases(actions)
        return Reply(200, {"acknowledged": True, "errors": False})

    # --- documents ---------------------------------------------------------------------

    @_route("PUT|POST", r"/_bulk")
    def bulk(self, call: Call) -> Reply:
        if call.ndjson is None:
            raise bad_request("request body is required")
        return Reply(200, writes.bulk(self.cluster, writes.plan(call.ndjson)))

    @_route("GET|POST", r"/{index}/_mget", "_source_includes")
    def mget(self, call: Call) -> Reply:
        """Each document on its own: a missing index fails the document, not the request."""
        only(call.body, {"ids"}, "an _mget body")
        if not call.body.get("ids"):
            raise ESError(
                400,
                "action_request_validation_exception",
                "Validation Failed: 1: no documents to get;",
            )
        includes = call.params.get("_source_includes")
        wanted = includes.split(",") if includes else None
        name = call.args["index"]
        docs = []
        for doc_id in map(str, call.body["ids"]):
            try:
                index = self.cluster.single_index(name)
            except ESError as error:
                docs.append({"_index": name, "_id": doc_id, "error": error.body()["error"]})
                continue
            docs.append(_doc_view(index, doc_id, wanted))
        return Reply(200, {"docs": docs})

    @_route("GET", r"/{index}/_doc/(?P<id>[^/]+)")
    def doc_get(self, call: Call) -> Reply:
        view = _doc_view(self.cluster.single_index(call.args["index"]), call.args["id"], None)
        return Reply(200 if view["found"] else 404, view)

    @_route("POST", r"/_reindex", "refresh wait_for_completion")
    def reindex(self, call: Call) -> Reply:
        return Reply(*writes.reindex(self.cluster, call.body, call.params))

    # --- search ------------------------------------------------------------------------

    @_route("GET|POST", r"/{index}/_search")
    def search(self, call: Call) -> Reply:
        return Reply(200, search.search(self.cluster, call.args["index"], call.body))

    @_route("GET|POST", r"/{index}/_count")
    def count(self, call: Call) -> Reply:
        return Reply(200, search.count(self.cluster, call.args["index"], call.body))

    @_route("GET|POST", r"/{index}/_refresh")
    def refresh(self, call: Call) -> Reply:
        names = self.cluster.resolve(call.args["index"])
        for name in names:
            self.cluster.indices[name].refresh()
        total = sum(1 + self.cluster.indices[n].replicas for n in names)
        return Reply(200, {"_shards": {"total": total, "successful": len(names), "failed": 0}})


def _doc_view(index: StubIndex, doc_id: str, includes: list[str] | None) -> dict[str, Any]:
    """A document as GET and mget show it, its ``_source`` cut to ``includes`` (top-level)."""
    doc = index.docs.get(doc_id)
    if doc is None:
        return {"_index": index.name, "_id": doc_id, "found": False}
    source = doc._source
    if includes is not None:
        if any("*" in name or "." in name for name in includes):
            raise bad_request("_source_includes patterns (not implemented by the ES stub)")
        source = {key: value for key, value in source.items() if key in includes}
    return {
        "_index": index.name,
        "_id": doc_id,
        "_version": doc._version,
        "_seq_no": doc._seq_no,
        "_primary_term": doc._primary_term,
        "found": True,
        "_source": source,
    }
