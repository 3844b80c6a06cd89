"""Recognising copies of one article on several outlets, so that an alert names it once.

Local outlets and aggregators often publish the same press release, or republish each
other, the same day. Two items are copies when their titles are the same once normalised
(case, accents, punctuation and spacing folded) or when their texts share at least half of
their five-word shingles (Jaccard similarity), which survives a changed headline.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from search.store import StoredItem

SHINGLE_WORDS = 5
SIMILAR_TEXT = 0.5
"""Jaccard similarity of the texts' shingles from which two items are the same article."""
TITLE_MIN_WORDS = 3
"""Shorter titles ("Notizie in breve") are too generic to identify an article."""

_WORD = re.compile(r"\w+")


def normalise_title(title: str) -> str:
    """The title as words only: "LgNet2, al via!" and "lgnet2 al via" compare equal."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(bare))


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return frozenset(
        tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def group_copies(items: Sequence[StoredItem]) -> list[list[StoredItem]]:
    """Items grouped by article, main item first: the earliest dated, then the first given.

    Groups keep the order in which their main item was given. Grouping is transitive: a copy
    of a copy joins the group.
    """
    titles = [normalise_title(i.article.title) for i in items]
    texts = [shingles(i.article.text) for i in items]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if root(i) != root(j) and _same_article(titles[i], titles[j], texts[i], texts[j]):
                parent[root(j)] = root(i)

    members: dict[int, list[int]] = {}
    for i in range(len(items)):
        members.setdefault(root(i), []).append(i)
    groups = [
        sorted(indices, key=lambda i: (items[i].article.date or "9999", i))
        for indices in members.values()
    ]
    groups.sort(key=lambda indices: indices[0])
    return [[items[i] for i in indices] for indices in groups]


def _same_article(
    title_a: str,
    title_b: str,
    text_a: frozenset[tuple[str, ...]],
    text_b: frozenset[tuple[str, ...]],
) -> bool:
    if title_a == title_b and len(title_a.split()) >= TITLE_MIN_WORDS:
        return True
    if not text_a or not text_b:
        return False
    return len(text_a & text_b) / len(text_a | text_b) >= SIMILAR_TEXT
