"""Index settings in the three spellings ES accepts, kept in the one shape ``GET`` returns.

``{"number_of_shards": 1}``, ``{"index": {"number_of_shards": 1}}`` and
``{"index.number_of_shards": 1}`` are the same setting; ES answers with nested objects under
``index`` and every value as a string, which is what tests comparing settings must expect.
"""

from __future__ import annotations

from typing import Any

DEFAULTS = {"index.number_of_shards": "1", "index.number_of_replicas": "1"}
STATIC = frozenset({"index.number_of_shards", "index.routing_partition_size"})


def flatten(settings: dict[str, Any] | None, prefix: str = "") -> dict[str, Any]:
    """Dotted keys, all under ``index.``, values as strings."""
    flat: dict[str, Any] = {}
    for key, value in (settings or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
            continue
        flat[name] = _as_string(value)
    if not prefix:
        return {k if k.startswith("index.") else f"index.{k}": v for k, v in flat.items()}
    return flat


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        node = nested
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return nested


def _as_string(value: Any) -> Any:
    if isinstance(value, list):
        return [_as_string(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)
