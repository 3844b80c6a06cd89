"""Finding the monitored topic's name in a page, in the spellings the press really uses.

The topic is named by a short code ("LgNet2") that journalists, CMSs and OCR mangle: case
("LGNET2"), a space or hyphen before the number ("LgNet 2", "lgnet-2" in slugs), and a capital
I read for a lowercase l ("Ignet2"). The pattern is derived from the name so a future campaign
needs no new code, and it insists on word boundaries so that a neighbouring project
("LgNetEA", "LgNet3") or a longer code ("LgNet20") is not counted. Hyphens and underscores
count as boundaries, because the name often appears inside URL slugs and hashtags.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

logger = logging.getLogger(__name__)

_NOT_AFTER_ALNUM = r"(?<![^\W_])"
"""Not preceded by a letter or digit (``\\w`` minus ``_``), so ``_`` and ``-`` are boundaries."""
_NOT_BEFORE_ALNUM = r"(?![^\W_])"

_NAME_PARTS = re.compile(r"(?P<stem>.*?[^\W\d_])[\s_-]*(?P<number>\d+)")
_SEPARATORS = re.compile(r"[\s_-]+")
_WHITESPACE = re.compile(r"\s+")
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Mentions:
    """How often the topic is named, with a little context to show why an item matched."""

    count: int
    snippets: tuple[str, ...]
    """A few words of context around each of the first mentions."""


def _stem_regex(stem: str) -> str:
    """Regex for the letter part; words inside it may be joined by space, hyphen or underscore.

    An initial l also accepts i/I: in many fonts a lowercase l and a capital I look the same,
    and both OCR and hurried typists produce "Ignet2" for "lgnet2".
    """
    words = [re.escape(word) for word in _SEPARATORS.split(stem.strip()) if word]
    if words and words[0][0] in "lL":
        words[0] = "[li]" + words[0][1:]
    return r"[\s_-]+".join(words)


def topic_pattern(name: str, variants: Sequence[str] = ()) -> re.Pattern[str]:
    """A case-insensitive pattern for ``name`` and its usual misspellings, plus ``variants``.

    A trailing number may be separated from the letters by one space, hyphen or underscore
    ("LgNet 2", "lgnet_2"). ``variants`` are further spellings matched literally, with the
    same boundaries.
    """
    parts = _NAME_PARTS.fullmatch(name.strip())
    if parts:
        core = _stem_regex(parts["stem"]) + r"[\s_-]?" + re.escape(parts["number"])
    else:
        core = _stem_regex(name)
    extra = sorted({v.strip() for v in variants if v.strip()}, key=len, reverse=True)
    alternatives = [core, *(re.escape(v) for v in extra)]
    body = "|".join(alternatives)
    return re.compile(f"{_NOT_AFTER_ALNUM}(?:{body}){_NOT_BEFORE_ALNUM}", re.IGNORECASE)


def _snippet(text: str, start: int, end: int, context: int) -> str:
    """The mention with about ``context`` characters either side, cut between words."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    if left > 0 and not text[left - 1].isspace():
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else start
    if right < len(text) and not text[right].isspace():
        space = text.rfind(" ", end, right)
        right = space if space != -1 else end
    snippet = text[left:right].strip()
    prefix = _ELLIPSIS if left > 0 else ""
    suffix = _ELLIPSIS if right < len(text) else ""
    return f"{prefix}{snippet}{suffix}"


def find_mentions(
    pattern: re.Pattern[str], *texts: str, context: int = 60, max_snippets: int = 5
) -> Mentions:
    """Count ``pattern`` over all ``texts`` (title, main text...) and keep the first snippets.

    Whitespace is collapsed first, so a snippet reads as one line whatever the page layout.
    """
    count = 0
    snippets: list[str] = []
    for text in texts:
        flat = _WHITESPACE.sub(" ", text).strip()
        for match in pattern.finditer(flat):
            count += 1
            if len(snippets) < max_snippets:
                snippets.append(_snippet(flat, match.start(), match.end(), context))
    return Mentions(count=count, snippets=tuple(snippets))
