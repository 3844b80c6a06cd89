"""Guards that every renderer applies to crawled strings before they reach a reader's tools.

Titles, bylines and URLs come from pages anyone can write. Two tools would otherwise act on
them: a browser follows any link (``javascript:``, ``data:``), and a spreadsheet or word
processor evaluates a cell that starts like a formula (``=HYPERLINK(...)``, ``+cmd|...``).
Escaping HTML text is Jinja2's job (autoescape); these two cover what escaping cannot.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def safe_url(url: str | None) -> str | None:
    """The URL if a reader may follow it: absolute http or https with a host; else None.

    Anything with whitespace or control characters inside is refused rather than cleaned,
    because browsers and parsers disagree on how to clean it ("java\\tscript:").
    """
    if not url:
        return None
    url = url.strip()
    if _INVISIBLE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return None
    return url


def safe_cell(text: str | None) -> str:
    """The text as a spreadsheet or Word cell shows it, never as a formula it would run.

    A leading apostrophe is what spreadsheet users themselves type to force text, so the
    value still reads as intended (OWASP's advice for CSV injection).
    """
    if text is None:
        return ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
