"""The registry a crawl watches: the file the user names, else the bundled ``sources.yaml``.

The registry's model and validation live in ``enrichment.registry`` (every layer reads it);
only the crawler ships a registry of real outlets, so the default file is found here.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from enrichment.registry import Registry, load_registry


def bundled_sources() -> Path:
    """The default registry: the outlets of the LgNet2 reference rassegna."""
    return Path(str(resources.files("crawler") / "sources.yaml"))


def load_sources(path: str | os.PathLike[str] | None = None) -> Registry:
    """The registry at ``path``, or the bundled one when ``path`` is None."""
    return load_registry(path if path is not None else bundled_sources())
