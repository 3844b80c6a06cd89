"""Exceptions of the renderers; the command line prints them as one line."""

from __future__ import annotations

from crawler.errors import RassegnaError


class RenderError(RassegnaError, RuntimeError):
    """A format that cannot be produced here (a missing tool, a tool that failed or hung).

    The message says what to do next, since the reader is the press office, not a developer.
    """
