"""Mappings: which fields a document may have, their types, and where their values live.

Documents are checked the way ES checks them on write (``dynamic: strict`` refuses unknown
fields, a ``long`` refuses words, a ``strict_date`` refuses a timestamp) and unknown fields of
dynamic mappings are added to the mapping, so what a search sees follows the mapping's types.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from tests.esstub import dates
from tests.esstub.errors import ESError

NUMERIC_TYPES = frozenset(
    {"long", "integer", "short", "byte", "unsigned_long", "double", "float", "half_float"}
    | {"scaled_float"}
)
INTEGER_TYPES = frozenset({"long", "integer", "short", "byte", "unsigned_long"})
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class Field:
    """A searchable field: a (possibly multi-) field's mapping and where its value sits."""

    name: str
    """As a query names it, e.g. ``title.keyword``."""
    path: tuple[str, ...]
    """Keys leading to the value in ``_source`` (a multi-field reads its parent's value)."""
    mapping: dict[str, Any]

    @property
    def type(self) -> str:
        return field_type(self.mapping)

    @property
    def analyzer(self) -> str:
        """The analyzer that built the index's tokens."""
        return str(self.mapping.get("analyzer", "standard"))

    @property
    def search_analyzer(self) -> str:
        return str(self.mapping.get("search_analyzer", self.analyzer))

    @property
    def date_format(self) -> str | None:
        return self.mapping.get("format")


def field_type(mapping: dict[str, Any]) -> str:
    return str(mapping.get("type", "object"))


def resolve(mappings: dict[str, Any], name: str) -> Field | None:
    """The field a query names, following object properties and multi-fields."""
    node: dict[str, Any] = mappings
    path: list[str] = []
    parts = name.split(".")
    for position, part in enumerate(parts):
        properties = node.get("properties", {})
        if part in properties:
            node = properties[part]
            path.append(part)
            continue
        if path and part in node.get("fields", {}) and position == len(parts) - 1:
            return Field(name, tuple(path), node["fields"][part])
        return None
    if field_type(node) == "object":
        return None
    return Field(name, tuple(path), node)


def leaf_fields(mappings: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[Field]:
    """Every searchable field, multi-fields included (what ``fields: ["*"]`` expands to)."""
    found: list[Field] = []
    for key, node in mappings.get("properties", {}).items():
        path = (*prefix, key)
        if field_type(node) in ("object", "nested"):
            if node.get("enabled", True):
                found.extend(leaf_fields(node, path))
            continue
        found.append(Field(".".join(path), path, node))
        for sub, sub_mapping in node.get("fields", {}).items():
            found.append(Field(".".join((*path, sub)), path, sub_mapping))
    return found


def source_values(source: Any, path: tuple[str, ...]) -> list[Any]:
    """The non-null values at ``path``, arrays (and arrays of objects) flattened."""
    if isinstance(source, list):
        return [value for item in source for value in source_values(item, path)]
    if not path:
        return [] if source is None else [source]
    if not isinstance(source, dict) or path[0] not in source:
        return []
    return source_values(source[path[0]], path[1:])


def indexed_values(field: Field, source: dict[str, Any]) -> list[Any]:
    """What the index holds for a non-text field: exact strings, numbers, dates as millis.

    Values ES would skip (``ignore_above``, unparsable ones) are not there either.
    """
    raw = source_values(source, field.path)
    kind = field.type
    if kind == "keyword":
        limit = field.mapping.get("ignore_above")
        strings = [as_keyword(value) for value in raw]
        return [text for text in strings if limit is None or len(text) <= limit]
    values: list[Any] = []
    for value in raw:
        try:
            values.append(coerce(field, value))
        except ValueError:
            continue
    return values


def as_keyword(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def coerce(field: Field, value: Any) -> Any:
    """A value (from a document or a query) as the field's type compares it; ValueError if not."""
    kind = field.type
    if kind in NUMERIC_TYPES:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(f"not a number: {value!r}")
        if isinstance(value, str) and not _NUMBER.fullmatch(value.strip()):
            raise ValueError(f"not a number: {value!r}")
        number = float(value)
        return int(number) if kind in INTEGER_TYPES else number
    if kind == "date":
        return dates.parse(value, field.date_format)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if value in ("true", "false", ""):
            return value == "true"
        raise ValueError(f"not a boolean: {value!r}")
    if kind in ("keyword", "text", "match_only_text", "wildcard", "constant_keyword"):
        if isinstance(value, dict | list):
            raise ValueError("not a concrete value")
        return as_keyword(value)
    return value


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Mappings (or settings) combined as templates and ``PUT _mapping`` combine them."""
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def check_update(current: dict[str, Any], update: dict[str, Any], prefix: str = "") -> None:
    """Refuse a mapping update that changes an existing field's type, as ES does."""
    for key, node in update.get("properties", {}).items():
        existing = current.get("properties", {}).get(key)
        if existing is None:
            continue
        name = f"{prefix}{key}"
        old, new = field_type(existing), field_type(node)
        if old != new:
            raise ESError(
                400,
                "illegal_argument_exception",
                f"mapper [{name}] cannot be changed from type [{old}] to [{new}]",
            )
        check_update(existing, node, f"{name}.")


def check_document(mappings: dict[str, Any], doc: dict[str, Any], doc_id: str) -> dict | None:
    """Validate a document against the mapping; the mapping grown by dynamic fields, if any.

    Raises the ESError ES answers for the item: ``strict_dynamic_mapping_exception`` for an
    unknown field under ``dynamic: strict``, ``mapper_parsing_exception`` for a bad value.
    """
    grown = copy.deepcopy(mappings)
    _check_object(grown, doc, doc_id, (), _dynamic(grown, "true"))
    return grown if grown != mappings else None


def _dynamic(node: dict[str, Any], inherited: str) -> str:
    value = node.get("dynamic", inherited)
    return str(value).lower()


def _check_object(
    node: dict[str, Any], doc: dict[str, Any], doc_id: str, path: tuple[str, ...], dynamic: str
) -> None:
    for key, value in doc.items():
        field_path = (*path, key)
        name = ".".join(field_path)
        mapping = node.get("properties", {}).get(key)
        if mapping is None:
            if dynamic == "strict":
                within = ".".join(path) or "_doc"
                raise ESError(
                    400,
                    "strict_dynamic_mapping_exception",
                    f"mapping set to strict, dynamic introduction of [{key}] within "
                    f"[{within}] is not allowed",
                )
            if dynamic != "true":
                continue
            mapping = _infer(value)
            if mapping is None:
                continue
            node.setdefault("properties", {})[key] = mapping
        _check_value(mapping, value, doc_id, field_path, name, dynamic)


def _check_value(
    mapping: dict[str, Any],
    value: Any,
    doc_id: str,
    path: tuple[str, ...],
    name: str,
    dynamic: str,
) -> None:
    kind = field_type(mapping)
    if value is None:
        return
    if kind in ("object", "nested"):
        if not mapping.get("enabled", True):
            return
        for item in value if isinstance(value, list) else [value]:
            if item is None:
                continue
            if not isinstance(item, dict):
                raise ESError(
                    400,
                    "mapper_parsing_exception",
                    f"object mapping for [{name}] tried to parse field [{path[-1]}] as object, "
                    "but found a concrete value",
                )
            _check_object(mapping, item, doc_id, path, _dynamic(mapping, dynamic))
        return
    if kind == "geo_point":
        return
    for item in value if isinstance(value, list) else [value]:
        if item is None:
            continue
        try:
            coerce(Field(name, path, mapping), item)
        except (ValueError, OverflowError) as error:
            raise ESError(
                400,
                "mapper_parsing_exception",
                f"failed to parse field [{name}] of type [{kind}] in document with id "
                f"'{doc_id}'. Preview of field's value: '{item}'",
                caused_by={"type": "illegal_argument_exception", "reason": str(error)},
            ) from None


def _infer(value: Any) -> dict[str, Any] | None:
    """The mapping ES's dynamic mapping gives a new field, from its first non-null value."""
    if isinstance(value, list):
        return next((m for m in map(_infer, value) if m is not None), None)
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "long"}
    if isinstance(value, float):
        return {"type": "float"}
    if isinstance(value, dict):
        return {"properties": {}}
    if isinstance(value, str):
        try:
            dates.parse(value, "strict_date_optional_time||yyyy/MM/dd HH:mm:ss")
        except ValueError:
            return {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}}
        return {"type": "date"}
    return None
