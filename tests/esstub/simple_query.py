"""The ``simple_query_string`` syntax the backend sends, parsed as Lucene's SimpleQueryParser.

The backend quotes every term, so the syntax here is phrases, ``|``, ``-`` and parentheses, with
Lucene's surprises kept: operators combine left to right (``"a" "b" | "c"`` with
``default_operator: and`` is ``(a AND b) OR c``, which is why the backend parenthesises its OR
groups), ``-x`` means "everything but x" (so ``"a" -"b"`` with the default OR operator matches
nearly everything), an unmatched parenthesis is ignored, and a phrase that analyzes to nothing
disappears without consuming the operator before it. Unquoted terms (with their prefix, fuzzy
and escape syntax), ``+`` and phrase slop are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from tests.esstub.errors import unsupported

Q = TypeVar("Q")

MUST, SHOULD, MUST_NOT = "must", "should", "must_not"
_SPACE = " \t\n\r"
_TOKEN_END = _SPACE + '"|()'


@dataclass
class Builder(Generic[Q]):
    """How phrases and booleans become queries; a phrase is None when it analyzes to nothing."""

    phrase: Callable[[str], Q | None]
    boolean: Callable[[list[tuple[str, Q]]], Q]
    match_all: Callable[[], Q]


@dataclass
class _Bool(Generic[Q]):
    clauses: list[tuple[str, _Bool[Q] | Q]] = field(default_factory=list)


@dataclass
class _State(Generic[Q]):
    text: str
    index: int = 0
    top: _Bool[Q] | Q | None = None
    current: str | None = None
    previous: str | None = None
    negations: int = 0


def parse(text: str, default_operator: str, builder: Builder[Q]) -> Q | None:
    """The query for ``text``; None when nothing in it can match (ES then matches nothing)."""
    occur = MUST if default_operator.lower() == "and" else SHOULD
    top = _Parser(builder, occur).parse(text)
    return None if top is None else _build(top, builder)


def _build(node: _Bool[Q] | Q, builder: Builder[Q]) -> Q:
    if isinstance(node, _Bool):
        return builder.boolean([(occur, _build(child, builder)) for occur, child in node.clauses])
    return node


class _Parser(Generic[Q]):
    def __init__(self, builder: Builder[Q], default_occur: str) -> None:
        self.builder = builder
        self.default_occur = default_occur

    def parse(self, text: str) -> _Bool[Q] | Q | None:
        state: _State[Q] = _State(text)
        while state.index < len(text):
            char = text[state.index]
            if char == "(":
                self._subquery(state)
            elif char == ")":
                state.index += 1
            elif char == '"':
                self._phrase(state)
            elif char == "|":
                if state.current is None and state.top is not None:
                    state.current = SHOULD
                state.index += 1
            elif char == "-":
                state.negations += 1
                state.index += 1
                continue
            elif char in _SPACE:
                state.index += 1
            else:
                self._token(state)
            state.negations = 0
        return state.top

    def _subquery(self, state: _State[Q]) -> None:
        start = state.index + 1
        depth, position = 1, start
        while position < len(state.text) and depth:
            if state.text[position] == "(":
                depth += 1
            elif state.text[position] == ")":
                depth -= 1
            position += 1
        if depth:
            state.index = start
            return
        inner = _Parser(self.builder, self.default_occur).parse(state.text[start : position - 1])
        state.index = position
        self._add(state, inner)

    def _phrase(self, state: _State[Q]) -> None:
        start = state.index + 1
        end = state.text.find('"', start)
        if end < 0:
            raise unsupported("an unmatched quote in simple_query_string")
        state.index = end + 1
        phrase = state.text[start:end]
        if "\\" in phrase or state.text.startswith("~", state.index):
            raise unsupported(f"escapes and slop in simple_query_string phrases [{phrase}]")
        self._add(state, self.builder.phrase(phrase))

    def _token(self, state: _State[Q]) -> None:
        start = state.index
        while state.index < len(state.text) and state.text[state.index] not in _TOKEN_END:
            state.index += 1
        word = state.text[start : state.index]
        raise unsupported(f"unquoted simple_query_string terms and + [{word}]")

    def _add(self, state: _State[Q], branch: _Bool[Q] | Q | None) -> None:
        """Lucene's buildQueryTree: a change of operator wraps what was parsed so far."""
        if branch is None:
            return
        if state.negations % 2:
            branch = _Bool([(MUST_NOT, branch), (SHOULD, self.builder.match_all())])
        if state.top is None:
            state.top = branch
        else:
            if state.current is None:
                state.current = self.default_occur
            if state.previous != state.current:
                state.top = _Bool([(state.current, state.top)])
            assert isinstance(state.top, _Bool)
            state.top.clauses.append((state.current, branch))
            state.previous = state.current
        state.current = None
