"""A simulated web of fictional Italian outlets, served on loopback for tests and the demo."""

from __future__ import annotations

from simweb.server import Hit, Page, Web

__all__ = ["Hit", "Page", "Web"]
