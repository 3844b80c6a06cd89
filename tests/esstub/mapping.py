"""Mappings: which fields a document may have, their types, and where their values live.

Documents are checked the way ES checks them on write: ``dynamic: strict`` refuses unknown
fields, a ``long`` refuses words, a ``strict_date`` refuses a timestamp. The field types are
those of the backend's mapping (``keyword``, ``text`` with a ``keyword`` multi-field, ``long``,
``integer``, ``boolean``, ``date``, ``geo_point``, an ``object`` with properties or disabled);
dynamic mapping is not modelled.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from tests.esstub import dates
from tests.esstub.errors import ESError, unsupported

INTEGER_TYPES = frozenset({"long", "integer"})
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
        return str(self.mapping.get("type", "object"))

    @property
    def analyzer(self) -> str:
        return str(self.mapping.get("analyzer", "standard"))


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
    field = Field(name, tuple(path), node)
    return None if field.type == "object" else field


def source_values(source: Any, path: tuple[str, ...]) -> list[Any]:
    """The non-null values at ``path``, arrays flattened."""
    if isinstance(source, list):
        return [value for item in source for value in source_values(item, path)]
    if not path:
        return [] if source is None else [source]
    if not isinstance(source, dict) or path[0] not in source:
        return []
    return source_values(source[path[0]], path[1:])


def indexed_values(field: Field, source: dict[str, Any]) -> list[Any]:
    """What the index holds for a non-text field: exact strings, numbers, dates as millis.

    Values ES would skip (beyond ``ignore_above``) are not there either.
    """
    raw = source_values(source, field.path)
    if field.type == "keyword":
        limit = field.mapping.get("ignore_above")
        return [str(v) for v in raw if limit is None or len(str(v)) <= limit]
    return [coerce(field, value) for value in raw]


def coerce(field: Field, value: Any) -> Any:
    """A value (from a document or a query) as the field's type compares it; ValueError if not."""
    kind = field.type
    if kind in INTEGER_TYPES:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(f"not a number: {value!r}")
        if isinstance(value, str) and not _NUMBER.fullmatch(value.strip()):
            raise ValueError(f"not a number: {value!r}")
        return int(float(value))
    if kind == "date":
        return dates.parse(value, field.mapping.get("format"))
    if kind == "boolean":
        if value in (True, "true"):
            return True
        if value in (False, "false", ""):
            return False
        raise ValueError(f"Failed to parse value [{value}] as only [true] or [false] are allowed.")
    if kind in ("keyword", "text"):
        if isinstance(value, dict | list):
            raise ValueError("not a concrete value")
        return str(value)
    raise unsupported(f"field type [{kind}] of [{field.name}]")


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Mappings combined as an index template and a create request combine them."""
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def check_document(mappings: dict[str, Any], doc: dict[str, Any], doc_id: str) -> None:
    """Raise the ESError ES answers for a document its mapping refuses.

    ``strict_dynamic_mapping_exception`` for an unknown field under ``dynamic: strict``,
    ``mapper_parsing_exception`` for a value its field's type cannot read.
    """
    _check_object(mappings, doc, doc_id, "", str(mappings.get("dynamic", "true")).lower())


def _check_object(
    mappings: dict[str, Any], doc: dict[str, Any], doc_id: str, prefix: str, dynamic: str
) -> None:
    """An object's fields; ``dynamic`` is inherited from the enclosing object, as in ES."""
    dynamic = str(mappings.get("dynamic", dynamic)).lower()
    properties = mappings.get("properties", {})
    for key, value in doc.items():
        mapping = properties.get(key)
        if mapping is None:
            if dynamic != "strict":
                raise unsupported(f"dynamic mapping of the new field [{key}]")
            raise ESError(
                400,
                "strict_dynamic_mapping_exception",
                f"mapping set to strict, dynamic introduction of [{key}] within "
                f"[{prefix.rstrip('.') or '_doc'}] is not allowed",
            )
        if "properties" in mapping and value is not None:
            if not isinstance(value, dict):
                raise ESError(
                    400,
                    "document_parsing_exception",
                    f"object mapping for [{prefix}{key}] tried to parse field [{key}] as object, "
                    "but found a concrete value",
                )
            _check_object(mapping, value, doc_id, f"{prefix}{key}.", dynamic)
            continue
        _check_value(Field(prefix + key, (key,), mapping), value, doc_id)


def _check_value(field: Field, value: Any, doc_id: str) -> None:
    if field.type == "object" and field.mapping.get("enabled") is False:
        return
    if field.type == "geo_point":
        if value is not None and not (isinstance(value, dict) and {"lat", "lon"} <= set(value)):
            raise unsupported(f"geo_point [{field.name}] other than {{lat, lon}}")
        return
    for item in value if isinstance(value, list) else [value]:
        if item is None:
            continue
        try:
            coerce(field, item)
        except (ValueError, OverflowError) as error:
            raise ESError(
                400,
                "mapper_parsing_exception",
                f"failed to parse field [{field.name}] of type [{field.type}] in document with "
                f"id '{doc_id}'. Preview of field's value: '{item}'",
                caused_by={"type": "illegal_argument_exception", "reason": str(error)},
            ) from None
