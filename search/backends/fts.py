"""The embedded full-text index: Snowball stems in, user text to a safe FTS5 expression out.

SQLite's FTS5 ships only an English Porter stemmer. We index the Snowball stems of each word
instead of the words, and stem the query the same way, so "migranti" finds "migrante" and
"comuni" finds "comune".

User input never reaches FTS5 syntax directly: every term is re-quoted, so a stray quote,
colon or parenthesis in a query cannot raise a syntax error or inject operators.
"""

from __future__ import annotations

import re
from functools import cache

import snowballstemmer

from search.errors import QueryError

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


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def query_terms(text: str) -> tuple[list[list[str]], list[str]]:
    """``text`` as the search syntax reads it, for every backend: the required groups (each a
    term or terms joined by ``OR``) and the excluded terms; a term is the text of a word or a
    phrase, and one with no word at all is left out. Raises QueryError when every term is
    excluded."""
    required: list[list[str]] = []
    excluded: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        minus, phrase, word = match.groups()
        if word == "OR":
            pending_or = bool(required)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            minus, word = "-", word[1:]
        term = phrase if phrase is not None else word or ""
        if not words(term):
            continue
        if minus:
            excluded.append(term)
        elif pending_or:
            required[-1].append(term)
            pending_or = False
        else:
            required.append([term])
    if not required and excluded:
        raise QueryError("a search needs at least one word that is not excluded")
    return required, excluded


def fts_expression(text: str, language: str = "it") -> str | None:
    """The MATCH expression for ``text``; None when the query has no terms at all."""
    required, excluded = query_terms(text)
    if not required:
        return None

    def quoted(term: str) -> str:
        return '"' + " ".join(stems(term, language)) + '"'

    groups = []
    for first, *alternatives in required:
        group = quoted(first)
        for term in alternatives:
            group = f"({group} OR {quoted(term)})"
        groups.append(group)
    expression = " AND ".join(groups)
    for term in excluded:
        expression = f"({expression}) NOT {quoted(term)}"
    return expression
