"""Syndication: the same article on several outlets, recognised as one story.

Local outlets and aggregators publish the same press release, or republish each other. Two
items are copies when their titles are the same once normalised (case, accents, punctuation
and spacing folded; at least four words) or when their texts share at least half of their
five-word shingles (Jaccard similarity), which survives a rewritten headline. Candidates are
found with MinHash LSH (datasketch), so grouping a whole archive stays near-linear; each
candidate pair is then confirmed on the exact shingles.

The rassegna still counts each copy as an uscita; alerts, the HTML document and search use the
groups to say "also on ...". Groups are computed when read, so every store gives the same.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from search.store import StoredItem

if TYPE_CHECKING:  # datasketch brings scipy, half a second of imports for every command that
    # merely reaches this module (``rassegna status`` through the alert ledger); loaded on use
    from datasketch import MinHash

SHINGLE_WORDS = 5
SIMILAR_TEXT = 0.5
"""Jaccard similarity of two texts' shingles from which they are the same article."""
TITLE_MIN_WORDS = 4
"""Shorter titles ("Notizie in breve") are too generic to identify an article."""
MIN_SHINGLES = 8
"""Texts shorter than this (teasers) are compared by title only."""
_PERMUTATIONS = 64
_WORD = re.compile(r"\w+")


def normalise_title(title: str) -> str:
    """The title as words only: "LgNet2, al via!" and "lgnet2 al via" compare equal."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(bare))


def shingles(text: str) -> frozenset[str]:
    words = _WORD.findall(text.casefold())
    return frozenset(
        " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def _minhash(shingle_set: frozenset[str]) -> MinHash:
    from datasketch import MinHash

    signature = MinHash(num_perm=_PERMUTATIONS, seed=1)
    signature.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
    return signature


def group_copies(items: Sequence[StoredItem]) -> list[list[StoredItem]]:
    """Items grouped by story, the original first (earliest dated, then earliest given).

    Groups keep the order in which their first member was given; grouping is transitive (a
    copy of a copy joins the group).
    """
    titles = [normalise_title(i.article.title) for i in items]
    texts = [shingles(i.article.text) for i in items]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    by_title: dict[str, int] = {}
    for i, title in enumerate(titles):
        if len(title.split()) >= TITLE_MIN_WORDS:
            join(i, by_title.setdefault(title, i))
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=SIMILAR_TEXT, num_perm=_PERMUTATIONS)
    for i, text in enumerate(texts):
        if len(text) < MIN_SHINGLES:
            continue
        signature = _minhash(text)
        for j in lsh.query(signature):
            other = texts[int(j)]
            if len(text & other) / len(text | other) >= SIMILAR_TEXT:
                join(i, int(j))
        lsh.insert(str(i), signature)
    members: dict[int, list[int]] = {}
    for i in range(len(items)):
        members.setdefault(root(i), []).append(i)
    groups = [
        sorted(indices, key=lambda i: (items[i].article.date or "9999", i))
        for indices in members.values()
    ]
    groups.sort(key=lambda indices: min(indices))
    return [[items[i] for i in indices] for indices in groups]


def story_id(group: Sequence[StoredItem]) -> str:
    """A stable id of a story: from its original's URL."""
    return hashlib.sha1(group[0].article.url.encode("utf-8")).hexdigest()[:12]  # noqa: S324


def also_on(items: Sequence[StoredItem]) -> dict[str, tuple[str, ...]]:
    """URL -> the outlets of the other copies of its story (empty for a unique item)."""
    result: dict[str, tuple[str, ...]] = {}
    for group in group_copies(items):
        for item in group:
            result[item.article.url] = tuple(
                dict.fromkeys(o.article.outlet for o in group if o is not item)
            )
    return result
