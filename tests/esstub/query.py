"""The query DSL subset the backend sends, compiled against one index's mapping into a scoring
function: ``bool``, ``match_all``, ``term``, ``range`` and ``simple_query_string``.

A compiled query takes a stored document and answers None (no match) or a score. Field
semantics follow the mapping as in ES: ``term`` compares a text field's tokens (not its
value), a keyword field's exact value, a date as an instant; a field the mapping does not
know matches nothing. Scores only order results: a matching field adds its boost. Any other
query, or an option the stub does not read, is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.esstub import dates, mapping, simple_query
from tests.esstub.analysis import analyze
from tests.esstub.errors import only, parsing, search_failure, unsupported
from tests.esstub.mapping import Field
from tests.esstub.state import StoredDoc, StubIndex

Matcher = Callable[[str, StoredDoc], float | None]
"""(document id, document) -> score, or None when the document does not match."""

QUERIES = ("bool", "match_all", "term", "range", "simple_query_string")


def compile_query(query: dict[str, Any] | None, index: StubIndex) -> Matcher:
    return _Compiler(index).compile(query or {"match_all": {}})


def _never(_id: str, _doc: StoredDoc) -> float | None:
    return None


def _constant(score: float) -> Matcher:
    def matcher(_id: str, _doc: StoredDoc) -> float | None:
        return score

    return matcher


class _Compiler:
    def __init__(self, index: StubIndex) -> None:
        self.index = index

    def compile(self, query: dict[str, Any]) -> Matcher:
        if not isinstance(query, dict) or len(query) != 1:
            raise parsing("[_na] query malformed, must start with start_object")
        [(kind, spec)] = query.items()
        if kind not in QUERIES:
            raise parsing(f"unknown query [{kind}] (or not implemented by the ES stub)")
        handler: Callable[[dict[str, Any]], Matcher] = getattr(self, f"_q_{kind}")
        return handler(spec)

    def _q_match_all(self, spec: dict[str, Any]) -> Matcher:
        only(spec, set(), "[match_all]")
        return _constant(1.0)

    def _q_bool(self, spec: dict[str, Any]) -> Matcher:
        only(spec, {"must", "filter", "should", "must_not", "minimum_should_match"}, "[bool]")

        def clauses(key: str) -> list[Matcher]:
            value = spec.get(key, [])
            return [self.compile(q) for q in (value if isinstance(value, list) else [value])]

        return _boolean(
            {key: clauses(key) for key in ("must", "filter", "should", "must_not")},
            spec.get("minimum_should_match"),
        )

    def _q_term(self, spec: dict[str, Any]) -> Matcher:
        name, options = _single_field(spec, "term")
        if not isinstance(options, dict):
            options = {"value": options}
        only(options, {"value", "case_insensitive"}, "[term]")
        field = self._field(name)
        if field is None:
            return _never
        if field.type == "date":
            raise unsupported("[term] on a date field")
        wanted = self._coerce(field, options["value"])
        if options.get("case_insensitive"):
            folded = str(wanted).lower()
            return self._values_matcher(
                field, lambda found: any(str(v).lower() == folded for v in found)
            )
        return self._values_matcher(field, lambda found: wanted in found)

    def _q_range(self, spec: dict[str, Any]) -> Matcher:
        name, bounds = _single_field(spec, "range")
        only(bounds, set(_COMPARE), "[range]")
        field = self._field(name)
        if field is None:
            return _never
        checks = [
            _COMPARE[operator](self._bound(field, limit, round_up=operator in ("gt", "lte")))
            for operator, limit in bounds.items()
            if limit is not None
        ]
        return self._values_matcher(
            field, lambda found: any(all(c(v) for c in checks) for v in found)
        )

    def _bound(self, field: Field, value: Any, *, round_up: bool) -> Any:
        if field.type != "date":
            return self._coerce(field, value)
        try:
            return dates.parse(value, field.mapping.get("format"), round_up=round_up)
        except ValueError as error:
            raise search_failure(f"failed to create query: {error}", "parse_exception") from None

    def _q_simple_query_string(self, spec: dict[str, Any]) -> Matcher:
        only(spec, {"query", "fields", "default_operator"}, "[simple_query_string]")
        if "fields" not in spec:
            raise unsupported("[simple_query_string] without fields (index.query.default_field)")
        operator = str(spec.get("default_operator", "or")).lower()
        fields: list[tuple[Field, float]] = []
        for entry in spec["fields"]:
            name, _, boost = entry.partition("^")
            if "*" in name:
                raise unsupported(f"field patterns in simple_query_string [{name}]")
            field = self._field(name)
            if field is not None and field.type != "text":
                raise unsupported(f"simple_query_string on the {field.type} field [{name}]")
            if field is not None:
                fields.append((field, float(boost or 1.0)))

        def phrase(text: str) -> Matcher | None:
            per_field = [
                found for field, boost in fields if (found := self._phrase(field, boost, text))
            ]
            return _disjunction(per_field) if per_field else None

        builder: simple_query.Builder[Matcher] = simple_query.Builder(
            phrase=phrase, boolean=_grouped, match_all=lambda: _constant(1.0)
        )
        parsed = simple_query.parse(str(spec.get("query", "")), operator, builder)
        return _never if parsed is None else parsed

    def _phrase(self, field: Field, boost: float, text: str) -> Matcher | None:
        """A phrase on one field; None when the text analyzes to no token there."""
        tokens = analyze(text, field.analyzer)
        if not tokens:
            return None

        def matcher(_id: str, doc: StoredDoc) -> float | None:
            return boost if any(_contains(v, tokens) for v in self._tokens(field, doc)) else None

        return matcher

    # --- fields and values --------------------------------------------------------------

    def _field(self, name: str) -> Field | None:
        return mapping.resolve(self.index.mappings, name)

    def _coerce(self, field: Field, value: Any) -> Any:
        try:
            return mapping.coerce(field, value)
        except ValueError as error:
            raise search_failure(
                f"failed to create query: {error}", "number_format_exception"
            ) from None

    def _values_matcher(self, field: Field, test: Callable[[list[Any]], bool]) -> Matcher:
        """Match on the field's indexed values: tokens for text, typed values otherwise."""

        def matcher(_id: str, doc: StoredDoc) -> float | None:
            if field.type == "text":
                found: list[Any] = [t for value in self._tokens(field, doc) for t in value]
            else:
                found = mapping.indexed_values(field, doc._source)
            return 1.0 if test(found) else None

        return matcher

    @staticmethod
    def _tokens(field: Field, doc: StoredDoc) -> list[list[str]]:
        """The field's tokens per value (phrases never span two values of an array)."""
        cached = doc.tokens.get(field.name)
        if cached is None:
            values = mapping.source_values(doc._source, field.path)
            cached = [analyze(str(v), field.analyzer) for v in values]
            doc.tokens[field.name] = cached
        return cached


_COMPARE: dict[str, Callable[[Any], Callable[[Any], bool]]] = {
    "gt": lambda limit: lambda v: v > limit,
    "gte": lambda limit: lambda v: v >= limit,
    "lt": lambda limit: lambda v: v < limit,
    "lte": lambda limit: lambda v: v <= limit,
}


def _boolean(clauses: dict[str, list[Matcher]], minimum_should_match: Any) -> Matcher:
    """Lucene's BooleanQuery: should clauses are optional unless nothing else is required."""
    must, filters = clauses.get("must", []), clauses.get("filter", [])
    should, must_not = clauses.get("should", []), clauses.get("must_not", [])
    if minimum_should_match is None:
        required = 1 if should and not (must or filters) else 0
    elif isinstance(minimum_should_match, int) or str(minimum_should_match).isdigit():
        required = int(minimum_should_match)
    else:
        raise unsupported(f"minimum_should_match [{minimum_should_match}]")
    base = 0.0 if must or filters or should or must_not else 1.0

    def matcher(doc_id: str, doc: StoredDoc) -> float | None:
        score = base
        for clause in must:
            found = clause(doc_id, doc)
            if found is None:
                return None
            score += found
        if any(clause(doc_id, doc) is None for clause in filters):
            return None
        if any(clause(doc_id, doc) is not None for clause in must_not):
            return None
        matched = 0
        for clause in should:
            found = clause(doc_id, doc)
            if found is not None:
                matched += 1
                score += found
        return score if matched >= required else None

    return matcher


def _contains(tokens: list[str], phrase: list[str]) -> bool:
    size = len(phrase)
    return any(tokens[i : i + size] == phrase for i in range(len(tokens) - size + 1))


def _disjunction(matchers: list[Matcher]) -> Matcher:
    def matcher(doc_id: str, doc: StoredDoc) -> float | None:
        scores = [s for m in matchers if (s := m(doc_id, doc)) is not None]
        return sum(scores) if scores else None

    return matcher


def _grouped(clauses: list[tuple[str, Matcher]]) -> Matcher:
    """A simple_query_string boolean over already compiled clauses."""
    by_occur: dict[str, list[Matcher]] = {}
    for occur, matcher in clauses:
        by_occur.setdefault(occur, []).append(matcher)
    return _boolean(by_occur, None)


def _single_field(spec: dict[str, Any], kind: str) -> tuple[str, Any]:
    if len(spec) != 1:
        raise parsing(f"[{kind}] query doesn't support multiple fields, found {list(spec)}")
    [(name, value)] = spec.items()
    return name, value
