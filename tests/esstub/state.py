"""The cluster's data: indices with their documents, aliases and index templates.

Everything a request changes goes through ``Cluster``, under one lock, so concurrent client
threads see ES's per-request atomicity (an ``_aliases`` call applies all its actions or none).
Document writes keep ES's bookkeeping (``_version``, ``_seq_no``, ``_primary_term``) because
the backend's optimistic concurrency relies on it.
"""

from __future__ import annotations

import copy
import fnmatch
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.esstub import mapping, settings
from tests.esstub.errors import ESError, bad_request, index_not_found

Rejecter = Callable[[dict[str, Any]], "tuple[int, str, str] | None"]
"""Given a document about to be written: (status, error type, reason) to refuse it."""

PRIMARY_TERM = 1
_INVALID_NAME = re.compile(r'[\\/*?"<>| ,#:]')


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
    settings: dict[str, Any]
    """As ``GET /{index}`` shows them: ``{"index": {"number_of_shards": "1", ...}}``."""
    mappings: dict[str, Any]
    aliases: dict[str, dict[str, Any]]
    """Alias name -> its properties as given (``{"is_write_index": True}`` or ``{}``)."""
    docs: dict[str, StoredDoc] = field(default_factory=dict)
    """In index order: a rewritten document moves to the end, as in Lucene."""
    uuid: str = field(default_factory=lambda: uuid.uuid4().hex[:22])
    next_seq_no: int = 0
    deleted_versions: dict[str, int] = field(default_factory=dict)

    @property
    def replicas(self) -> int:
        return int(self.settings["index"].get("number_of_replicas", "1"))

    def shards(self, *, noop: bool = False) -> dict[str, int]:
        if noop:
            return {"total": 0, "successful": 0, "failed": 0}
        return {"total": 1 + self.replicas, "successful": 1, "failed": 0}

    def store(self, doc_id: str, source: dict[str, Any]) -> StoredDoc:
        previous = self.docs.pop(doc_id, None)
        version = previous._version if previous else self.deleted_versions.pop(doc_id, 0)
        doc = StoredDoc(source, self._take_seq_no(), PRIMARY_TERM, version + 1)
        self.docs[doc_id] = doc
        return doc

    def remove(self, doc_id: str) -> tuple[int, int, bool]:
        """Delete: (version, seq_no, found); a missing id still takes a seq_no, as in ES."""
        previous = self.docs.pop(doc_id, None)
        version = (previous._version if previous else self.deleted_versions.get(doc_id, 0)) + 1
        self.deleted_versions[doc_id] = version
        return version, self._take_seq_no(), previous is not None

    def _take_seq_no(self) -> int:
        self.next_seq_no += 1
        return self.next_seq_no - 1


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

    def resolve(self, expression: str | None, *, ignore_missing: bool = False) -> list[str]:
        """Concrete index names for a comma list of names, aliases, wildcards or ``_all``."""
        names: list[str] = []
        aliases = self.alias_map()
        for part in (expression or "_all").split(","):
            if part in ("_all", "*", ""):
                names.extend(self.indices)
            elif "*" in part or "?" in part:
                names.extend(n for n in self.indices if fnmatch.fnmatchcase(n, part))
                for alias, targets in aliases.items():
                    if fnmatch.fnmatchcase(alias, part):
                        names.extend(targets)
            elif part in self.indices:
                names.append(part)
            elif part in aliases:
                names.extend(aliases[part])
            elif not ignore_missing:
                raise index_not_found(part)
        return list(dict.fromkeys(names))

    def single_index(self, name: str) -> StubIndex:
        """The one index a single-document read addresses (an alias must have one index)."""
        names = self.resolve(name)
        if len(names) > 1:
            raise bad_request(
                f"alias [{name}] has more than one index associated with it "
                f"[{', '.join(names)}], can't execute a single index op"
            )
        return self.indices[names[0]]

    def write_index(self, name: str, *, create: bool = True) -> StubIndex:
        """Where a write to ``name`` goes: the index, the alias's write index, or a new index."""
        if name in self.indices:
            return self.indices[name]
        targets = self.alias_map().get(name)
        if targets is None:
            if not create:
                raise index_not_found(name)
            return self.create_index(name, {})
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
        _check_index_name(name)
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
        flat = {**settings.DEFAULTS, **settings.flatten(template.get("settings"))}
        flat.update(settings.flatten(body.get("settings")))
        index = StubIndex(
            name=name,
            settings={},
            mappings=mapping.merge(template.get("mappings", {}), body.get("mappings", {})),
            aliases={},
        )
        flat.update(
            {
                "index.uuid": index.uuid,
                "index.provided_name": name,
                "index.creation_date": str(int(time.time() * 1000)),
                "index.version.created": "8521000",
            }
        )
        index.settings = settings.nest(flat)
        requested = {**template.get("aliases", {}), **body.get("aliases", {})}
        candidate = {**self._alias_state(), name: _alias_props(requested)}
        self._check_aliases(candidate)
        index.aliases = candidate[name]
        self.indices[name] = index
        return index

    def delete_index(self, expression: str) -> None:
        for part in expression.split(","):
            if "*" in part or part == "_all":
                raise bad_request("Wildcard expressions or all indices are not allowed")
            if part not in self.indices and part in self.alias_map():
                raise bad_request(
                    f"The provided expression [{part}] matches an alias, specify the "
                    "corresponding concrete indices instead."
                )
        for name in self.resolve(expression):
            del self.indices[name]

    def matching_template(self, index_name: str) -> dict[str, Any]:
        """The highest-priority template whose patterns match, or ``{}``."""
        matching = [
            body
            for body in self.templates.values()
            if any(fnmatch.fnmatchcase(index_name, p) for p in _patterns(body))
        ]
        return max(matching, key=lambda body: body.get("priority", 0), default={})

    def put_template(self, name: str, body: dict[str, Any], *, create: bool = False) -> None:
        if "index_patterns" not in body:
            raise ESError(
                400,
                "action_request_validation_exception",
                "Validation Failed: 1: index patterns are missing;",
            )
        if create and name in self.templates:
            raise bad_request(f"index template [{name}] already exists")
        for other, existing in self.templates.items():
            if other == name or existing.get("priority", 0) != body.get("priority", 0):
                continue
            if _overlap(_patterns(existing), _patterns(body)):
                raise bad_request(
                    f"index template [{name}] has index patterns {_patterns(body)} matching "
                    f"patterns from existing templates [{other}] with patterns ({other} => "
                    f"{_patterns(existing)}) that have the same priority "
                    f"[{body.get('priority', 0)}], multiple index templates may not match "
                    "during index creation, please use a different priority"
                )
        self.templates[name] = copy.deepcopy(body)

    def put_mapping(self, expression: str, update: dict[str, Any]) -> None:
        targets = [self.indices[name] for name in self.resolve(expression)]
        for index in targets:
            mapping.check_update(index.mappings, update)
        for index in targets:
            index.mappings = mapping.merge(index.mappings, update)

    def put_settings(self, expression: str, body: dict[str, Any]) -> None:
        flat = settings.flatten(body)
        static = sorted(set(flat) & settings.STATIC)
        targets = [self.indices[name] for name in self.resolve(expression)]
        if static and targets:
            opened = ", ".join(f"[{t.name}/{t.uuid}]" for t in targets)
            raise bad_request(
                f"Can't update non dynamic settings [[{', '.join(static)}]] for open indices "
                f"[{opened}]"
            )
        for index in targets:
            current = settings.flatten(index.settings)
            current.update(flat)
            index.settings = settings.nest({k: v for k, v in current.items() if v is not None})

    # --- aliases -----------------------------------------------------------------------

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        """Apply ``_aliases`` actions all together, or none when one of them fails."""
        state = self._alias_state()
        removed: list[str] = []
        for entry in actions:
            if len(entry) != 1:
                raise bad_request("[aliases] each action must name exactly one action type")
            [(kind, spec)] = entry.items()
            indices = self._action_indices(spec, concrete=kind == "remove_index")
            if kind == "remove_index":
                removed.extend(indices)
                continue
            aliases = _listed(spec, "alias", "aliases")
            if kind == "add":
                props = _alias_props(dict.fromkeys(aliases, spec))
                for name in indices:
                    state[name].update(copy.deepcopy(props))
            elif kind == "remove":
                for name in indices:
                    for pattern in aliases:
                        matched = [a for a in state[name] if fnmatch.fnmatchcase(a, pattern)]
                        if not matched and spec.get("must_exist", True) is not False:
                            raise ESError(
                                404,
                                "aliases_not_found_exception",
                                f"aliases [{pattern}] missing",
                                **_resource("aliases", pattern),
                            )
                        for alias in matched:
                            del state[name][alias]
            else:
                raise bad_request(f"[aliases] unknown action [{kind}]")
        for name in removed:
            state.pop(name, None)
        self._check_aliases(state)
        for name in removed:
            self.indices.pop(name, None)
        for name, kept in state.items():
            self.indices[name].aliases = kept

    def _alias_state(self) -> dict[str, dict[str, dict[str, Any]]]:
        return {name: copy.deepcopy(index.aliases) for name, index in self.indices.items()}

    def _action_indices(self, spec: dict[str, Any], *, concrete: bool) -> list[str]:
        names: list[str] = []
        for expression in _listed(spec, "index", "indices"):
            if concrete and expression not in self.indices and expression in self.alias_map():
                raise bad_request(
                    f"The provided expression [{expression}] matches an alias, specify the "
                    "corresponding concrete indices instead."
                )
            found = self.resolve(expression)
            if not found:
                raise index_not_found(expression)
            names.extend(found)
        return names

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


def _resource(kind: str, name: str) -> dict[str, Any]:
    return {"resource.type": kind, "resource.id": name}


def _check_index_name(name: str) -> None:
    problem = None
    if name != name.lower():
        problem = "must be lowercase"
    elif _INVALID_NAME.search(name):
        problem = 'must not contain the following characters [\\, /, *, ?, ", <, >, |, " ", ",", #]'
    elif name[:1] in ("_", "-", "+"):
        problem = "must not start with '_', '-', or '+'"
    elif name in (".", "..") or not name:
        problem = "must not be '.' or '..'"
    if problem:
        raise ESError(
            400,
            "invalid_index_name_exception",
            f"Invalid index name [{name}], {problem}",
            index_uuid="_na_",
            index=name,
        )


def _patterns(template: dict[str, Any]) -> list[str]:
    patterns = template.get("index_patterns", [])
    return [patterns] if isinstance(patterns, str) else list(patterns)


def _overlap(first: list[str], second: list[str]) -> bool:
    return any(
        fnmatch.fnmatchcase(a, b) or fnmatch.fnmatchcase(b, a) for a in first for b in second
    )


def _listed(spec: dict[str, Any], one: str, many: str) -> list[str]:
    values = spec.get(many, spec.get(one, []))
    return [values] if isinstance(values, str) else list(values)


def _alias_props(requested: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Alias properties kept by the stub: ``is_write_index`` and ``is_hidden`` when given."""
    kept = ("is_write_index", "is_hidden")
    return {
        alias: {key: props[key] for key in kept if key in props}
        for alias, props in requested.items()
    }
