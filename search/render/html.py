"""The rassegna as one standalone HTML5 page: what the office opens, prints, or turns into PDF.

Everything the page needs is inside it (CSS inline, charts as inline SVG, no scripts, no web
fonts, no CDN), so it can be mailed, archived, or printed offline and looks the same in ten
years. The print stylesheet lays it out on A4: the cover is a page of its own, table headers
repeat on every page, each category's clippings start on a new page, and CSS ``@page`` margin
boxes print the running header and "Pagina X di Y" (Chromium draws them since version 131),
which is what the PDF renderer relies on.

Every crawled string reaches the page through Jinja2 autoescaping; links are written only for
http/https addresses (``safety.safe_url``), anything else is printed as plain text. The topic's
mentions in the clippings are wrapped in ``<mark>`` piece by piece, each piece escaped, so the
marking never lets an article's own markup through.
"""

from __future__ import annotations

import base64
import logging

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from enrichment.registry_sections import Logo
from search.render.charts import KINDS, chart_data, chart_svg
from search.render.model import NOT_AVAILABLE, WALLED_NOTE, Document
from search.render.safety import safe_url

logger = logging.getLogger(__name__)


def paragraphs(text: str) -> list[str]:
    """The article's paragraphs (``Article.text`` separates them with newlines)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@pass_context
def marked(context: Context, text: str) -> Markup:
    """``text`` escaped, with the document's topic mentions in ``<mark>``."""
    document: Document = context["doc"]
    return Markup("").join(
        Markup("<mark>{}</mark>").format(piece) if hit else escape(piece)
        for piece, hit in document.marked(text)
    )


def data_uri(logo: Logo) -> str:
    """The logo inside the page itself, which must load nothing from elsewhere."""
    return f"data:{logo.media_type};base64,{base64.b64encode(logo.data).decode('ascii')}"


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string for the stylesheet inside the page.

    Jinja2's HTML escaping means nothing inside ``<style>``; here every character but letters,
    digits and spaces becomes a CSS hex escape, so no quote, backslash, newline or ``</style>``
    can end the string or the element.
    """
    body = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{body}"')  # noqa: S704 - every character outside [alnum, space] escaped


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("search.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["paragraphs"] = paragraphs
    env.filters["safe_url"] = safe_url
    env.filters["or_nd"] = lambda label: label or NOT_AVAILABLE
    env.globals["walled_note"] = WALLED_NOTE
    env.filters["marked"] = marked
    env.filters["data_uri"] = data_uri
    return env


_ENV = _environment()


def render_html(document: Document, *, base_href: str | None = None) -> str:
    """The page as text.

    ``base_href`` adds a ``<base>`` element for a server that shows the page under another
    address. The page loads nothing relative, but its table of contents uses fragment links
    ("#cat-agenzie") and a browser resolves those against the base too: give the address the
    page itself is served at, or none.
    """
    # The SVG is matplotlib's, which escapes the labels it draws; it must not be escaped again.
    charts = [
        {
            "kind": kind,
            "svg": Markup(chart_svg(document, kind)),  # noqa: S704
            "data": chart_data(document, kind),
        }
        for kind in KINDS
    ]
    page = _ENV.get_template("rassegna.html").render(
        doc=document,
        options=document.options,
        charts=charts,
        with_clippings=document.options.clippings != "none",
        base_href=base_href,
        running_header=css_string(document.running_header),
    )
    logger.debug("HTML rassegna: %d uscite, %d characters", document.total_uscite, len(page))
    return page


def render(document: Document) -> bytes:
    return render_html(document).encode("utf-8")
