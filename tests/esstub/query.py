"""The query DSL subset, compiled against one index's mapping into a scoring function.

A compiled query takes a stored document and answers None (no match) or a score. Field
semantics follow the mapping as in ES: ``term`` compares a text field's tokens (not its
value), a keyword field's exact value, a date as an instant; a field the mapping does not
know matches nothing. Scores only order results: a matching field adds its boost.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from typing import Any

from tests.esstub import dates, mapping, simple_query
from tests.esstub.analysis import analyze, normalize
from tests.esstub.errors import ESError, parsing, search_failure
from tests.esstub.mapping import Field
from tests.esstub.state import StoredDoc, StubIndex

Matcher = Callable[[str, StoredDoc], float | None]
"""(document id, document) -> score, or None when the document does not match."""


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
        handler = getattr(self, f"_q_{kind}", None)
        if handler is None:
            raise parsing(f"unknown query [{kind}]")
        return handler(spec)

    # --- compound -----------------------------------------------------------------------

    def _q_match_all(self, spec: dict[str, Any]) -> Matcher:
        return _constant(float(spec.get("boost", 1.0)))

    def _q_match_none(self, _spec: dict[str, Any]) -> Matcher:
        return _never

    def _q_constant_score(self, spec: dict[str, Any]) -> Matcher:
        inner = self.compile(spec["filter"])
        boost = float(spec.get("boost", 1.0))

        def matcher(doc_id: str, doc: StoredDoc) -> float | None:
            return None if inner(doc_id, doc) is None else boost

        return matcher

    def _q_bool(self, spec: dict[str, Any]) -> Matcher:
        def clauses(key: str) -> list[Matcher]:
            value = spec.get(key, [])
            return [self.compile(q) for q in (value if isinstance(value, list) else [value])]

        return _boolean(
            {key: clauses(key) for key in ("must", "filter", "should", "must_not")},
            spec.get("minimum_should_match"),
            float(spec.get("boost", 1.0)),
        )

    # --- term level ---------------------------------------------------------------------

    def _q_ids(self, spec: dict[str, Any]) -> Matcher:
        wanted = {str(value) for value in spec.get("values", [])}
        boost = float(spec.get("boost", 1.0))
        return lambda doc_id, _doc: boost if doc_id in wanted else None

    def _q_term(self, spec: dict[str, Any]) -> Matcher:
        name, value, options = _field_spec(spec, "value")
        return self._any_of(self._field(name), [value], options)

    def _q_terms(self, spec: dict[str, Any]) -> Matcher:
        options = {k: v for k, v in spec.items() if k == "boost"}
        names = [k for k in spec if k != "boost"]
        if len(names) != 1 or not isinstance(spec[names[0]], list):
            raise parsing("[terms] query requires one field with an array of values")
        return self._any_of(self._field(names[0]), spec[names[0]], options)

    def _any_of(self, field: Field | None, values: list[Any], options: dict[str, Any]) -> Matcher:
        """Exact match on any of the values; a date matches its whole period (day, month...)."""
        if field is None:
            return _never
        boost = float(options.get("boost", 1.0))
        if field.type == "date":
            periods = [
                (self._bound(field, v, "gte", options), self._bound(field, v, "lte", options))
                for v in values
            ]
            return self._values_matcher(
                field, lambda found: any(lo <= v <= hi for v in found for lo, hi in periods), boost
            )
        wanted = {self._coerce(field, value) for value in values}
        if options.get("case_insensitive"):
            folded = {str(w).lower() for w in wanted}
            return self._values_matcher(
                field, lambda found: any(str(v).lower() in folded for v in found), boost
            )
        return self._values_matcher(field, lambda found: any(v in wanted for v in found), boost)

    def _q_range(self, spec: dict[str, Any]) -> Matcher:
        name, options = _single_field(spec, "range")
        field = self._field(name)
        if field is None:
            return _never
        bounds = dict(options)
        if "from" in bounds or "to" in bounds:
            lower = "gte" if bounds.pop("include_lower", True) else "gt"
            upper = "lte" if bounds.pop("include_upper", True) else "lt"
            bounds[lower], bounds[upper] = bounds.pop("from", None), bounds.pop("to", None)
        checks: list[Callable[[Any], bool]] = []
        for operator in ("gt", "gte", "lt", "lte"):
            if bounds.get(operator) is None:
                continue
            limit = self._bound(field, bounds[operator], operator, bounds)
            checks.append(_COMPARE[operator](limit))
        boost = float(bounds.get("boost", 1.0))
        return self._values_matcher(
            field, lambda found: any(all(c(v) for c in checks) for v in found), boost
        )

    def _bound(self, field: Field, value: Any, operator: str, options: dict[str, Any]) -> Any:
        if field.type == "date":
            try:
                return dates.parse(
                    value,
                    options.get("format") or field.date_format,
                    round_up=operator in ("gt", "lte"),
                    zone=options.get("time_zone"),
                )
            except ValueError as error:
                raise search_failure(
                    f"failed to create query: {error}", "parse_exception"
                ) from None
        return self._coerce(field, value)

    def _q_exists(self, spec: dict[str, Any]) -> Matcher:
        field = self._field(spec["field"])
        if field is None:
            return _never
        boost = float(spec.get("boost", 1.0))
        return self._values_matcher(field, bool, boost)

    def _q_prefix(self, spec: dict[str, Any]) -> Matcher:
        name, value, options = _field_spec(spec, "value")
        field = self._field(name)
        if field is None:
            return _never
        start = str(value).lower() if options.get("case_insensitive") else str(value)

        def starts(found: list[Any]) -> bool:
            if options.get("case_insensitive"):
                return any(str(v).lower().startswith(start) for v in found)
            return any(str(v).startswith(start) for v in found)

        return self._values_matcher(field, starts, float(options.get("boost", 1.0)))

    # --- full text ----------------------------------------------------------------------

    def _q_match(self, spec: dict[str, Any]) -> Matcher:
        name, text, options = _field_spec(spec, "query")
        field = self._field(name)
        if field is None:
            return _never
        operator = str(options.get("operator", "or")).lower()
        return self._field_text(field, str(text), operator, options, phrase=False) or _never

    def _q_match_phrase(self, spec: dict[str, Any]) -> Matcher:
        name, text, options = _field_spec(spec, "query")
        field = self._field(name)
        if field is None:
            return _never
        return self._field_text(field, str(text), "and", options, phrase=True) or _never

    def _q_multi_match(self, spec: dict[str, Any]) -> Matcher:
        kind = spec.get("type", "best_fields")
        operator = str(spec.get("operator", "or")).lower()
        per_field: list[Matcher] = []
        for field, boost, lenient in self._fields(spec.get("fields", ["*"])):
            options = {**spec, "boost": boost, "lenient": lenient or spec.get("lenient")}
            found = self._field_text(
                field, str(spec["query"]), operator, options, phrase=kind == "phrase"
            )
            if found is not None:
                per_field.append(found)
        combine = sum if kind in ("most_fields", "cross_fields") else max
        return _disjunction(per_field, combine, float(spec.get("boost", 1.0)))

    def _q_simple_query_string(self, spec: dict[str, Any]) -> Matcher:
        fields = self._fields(spec.get("fields", ["*"]))
        operator = str(spec.get("default_operator", "or")).lower()

        def leaf(text: str, *, prefix: bool, phrase: bool) -> Matcher | None:
            per_field = []
            for field, boost, lenient in fields:
                options = {"boost": boost, "lenient": lenient or spec.get("lenient")}
                found = self._field_text(
                    field, text, operator, options, phrase=phrase, prefix=prefix
                )
                if found is not None:
                    per_field.append(found)
            return _disjunction(per_field, sum, 1.0) if per_field else None

        builder: simple_query.Builder[Matcher] = simple_query.Builder(
            term=lambda text, prefix: leaf(text, prefix=prefix, phrase=False),
            phrase=lambda text: leaf(text, prefix=False, phrase=True),
            boolean=_grouped,
            match_all=lambda: _constant(1.0),
        )
        parsed = simple_query.parse(str(spec.get("query", "")), operator, builder)
        if parsed is None:
            return _never
        return _disjunction([parsed], sum, float(spec.get("boost", 1.0)))

    def _field_text(
        self,
        field: Field,
        text: str,
        operator: str,
        options: dict[str, Any],
        *,
        phrase: bool,
        prefix: bool = False,
    ) -> Matcher | None:
        """A full-text query on one field; None when the text analyzes to no token."""
        boost = float(options.get("boost", 1.0))
        if field.type != "text":
            if prefix:
                return self._values_matcher(
                    field, lambda found: any(str(v).startswith(text) for v in found), boost
                )
            try:
                return self._any_of(field, [text], {"boost": boost})
            except ESError:
                if options.get("lenient"):
                    return None
                raise
        if prefix:
            start = normalize(text)
            return self._token_matcher(
                field, lambda values: any(t.startswith(start) for v in values for t in v), boost
            )
        tokens = analyze(text, field.search_analyzer)
        if not tokens:
            return None
        if phrase:
            return self._token_matcher(
                field, lambda values: any(_contains(v, tokens) for v in values), boost
            )
        needed = len(tokens) if operator == "and" else 1
        needed = _minimum_should_match(options.get("minimum_should_match"), len(tokens), needed)

        def matcher(_id: str, doc: StoredDoc) -> float | None:
            present = {t for value in self._tokens(field, doc) for t in value}
            hits = sum(1 for token in tokens if token in present)
            return boost * hits if hits >= max(needed, 1) else None

        return matcher

    # --- fields and values --------------------------------------------------------------

    def _field(self, name: str) -> Field | None:
        return mapping.resolve(self.index.mappings, name)

    def _fields(self, specs: Iterable[str]) -> list[tuple[Field, float, bool]]:
        """``["title^3", "text", "*"]`` as (field, boost, lenient): wildcards are lenient."""
        found: dict[str, tuple[Field, float, bool]] = {}
        for spec in specs:
            name, _, boost = spec.partition("^")
            weight = float(boost or 1.0)
            if "*" in name:
                for field in mapping.leaf_fields(self.index.mappings):
                    if fnmatch.fnmatchcase(field.name, name):
                        found.setdefault(field.name, (field, weight, True))
            elif (named := self._field(name)) is not None:
                found[name] = (named, weight, False)
        return list(found.values())

    def _coerce(self, field: Field, value: Any) -> Any:
        if field.type == "text":
            return str(value)
        try:
            return mapping.coerce(field, value)
        except ValueError as error:
            raise search_failure(
                f"failed to create query: {error}", "number_format_exception"
            ) from None

    def _values_matcher(
        self, field: Field, test: Callable[[list[Any]], bool], boost: float
    ) -> Matcher:
        """Match on the field's indexed values: tokens for text, typed values otherwise."""

        def matcher(_id: str, doc: StoredDoc) -> float | None:
            if field.type == "text":
                found: list[Any] = [t for value in self._tokens(field, doc) for t in value]
            else:
                found = mapping.indexed_values(field, doc._source)
            return boost if test(found) else None

        return matcher

    def _token_matcher(
        self, field: Field, test: Callable[[list[list[str]]], bool], boost: float
    ) -> Matcher:
        return lambda _id, doc: boost if test(self._tokens(field, doc)) else None

    @staticmethod
    def _tokens(field: Field, doc: StoredDoc) -> list[list[str]]:
        """The field's tokens per value (phrases never span two values of an array)."""
        cached = doc.tokens.get(field.name)
        if cached is None:
            values = mapping.source_values(doc._source, field.path)
            cached = [analyze(mapping.as_keyword(v), field.analyzer) for v in values]
            doc.tokens[field.name] = cached
        return cached


_COMPARE: dict[str, Callable[[Any], Callable[[Any], bool]]] = {
    "gt": lambda limit: lambda v: v > limit,
    "gte": lambda limit: lambda v: v >= limit,
    "lt": lambda limit: lambda v: v < limit,
    "lte": lambda limit: lambda v: v <= limit,
}


def _boolean(clauses: dict[str, list[Matcher]], minimum_should_match: Any, boost: float) -> Matcher:
    """Lucene's BooleanQuery: should clauses are optional unless nothing else is required."""
    must, filters = clauses.get("must", []), clauses.get("filter", [])
    should, must_not = clauses.get("should", []), clauses.get("must_not", [])
    default = 1 if should and not (must or filters) else 0
    required = _minimum_should_match(minimum_should_match, len(should), default)
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
        return score * boost if matched >= required else None

    return matcher


def _contains(tokens: list[str], phrase: list[str]) -> bool:
    size = len(phrase)
    return any(tokens[i : i + size] == phrase for i in range(len(tokens) - size + 1))


def _disjunction(
    matchers: list[Matcher], combine: Callable[[list[float]], float], boost: float
) -> Matcher:
    def matcher(doc_id: str, doc: StoredDoc) -> float | None:
        scores = [s for m in matchers if (s := m(doc_id, doc)) is not None]
        return combine(scores) * boost if scores else None

    return matcher


def _grouped(clauses: list[tuple[str, Matcher]]) -> Matcher:
    """A simple_query_string boolean over already compiled clauses."""
    by_occur: dict[str, list[Matcher]] = {}
    for occur, matcher in clauses:
        by_occur.setdefault(occur, []).append(matcher)
    return _boolean(by_occur, None, 1.0)


def _field_spec(spec: dict[str, Any], key: str) -> tuple[str, Any, dict[str, Any]]:
    """``{"f": v}`` or ``{"f": {key: v, ...options}}`` -> (f, v, options)."""
    name, value = _single_field(spec, key)
    if isinstance(value, dict):
        if key not in value:
            raise parsing(f"[{key}] is required")
        return name, value[key], value
    return name, value, {}


def _single_field(spec: dict[str, Any], kind: str) -> tuple[str, Any]:
    fields = [k for k in spec if k not in ("boost", "_name")]
    if len(fields) != 1:
        raise parsing(f"[{kind}] query doesn't support multiple fields, found {fields}")
    return fields[0], spec[fields[0]]


def _minimum_should_match(value: Any, clauses: int, default: int) -> int:
    if value is None:
        return default
    text = str(value).strip()
    match = re.fullmatch(r"(-?)(\d+)(%?)", text)
    if match is None:
        raise parsing(f"unsupported minimum_should_match [{value}]")
    negative, number, percent = match.groups()
    amount = int(number) * clauses // 100 if percent else int(number)
    return clauses - amount if negative else amount
