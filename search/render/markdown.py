"""The rassegna in Markdown (GitHub-flavoured): for a wiki, a repository, or a quick diff.

Markdown has no autoescape, so this module gives it one: the template environment passes every
printed value through ``escape_inline`` unless it is a ``MarkdownText`` built here on purpose.
A crawled title therefore cannot end a table cell (``|``), open a link (``[``, ``<``), start a
heading or a list, or smuggle HTML into the rendered page. Links are written only for http and
https addresses. The charts appear as small tables of their figures. The topic's mentions in
the clippings are printed in plain ``**bold**`` (no highlight extension that some viewers lack),
each piece escaped before it is wrapped.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from search.render.charts import chart_data
from search.render.html import paragraphs
from search.render.model import NOT_AVAILABLE, WALLED_NOTE, Document
from search.render.safety import safe_url

logger = logging.getLogger(__name__)

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$@])")
"""Characters with inline meaning in CommonMark or GFM (links, emphasis, code, tables, HTML,
entities, strikethrough, math, mentions); a backslash makes any of them literal."""
_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d+[.)](?=\s|$))")
"""What would turn the start of a line into a list item or a setext underline."""


class MarkdownText(str):
    """Markdown written by this module, printed as is."""


def escape_inline(value: Any) -> str:
    """Any value as literal Markdown text on one line."""
    if isinstance(value, MarkdownText):
        return value
    text = " ".join(str(value).split())
    return _BLOCK_START.sub(r"\1\\\2", _literal(text))


def _literal(text: str) -> str:
    """``text`` with every character of inline meaning backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", text)


@pass_context
def marked(context: Context, text: str) -> MarkdownText:
    """``text`` as literal Markdown on one line, with the topic's mentions in bold."""
    document: Document = context["doc"]
    pieces = document.marked(" ".join(text.split()))
    body = "".join(f"**{_literal(p)}**" if hit else _literal(p) for p, hit in pieces)
    return MarkdownText(_BLOCK_START.sub(r"\1\\\2", body))


def link(url: str) -> MarkdownText:
    """An autolink for a followable URL; anything else printed as escaped text."""
    safe = safe_url(url)
    if safe is None:
        return MarkdownText(escape_inline(url))
    return MarkdownText("<" + safe.replace("<", "%3C").replace(">", "%3E") + ">")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("search.render", "templates"),
        autoescape=False,  # noqa: S701 - HTML escaping is wrong for Markdown; finalize escapes
        finalize=escape_inline,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["link"] = link
    env.filters["marked"] = marked
    env.filters["paragraphs"] = paragraphs
    env.filters["or_nd"] = lambda label: label or NOT_AVAILABLE
    env.globals["walled_note"] = WALLED_NOTE
    return env


_ENV = _environment()


def render_markdown(document: Document) -> str:
    text = _ENV.get_template("rassegna.md").render(
        doc=document,
        options=document.options,
        weeks=chart_data(document, "weeks"),
        cities=chart_data(document, "cities"),
        with_clippings=document.options.clippings != "none",
    )
    logger.debug("Markdown rassegna: %d uscite", document.total_uscite)
    return re.sub(r"\n{3,}", "\n\n", text)


def render(document: Document) -> bytes:
    return render_markdown(document).encode("utf-8")
