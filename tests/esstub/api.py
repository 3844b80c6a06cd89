"""The REST endpoints: method and path to an operation on the cluster, answered like ES.

Only the endpoints listed here exist; any other request gets a 400 naming the path, so a
backend calling an API the stub lacks fails loudly instead of passing by accident.
"""

from __future__ import annotations

import copy
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from tests.esstub import bulk, by_query, settings
from tests.esstub.errors import ESError, bad_request, index_not_found
from tests.esstub.search import Searcher, filter_source
from tests.esstub.state import Cluster, StubIndex
from tests.esstub.writes import Write, write_document

VERSION = "8.19.0"
_INDEX = r"(?P<index>[^/_][^/]*|_all)"
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
    raw: bytes
    args: dict[str, str]
    """Path parts (index, name, id), percent-decoded."""

    @property
    def body(self) -> dict[str, Any]:
        return self.json if isinstance(self.json, dict) else {}


Handler = Callable[["Api", Call], Reply]
_ROUTES: list[tuple[frozenset[str], re.Pattern[str], str]] = []


def _route(methods: str, pattern: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        compiled = re.compile(pattern.replace("{index}", _INDEX).replace("{name}", _NAME))
        _ROUTES.append((frozenset(methods.split("|")), compiled, handler.__name__))
        return handler

    return register


def _ok(body: Any = None, status: int = 200) -> Reply:
    return Reply(status, {"acknowledged": True} if body is None else body)


class Api:
    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.searcher = Searcher(cluster)

    def handle(self, call: Call) -> Reply:
        for methods, pattern, name in _ROUTES:
            match = pattern.fullmatch(call.path)
            if match and call.method in methods:
                call.args = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
                with self.cluster.lock:
                    return getattr(self, name)(call)
        raise bad_request(
            f"no handler found for uri [{call.path}] and method [{call.method}] "
            "(not implemented by the ES stub)"
        )

    # --- cluster -----------------------------------------------------------------------

    @_route("GET|HEAD", r"/")
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

    @_route("GET", r"/_cluster/health(?:/{index})?")
    def health(self, call: Call) -> Reply:
        """A one-node cluster: yellow while any index wants replicas it cannot place."""
        indices = [self.cluster.indices[n] for n in self.cluster.resolve(call.args.get("index"))]
        status = "yellow" if any(index.replicas for index in indices) else "green"
        wanted = call.params.get("wait_for_status")
        timed_out = wanted == "green" and status != "green"
        body = {
            "cluster_name": "esstub",
            "status": status,
            "timed_out": timed_out,
            "number_of_nodes": 1,
            "number_of_data_nodes": 1,
            "active_primary_shards": len(indices),
            "active_shards": len(indices),
            "relocating_shards": 0,
            "initializing_shards": 0,
            "unassigned_shards": sum(index.replicas for index in indices),
            "delayed_unassigned_shards": 0,
            "number_of_pending_tasks": 0,
            "number_of_in_flight_fetch": 0,
            "task_max_waiting_in_queue_millis": 0,
            "active_shards_percent_as_number": 100.0,
        }
        return Reply(408 if timed_out else 200, body)

    # --- index templates ---------------------------------------------------------------

    @_route("PUT|POST", r"/_index_template/{name}")
    def template_put(self, call: Call) -> Reply:
        create = call.params.get("create") == "true"
        self.cluster.put_template(call.args["name"], call.body, create=create)
        return _ok()

    @_route("GET|HEAD", r"/_index_template(?:/{name})?")
    def template_get(self, call: Call) -> Reply:
        pattern = call.args.get("name", "*")
        names = [
            n
            for n in self.cluster.templates
            if any(fnmatch.fnmatchcase(n, p) for p in pattern.split(","))
        ]
        if not names and "name" in call.args:
            raise ESError(
                404,
                "resource_not_found_exception",
                f"index template matching [{pattern}] not found",
            )
        listed = [
            {"name": n, "index_template": _template_view(self.cluster.templates[n])} for n in names
        ]
        return Reply(200, {"index_templates": listed})

    @_route("DELETE", r"/_index_template/{name}")
    def template_delete(self, call: Call) -> Reply:
        name = call.args["name"]
        if self.cluster.templates.pop(name, None) is None:
            raise ESError(404, "resource_not_found_exception", f"index_template [{name}] missing")
        return _ok()

    # --- aliases -----------------------------------------------------------------------

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
        return _ok({"acknowledged": True, "errors": False})

    @_route("GET|HEAD", r"(?:/{index})?/_alias(?:es)?(?:/{name})?")
    def alias_get(self, call: Call) -> Reply:
        names = self.cluster.resolve(call.args.get("index"))
        wanted = call.args.get("name")
        found: dict[str, Any] = {}
        for name in names:
            aliases = self.cluster.indices[name].aliases
            if wanted is not None:
                aliases = {
                    a: p
                    for a, p in aliases.items()
                    if any(fnmatch.fnmatchcase(a, w) for w in wanted.split(","))
                }
                if not aliases:
                    continue
            found[name] = {"aliases": copy.deepcopy(aliases)}
        if wanted is not None and not found:
            return Reply(404, {"error": f"alias [{wanted}] missing", "status": 404})
        return Reply(200, found)

    @_route("PUT|POST", r"/{index}/_alias(?:es)?/{name}")
    def alias_put(self, call: Call) -> Reply:
        spec = {**call.body, "index": call.args["index"], "alias": call.args["name"]}
        self.cluster.update_aliases([{"add": spec}])
        return _ok()

    @_route("DELETE", r"/{index}/_alias(?:es)?/{name}")
    def alias_delete(self, call: Call) -> Reply:
        self.cluster.update_aliases(
            [{"remove": {"index": call.args["index"], "alias": call.args["name"]}}]
        )
        return _ok()

    # --- documents ---------------------------------------------------------------------

    @_route("POST|PUT", r"(?:/{index})?/_bulk")
    def bulk(self, call: Call) -> Reply:
        lines = call.ndjson if call.ndjson is not None else bulk.parse_lines(call.raw)
        writes = bulk.plan(lines, call.args.get("index"))
        return Reply(200, bulk.execute(self.cluster, writes))

    @_route("GET|POST", r"(?:/{index})?/_mget")
    def mget(self, call: Call) -> Reply:
        default = call.args.get("index")
        if "ids" in call.body:
            wanted = [{"_index": default, "_id": doc_id} for doc_id in call.body["ids"]]
        else:
            wanted = [{"_index": default, **entry} for entry in call.body.get("docs", [])]
        docs = []
        for entry in wanted:
            if entry.get("_index") is None:
                raise ESError(
                    400,
                    "action_request_validation_exception",
                    "Validation Failed: 1: index is missing for doc 0;",
                )
            try:
                index = self.cluster.single_index(entry["_index"])
            except ESError as error:
                docs.append(
                    {"_index": entry["_index"], "_id": entry["_id"], "error": error.body()["error"]}
                )
                continue
            docs.append(_doc_view(index, str(entry["_id"]), call.params, entry.get("_source")))
        return Reply(200, {"docs": docs})

    @_route("GET|HEAD", r"/{index}/_doc/(?P<id>[^/]+)")
    def doc_get(self, call: Call) -> Reply:
        index = self.cluster.single_index(call.args["index"])
        view = _doc_view(index, call.args["id"], call.params)
        return Reply(200 if view["found"] else 404, view)

    @_route("GET|HEAD", r"/{index}/_source/(?P<id>[^/]+)")
    def source_get(self, call: Call) -> Reply:
        index = self.cluster.single_index(call.args["index"])
        view = _doc_view(index, call.args["id"], call.params)
        if not view["found"]:
            raise ESError(
                404,
                "resource_not_found_exception",
                f"Document not found [{index.name}]/[{call.args['id']}]",
            )
        return Reply(200, view.get("_source", {}))

    @_route("PUT|POST", r"/{index}/_doc(?:/(?P<id>[^/]+))?")
    def doc_index(self, call: Call) -> Reply:
        if call.method == "PUT" and "id" not in call.args:
            raise bad_request("PUT /{index}/_doc needs a document id")
        action = "create" if call.params.get("op_type") == "create" else "index"
        return self._write(call, action)

    @_route("PUT|POST", r"/{index}/_create/(?P<id>[^/]+)")
    def doc_create(self, call: Call) -> Reply:
        return self._write(call, "create")

    @_route("POST", r"/{index}/_update/(?P<id>[^/]+)")
    def doc_update(self, call: Call) -> Reply:
        return self._write(call, "update")

    @_route("DELETE", r"/{index}/_doc/(?P<id>[^/]+)")
    def doc_delete(self, call: Call) -> Reply:
        return self._write(call, "delete")

    def _write(self, call: Call, action: str) -> Reply:
        write = Write(
            action=action,
            target=call.args["index"],
            doc_id=call.args.get("id"),
            body=call.body if action != "delete" else None,
            if_seq_no=_int(call.params.get("if_seq_no")),
            if_primary_term=_int(call.params.get("if_primary_term")),
        )
        problems = write.problems()
        if problems:
            numbered = "".join(f"{n}: {p};" for n, p in enumerate(problems, start=1))
            raise ESError(
                400, "action_request_validation_exception", f"Validation Failed: {numbered}"
            )
        result = write_document(self.cluster, write)
        return Reply(result.status, result.body())

    # --- search ------------------------------------------------------------------------

    @_route("GET|POST", r"/_search/scroll(?:/(?P<id>[^/]+))?")
    def scroll(self, call: Call) -> Reply:
        scroll_id = call.args.get("id") or call.body.get("scroll_id") or call.params["scroll_id"]
        return Reply(200, self.searcher.scroll(scroll_id))

    @_route("DELETE", r"/_search/scroll(?:/(?P<id>[^/]+))?")
    def clear_scroll(self, call: Call) -> Reply:
        ids = call.args.get("id") or call.body.get("scroll_id", [])
        listed = ids.split(",") if isinstance(ids, str) else list(ids)
        return Reply(200, self.searcher.clear_scroll(listed))

    @_route("GET|POST", r"(?:/{index})?/_search")
    def search(self, call: Call) -> Reply:
        return Reply(200, self.searcher.search(call.args.get("index"), call.body, call.params))

    @_route("GET|POST", r"(?:/{index})?/_count")
    def count(self, call: Call) -> Reply:
        return Reply(200, self.searcher.count(call.args.get("index"), call.body, call.params))

    @_route("POST", r"/{index}/_pit")
    def open_pit(self, call: Call) -> Reply:
        return Reply(200, self.searcher.open_pit(call.args["index"], call.params))

    @_route("DELETE", r"/_pit")
    def close_pit(self, call: Call) -> Reply:
        return Reply(200, self.searcher.close_pit(str(call.body.get("id", ""))))

    @_route("POST", r"/_reindex")
    def reindex(self, call: Call) -> Reply:
        status, body = by_query.reindex(self.cluster, self.searcher, call.body)
        return Reply(status, body)

    @_route("POST", r"/{index}/_delete_by_query")
    def delete_by_query(self, call: Call) -> Reply:
        body = by_query.delete_by_query(self.searcher, call.args["index"], call.body, call.params)
        return Reply(200, body)

    @_route("GET|POST", r"(?:/{index})?/_refresh")
    def refresh(self, call: Call) -> Reply:
        names = self.cluster.resolve(call.args.get("index"))
        total = sum(1 + self.cluster.indices[n].replicas for n in names)
        return Reply(200, {"_shards": {"total": total, "successful": len(names), "failed": 0}})

    # --- indices -----------------------------------------------------------------------

    @_route("GET", r"(?:/{index})?/_mapping")
    def mapping_get(self, call: Call) -> Reply:
        return Reply(
            200,
            {
                index.name: {"mappings": copy.deepcopy(index.mappings)}
                for index in self._indices(call)
            },
        )

    @_route("PUT|POST", r"/{index}/_mapping")
    def mapping_put(self, call: Call) -> Reply:
        self.cluster.put_mapping(call.args["index"], call.body)
        return _ok()

    @_route("GET", r"(?:/{index})?/_settings")
    def settings_get(self, call: Call) -> Reply:
        return Reply(
            200,
            {
                index.name: {"settings": copy.deepcopy(index.settings)}
                for index in self._indices(call)
            },
        )

    @_route("PUT", r"/{index}/_settings")
    def settings_put(self, call: Call) -> Reply:
        self.cluster.put_settings(call.args["index"], call.body)
        return _ok()

    @_route("PUT", r"/{index}")
    def index_create(self, call: Call) -> Reply:
        name = call.args["index"]
        self.cluster.create_index(name, call.body)
        return _ok({"acknowledged": True, "shards_acknowledged": True, "index": name})

    @_route("GET|HEAD", r"/{index}")
    def index_get(self, call: Call) -> Reply:
        return Reply(
            200,
            {
                index.name: {
                    "aliases": copy.deepcopy(index.aliases),
                    "mappings": copy.deepcopy(index.mappings),
                    "settings": copy.deepcopy(index.settings),
                }
                for index in self._indices(call)
            },
        )

    @_route("DELETE", r"/{index}")
    def index_delete(self, call: Call) -> Reply:
        self.cluster.delete_index(call.args["index"])
        return _ok()

    def _indices(self, call: Call) -> list[StubIndex]:
        expression = call.args.get("index")
        names = self.cluster.resolve(expression)
        if expression and not names and "*" not in expression:
            raise index_not_found(expression)
        return [self.cluster.indices[name] for name in names]


def _doc_view(
    index: StubIndex, doc_id: str, params: dict[str, str], source_spec: Any = None
) -> dict[str, Any]:
    doc = index.docs.get(doc_id)
    if doc is None:
        return {"_index": index.name, "_id": doc_id, "found": False}
    view: dict[str, Any] = {
        "_index": index.name,
        "_id": doc_id,
        "_version": doc._version,
        "_seq_no": doc._seq_no,
        "_primary_term": doc._primary_term,
        "found": True,
    }
    spec = params.get("_source", source_spec)
    if spec in (False, "false"):
        return view
    includes = _split(params.get("_source_includes"))
    if isinstance(spec, str) and spec != "true":
        includes = _split(spec)
    elif isinstance(spec, list):
        includes = spec
    excludes = _split(params.get("_source_excludes"))
    view["_source"] = filter_source(doc._source, includes, excludes)
    return view


def _template_view(body: dict[str, Any]) -> dict[str, Any]:
    """A template as ``GET _index_template`` shows it: settings nested, values as strings."""
    view = copy.deepcopy(body)
    patterns = view.get("index_patterns", [])
    view["index_patterns"] = [patterns] if isinstance(patterns, str) else patterns
    template = view.get("template", {})
    if "settings" in template:
        template["settings"] = settings.nest(settings.flatten(template["settings"]))
    view.setdefault("composed_of", [])
    return view


def _split(value: str | None) -> list[str]:
    return value.split(",") if value else []


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)
