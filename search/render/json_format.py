"""The rassegna as data (contract 4), exactly as ``rassegna snapshot --format json`` writes it."""

from __future__ import annotations

from search.render.model import Document
from search.render.snapshot import to_json


def render(document: Document) -> bytes:
    return to_json(document.snapshot).encode("utf-8")
