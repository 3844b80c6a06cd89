"""Elasticsearch queries for the store's reads, read as the embedded store reads them.

Only ``simple_query_string`` carries the user's text, never raw query syntax, and its terms
are quoted so that the same words find the same items in both stores.
"""

from __future__ import annotations

from typing import Any

from search.backends.fts import query_terms
from search.store import SearchQuery

_TEXT_FIELDS = ["title^3", "text", "title_de^3", "text_de", "outlet"]

_NOT_IN_PHRASE = str.maketrans('"\\()', "    ")
"""Characters that would end a quoted phrase or change the nesting (Lucene counts parentheses
inside quotes too); the analyzers drop them anyway."""


def simple_query(text: str) -> str | None:
    """The user's text in ``simple_query_string`` syntax, read as the embedded store reads it.

    Every term is quoted (a typed ``*``, ``~``, ``+``, ``|`` or parenthesis is a plain
    character, never an operator) and each ``OR`` group is parenthesised, since Lucene combines
    operators left to right: ``a b | c`` would be ``(a AND b) OR c``. None when the text has no
    word; QueryError when every word is excluded.
    """
    required, excluded = query_terms(text)
    if not required:
        return None

    def quoted(term: str) -> str:
        return '"' + term.translate(_NOT_IN_PHRASE) + '"'

    groups = [
        quoted(terms[0]) if len(terms) == 1 else "(" + " | ".join(map(quoted, terms)) + ")"
        for terms in required
    ]
    return " ".join(groups + [f"-{quoted(term)}" for term in excluded])


def search_body(query: SearchQuery) -> dict[str, Any]:
    """The ``_search`` body for a user query: ``simple_query_string`` only, never raw syntax."""
    must: list[dict[str, Any]] = []
    text = simple_query(query.text) if query.text else None  # same reading as SQLite
    if text is not None:
        must.append(
            {
                "simple_query_string": {
                    "query": text,
                    "fields": _TEXT_FIELDS,
                    "default_operator": "and",
                }
            }
        )
    filters: list[dict[str, Any]] = []
    for field, value in (
        ("city", query.city),
        ("category", query.category),
        ("outlet.keyword", query.outlet),
        ("language", query.language),
    ):
        if value:
            filters.append({"term": {field: {"value": value, "case_insensitive": True}}})
    if query.since or query.until:
        bounds = {k: v for k, v in (("gte", query.since), ("lte", query.until)) if v}
        filters.append({"range": {"date": bounds}})
    if query.mentions_only:
        filters.append({"range": {"mentions": {"gt": 0}}})
    sort: list[Any] = (
        ["_score", {"date": {"order": "desc"}}]
        if must
        else [{"date": {"order": "desc"}}, {"url": {"order": "desc"}}]
    )
    return {
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": filters}},
        "sort": sort,
        "size": query.limit,
    }


def rassegna_query(since: str | None, until: str | None) -> dict[str, Any]:
    """Items that name the topic, and every imported item, in the date range."""
    filters: list[dict[str, Any]] = [
        {
            "bool": {
                "should": [
                    {"range": {"mentions": {"gt": 0}}},
                    {"term": {"source": "import"}},
                    {"term": {"source": "manual"}},
                ],
                "minimum_should_match": 1,
            }
        }
    ]
    if since or until:
        bounds = {k: v for k, v in (("gte", since), ("lte", until)) if v}
        filters.append({"range": {"date": bounds}})
    return {"bool": {"filter": filters}}
