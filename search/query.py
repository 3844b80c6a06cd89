"""User search text -> a safe FTS5 expression over stemmed columns.

User input never reaches FTS5 syntax directly: every term is re-quoted, so a stray quote,
colon or parenthesis in a query cannot raise a syntax error or inject operators.
"""

from __future__ import annotations

import re

from search.errors import QueryError
from search.stemming import stems

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def fts_expression(text: str, language: str = "it") -> str | None:
    """The MATCH expression for ``text``; None when the query has no terms at all."""
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        minus, phrase, word = match.groups()
        if word == "OR":
            pending_or = bool(positive)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            minus, word = "-", word[1:]
        terms = stems(phrase if phrase is not None else word or "", language)
        if not terms:
            continue
        quoted = '"' + " ".join(terms) + '"'
        if minus:
            negative.append(quoted)
        elif pending_or:
            positive[-1] = f"({positive[-1]} OR {quoted})"
            pending_or = False
        else:
            positive.append(quoted)
    if not positive:
        if negative:
            raise QueryError("a search needs at least one word that is not excluded")
        return None
    expression = " AND ".join(positive)
    for term in negative:
        expression = f"({expression}) NOT {term}"
    return expression
