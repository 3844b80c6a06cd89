"""Italian (and German) stemming for the embedded full-text index.

SQLite's FTS5 ships only an English Porter stemmer. We index the Snowball stems of each word
instead of the words, and stem the query the same way, so "migranti" finds "migrante" and
"comuni" finds "comune".
"""

from __future__ import annotations

import re
from functools import cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)
_LANGUAGES = {"it": "italian", "de": "german", "en": "english", "fr": "french", "es": "spanish"}


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_LANGUAGES.get(language, "italian"))


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def stems(text: str, language: str | None = "it") -> list[str]:
    return _stemmer(language or "it").stemWords(words(text))


def stem_text(text: str, language: str | None = "it") -> str:
    return " ".join(stems(text, language))
