"""Requests as JSON in the shared Redis queue of a distributed crawl.

scrapy-redis stores each queued request as ``Request.to_dict()`` passed through a serializer
module (setting ``SCHEDULER_SERIALIZER``); its default is pickle, which would let anyone able to
write to the Redis server run code in every worker. JSON carries only data: bytes (headers,
body) travel as latin-1 text under ``{"$b": ...}``, a dict with non-string keys (headers) as
``{"$d": [[key, value], ...]}``. A value JSON cannot carry fails the push with ``TypeError``
rather than arriving changed.

One meta value changes form on the way: ``not_before``, the retry deadline the backoff
middleware sets, is a ``time.monotonic()`` reading, meaningless on another machine. It travels
as wall-clock time (``not_before_epoch``) and is turned back into the popping process's
monotonic clock.
"""

from __future__ import annotations

import json
import time
from typing import Any

_DEADLINE = "not_before"
_DEADLINE_EPOCH = "not_before_epoch"
_MARKERS = {"$b", "$d"}


def dumps(request: dict[str, Any]) -> bytes:
    """A ``Request.to_dict()`` as JSON bytes."""
    meta = request.get("meta")
    if meta and _DEADLINE in meta:
        meta = dict(meta)
        meta[_DEADLINE_EPOCH] = time.time() + meta.pop(_DEADLINE) - time.monotonic()
        request = {**request, "meta": meta}
    return json.dumps(_encode(request), separators=(",", ":")).encode("utf-8")


def loads(data: bytes | str) -> dict[str, Any]:
    """The dict ``dumps`` was given, for ``request_from_dict``."""
    request: dict[str, Any] = _decode(json.loads(data))
    meta = request.get("meta")
    if meta and _DEADLINE_EPOCH in meta:
        meta[_DEADLINE] = time.monotonic() + meta.pop(_DEADLINE_EPOCH) - time.time()
    return request


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$b": value.decode("latin-1")}
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and not _MARKERS & value.keys():
            return {key: _encode(item) for key, item in value.items()}
        return {"$d": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot queue a request holding a {type(value).__name__}: {value!r}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if value.keys() == {"$b"}:
        return value["$b"].encode("latin-1")
    if value.keys() == {"$d"}:
        return {_decode(key): _decode(item) for key, item in value["$d"]}
    return {key: _decode(item) for key, item in value.items()}
