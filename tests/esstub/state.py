"""The cluster's data: indices with their documents, aliases and index templates.

Everything a request changes goes through ``Cluster``, under one lock, so concurrent client
threads see ES's per-request atomicity (an ``_aliases`` call applies all its actions or none).
Document writes keep ES's bookkeeping (``_version``, ``_seq_no``, ``_primary_term``) because
the backend's optimistic concurrency relies on it. As in ES, document reads (GET, mget) are
real-time while searches see the documents as of the index's last refresh; the stub never
refreshes on its own (as if the refresh interval had not elapsed yet).
"""

from __future__ import annotations

import copy
import fnmatch
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.esstub import mapping
from tests.esstub.errors import ESError, bad_request, index_not_found, only, unsupported

Rejecter = Callable[[dict[str, Any]], "tuple[int, str, str] | None"]
"""Given a document about to be written: (status, error type, reason) to refuse it."""

PRIMARY_TERM = 1


@dataclass
class StoredDoc:
    _source: dict[str, Any]
    _seq_no: int
    _primary_term: int
    _version: int
    tokens: dict[str, list[list[str]]] = field(default_factory=dict, repr=False, compare=False)
    """Analyzed text per field name, filled by searches (a new write is a new StoredDoc)."""


@dataclass
class StubIndex:
    name: str
    mappings: dict[str, Any]
    aliases: dict[str, dict[str, Any]]
    """Alias name -> its properties as given (``{"is_write_index": True}`` or ``{}``)."""
    replicas: int = 1
    docs: dict[str, StoredDoc] = field(default_factory=dict)
    """Every document, in index order: a rewritten document moves to the end, as in Lucene."""
    searchable: dict[str, StoredDoc] = field(default_factory=dict)
    """The documents as of the last refresh: what searches and counts see."""
    uuid: str = field(default_factory=lambda: uuid.uuid4().hex[:22])
    next_seq_no: int = 0

    def shards(self) -> dict[str, int]:
        return {"total": 1 + self.replicas, "successful": 1, "failed": 0}

    def store(self, doc_id: str, source: dict[str, Any]) -> StoredDoc:
        previous = self.docs.pop(doc_id, None)
        version = previous._version if previous else 0
        doc = StoredDoc(source, self.next_seq_no, PRIMARY_TERM, version + 1)
        self.next_seq_no += 1
        self.docs[doc_id] = doc
        return doc

    def refresh(self) -> None:
        self.searchable = dict(self.docs)


class Cluster:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.indices: dict[str, StubIndex] = {}
        self.templates: dict[str, dict[str, Any]] = {}
        self.reject_documents: Rejecter | None = None

    # --- names -------------------------------------------------------------------------

    def alias_map(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for index in self.indices.values():
            for alias in index.aliases:
                found.setdefault(alias, []).append(index.name)
        return found

    def resolve(self, name: str) -> list[str]:
        """The concrete indices of an index or alias name."""
        if any(char in name for char in "*,") or name == "_all":
            raise unsupported(f"multi-target expression [{name}]")
        if name in self.indices:
            return [name]
        targets = self.alias_map().get(name)
        if targets is None:
            raise index_not_found(name)
        return targets

    def single_index(self, name: str) -> StubIndex:
        """The one index a single-document read addresses (an alias must have one index)."""
        names = self.resolve(name)
        if len(names) > 1:
            raise bad_request(
                f"alias [{name}] has more than one index associated with it "
                f"[{', '.join(names)}], can't execute a single index op"
            )
        return self.indices[names[0]]

    def write_index(self, name: str) -> StubIndex:
        """Where a write to ``name`` goes: the index or the alias's write index."""
        if name in self.indices:
            return self.indices[name]
        targets = self.alias_map().get(name)
        if targets is None:
            raise unsupported(f"creating the index [{name}] on the first write to it")
        flags = {t: self.indices[t].aliases[name].get("is_write_index") for t in targets}
        writers = [t for t, is_writer in flags.items() if is_writer]
        if not writers and len(targets) == 1 and flags[targets[0]] is not False:
            writers = targets
        if len(writers) != 1:
            raise bad_request(
                f"no write index is defined for alias [{name}]. The write index may be "
                "explicitly disabled using is_write_index=false or the alias points to multiple "
                "indices without one being designated as a write index"
            )
        return self.indices[writers[0]]

    # --- indices and templates ---------------------------------------------------------

    def create_index(self, name: str, body: dict[str, Any]) -> StubIndex:
        only(body, {"settings", "mappings", "aliases"}, "create index")
        if name in self.indices:
            existing = self.indices[name]
            raise ESError(
                400,
                "resource_already_exists_exception",
                f"index [{name}/{existing.uuid}] already exists",
                index_uuid=existing.uuid,
                index=name,
            )
        if name in self.alias_map():
            raise ESError(
                400,
                "invalid_index_name_exception",
                f"Invalid index name [{name}], already exists as alias",
                index_uuid="_na_",
                index=name,
            )
        template = self.matching_template(name).get("template", {})
        replicas = _replicas(body.get("settings"), _replicas(template.get("settings"), 1))
        index = StubIndex(
            name=name,
            mappings=mapping.merge(template.get("mappings", {}), body.get("mappings", {})),
            aliases={},
            replicas=replicas,
        )
        candidate = {**self._alias_state(), name: _alias_props(body.get("aliases", {}))}
        self._check_aliases(candidate)
        index.aliases = candidate[name]
        self.indices[name] = index
        return index

    def matching_template(self, index_name: str) -> dict[str, Any]:
        """The highest-priority template whose patterns match, or ``{}``."""
        matching = [
            body
            for body in self.templates.values()
            if any(fnmatch.fnmatchcase(index_name, p) for p in body["index_patterns"])
        ]
        return max(matching, key=lambda body: body.get("priority", 0), default={})

    def put_template(self, name: str, body: dict[str, Any]) -> None:
        only(body, {"index_patterns", "priority", "template", "_meta"}, "an index template")
        only(body.get("template", {}), {"settings", "mappings"}, "an index template's template")
        if "index_patterns" not in body:
            raise ESError(
                400,
                "action_request_validation_exception",
                "Validation Failed: 1: index patterns are missing;",
            )
        patterns = body["index_patterns"]
        self.templates[name] = {
            **copy.deepcopy(body),
            "index_patterns": [patterns] if isinstance(patterns, str) else list(patterns),
        }

    # --- aliases -----------------------------------------------------------------------

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        """Apply ``_aliases`` actions all together, or none when one of them fails."""
        state = self._alias_state()
        for entry in actions:
            if len(entry) != 1:
                raise bad_request("[aliases] each action must name exactly one action type")
            [(kind, spec)] = entry.items()
            only(spec, {"index", "alias", "is_write_index"}, f"an [{kind}] alias action")
            targets = self.resolve(spec["index"])
            alias = spec["alias"]
            props = {k: v for k, v in spec.items() if k == "is_write_index"}
            if kind == "add":
                for name in targets:
                    state[name][alias] = props
            elif kind == "remove":
                for name in targets:
                    if state[name].pop(alias, None) is None:
                        raise ESError(
                            404,
                            "aliases_not_found_exception",
                            f"aliases [{alias}] missing",
                            **{"resource.type": "aliases", "resource.id": alias},
                        )
            else:
                raise unsupported(f"the [{kind}] alias action")
        self._check_aliases(state)
        for name, kept in state.items():
            self.indices[name].aliases = kept

    def _alias_state(self) -> dict[str, dict[str, dict[str, Any]]]:
        return {name: copy.deepcopy(index.aliases) for name, index in self.indices.items()}

    def _check_aliases(self, state: dict[str, dict[str, dict[str, Any]]]) -> None:
        writers: dict[str, list[str]] = {}
        for index_name, aliases in state.items():
            for alias, props in aliases.items():
                if alias in state:
                    raise ESError(
                        400,
                        "invalid_alias_name_exception",
                        f"Invalid alias name [{alias}]: an index or data stream exists with the "
                        "same name as the alias",
                    )
                if props.get("is_write_index"):
                    writers.setdefault(alias, []).append(index_name)
        for alias, names in writers.items():
            if len(names) > 1:
                raise ESError(
                    500,
                    "illegal_state_exception",
                    f"alias [{alias}] has more than one write index [{','.join(names)}]",
                )


def _replicas(settings: dict[str, Any] | None, default: int) -> int:
    """``number_of_replicas`` in any of the three spellings ES accepts."""
    settings = settings or {}
    nested = settings.get("index", {})
    for value in (
        settings.get("number_of_replicas"),
        settings.get("index.number_of_replicas"),
        nested.get("number_of_replicas") if isinstance(nested, dict) else None,
    ):
        if value is not None:
            return int(value)
    return default


def _alias_props(requested: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Alias name -> properties: ``is_write_index`` when given (filters, routing: refused)."""
    kept: dict[str, dict[str, Any]] = {}
    for alias, props in requested.items():
        only(props, {"is_write_index"}, f"the alias [{alias}]")
        kept[alias] = dict(props)
    return kept
