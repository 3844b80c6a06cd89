"""Text analysis, enough to decide which words of a query a text field contains.

Real analyzers are approximated: words are lower-cased and stripped of accents; the language
analyzers (``italian``, ``german``) also reduce words to their Snowball stems, which is what
makes ``comuni`` find ``comune`` in Elasticsearch too. Stop words are kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import snowballstemmer

from tests.esstub.errors import unsupported

_WORD = re.compile(r"\w+", re.UNICODE)
_LANGUAGES = frozenset(snowballstemmer.algorithms())


def analyze(text: str, analyzer: str = "standard") -> list[str]:
    """The tokens a text field indexes for ``text``, in position order."""
    if analyzer != "standard" and analyzer not in _LANGUAGES:
        raise unsupported(f"analyzer [{analyzer}]")
    words = [word.lower() for word in _WORD.findall(text)]
    if analyzer in _LANGUAGES:
        words = _stemmer(analyzer).stemWords(words)
    return [fold(word) for word in words]


@cache
def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)
