"""Renderers of the rassegna document: one model (``search.render.model``), many formats.

Each format lives in its own module exposing ``render(document: Document) -> bytes``; they are
imported on demand so that, say, writing JSON never loads matplotlib or python-docx.
"""

from __future__ import annotations

from importlib import import_module

from search.render.model import Document

FORMATS: dict[str, str] = {
    "json": "search.render.json_format",
    "md": "search.render.markdown",
    "html": "search.render.html",
    "docx": "search.render.docx",
    "pdf": "search.render.pdf",
    "csv": "search.render.csv_format",
}
"""Format name (the ``--format`` value and file extension) -> module."""


def render(document: Document, fmt: str) -> bytes:
    try:
        module = import_module(FORMATS[fmt])
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}") from None
    payload: bytes = module.render(document)
    return payload
