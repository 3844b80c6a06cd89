"""The rassegna kept current on disk: dated snapshots and a stable ``latest``.

``<data-dir>/snapshots/<updated>/rassegna.<ext>`` keeps one folder per day on which the
collection changed (``updated`` of contract 4), and ``<data-dir>/snapshots/latest/`` always holds
the newest, at a path that never changes, for a web server or a shared folder to publish.
Every file is written atomically: a reader sees the old version or the new one, never half.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from enrichment.registry import Registry
from search.desk.decisions import NO_DECISIONS, Decision
from search.files.atomic import write_atomically
from search.files.data_dir import DataDir
from search.render import render
from search.render.model import make_document
from search.store import Store


def write_history(
    store: Store,
    registry: Registry,
    data_dir: Path,
    formats: Sequence[str] = ("json",),
    *,
    clippings: str = "full",
    decisions: Mapping[str, Decision] = NO_DECISIONS,
) -> Path | None:
    """Write the current rassegna in every format, the office's decisions applied; the dated
    folder, or None when empty."""
    document = make_document(store, registry, clippings=clippings, decisions=decisions)
    if document.updated is None:
        return None
    root = DataDir(data_dir).snapshots
    dated = root / document.updated
    for fmt in formats:
        payload = render(document, fmt)
        name = f"rassegna.{fmt}"
        write_atomically(dated / name, payload)
        write_atomically(root / "latest" / name, payload)
    return dated
