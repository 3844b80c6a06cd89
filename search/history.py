"""The rassegna kept current on disk: dated snapshots and a stable ``latest``.

``<data-dir>/snapshots/<updated>/rassegna.<ext>`` keeps one folder per day on which the
collection changed (``updated`` of contract 4), and ``<data-dir>/snapshots/latest/`` always holds
the newest, at a path that never changes, for a web server or a shared folder to publish.
Every file is written atomically: a reader sees the old version or the new one, never half.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from search.output import write_atomically
from search.snapshot import build_snapshot, to_json
from search.store import Store

Renderer = Callable[[dict[str, Any]], bytes]
RENDERERS: dict[str, Renderer] = {"json": lambda snapshot: to_json(snapshot).encode("utf-8")}
"""Format -> renderer from the snapshot data; the document formats join here."""


def snapshots_dir(data_dir: Path) -> Path:
    return data_dir / "snapshots"


def write_history(
    store: Store, topic: str, data_dir: Path, formats: Sequence[str] = ("json",)
) -> Path | None:
    """Write the current rassegna in every format; the dated folder, or None when empty."""
    snapshot = build_snapshot(store, topic)
    if snapshot["updated"] is None:
        return None
    root = snapshots_dir(data_dir)
    dated = root / snapshot["updated"]
    for fmt in formats:
        payload = RENDERERS[fmt](snapshot)
        name = f"rassegna.{fmt}"
        write_atomically(dated / name, payload)
        write_atomically(root / "latest" / name, payload)
    return dated
