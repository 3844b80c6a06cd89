"""The rassegna's three charts, drawn from ``Document.charts`` as SVG (HTML, PDF) or PNG (Word).

"weeks": uscite per week, so the office sees when the press tour made news. "cities": uscite per
network city, all sixteen, zeros included, so a city left without coverage stands out.
"audience": audience per category, in the same fixed order as the category table.

Drawing goes through ``matplotlib.figure.Figure`` and the format's own canvas, never pyplot, so
no backend is selected and no global figure manager is touched in a process that also serves or
crawls. Rendering settings apply only for the duration of one drawing (and under a lock, since
matplotlib keeps them in one process-wide dict). Output is byte-for-byte reproducible: fixed
SVG hash salt, no creation date, matplotlib's default style whatever the user has configured.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from matplotlib import rc_context, style
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from enrichment.vocabulary import italian_number
from search.render.model import Document

logger = logging.getLogger(__name__)

KINDS = ("weeks", "cities", "audience")
TITLES = {
    "weeks": "Uscite per settimana",
    "cities": "Uscite per città",
    "audience": "Audience per categoria",
}
NO_DATA = "nessun dato"
MONTHS_SHORT = ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic")
PNG_DPI = 150

_BAR = "#1f4e79"
_INK = "#222222"
_SIZES = {"weeks": (8.0, 3.8), "cities": (8.0, 5.6), "audience": (8.0, 3.8)}
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class ChartData:
    """What one chart shows, as labelled values; also its text alternative."""

    kind: str
    title: str
    points: tuple[tuple[str, int], ...]
    value_labels: tuple[str, ...]
    """The printed value of each point: "1.641.811", or "n.d." for an unmeasured audience."""

    @property
    def empty(self) -> bool:
        return not any(value for _, value in self.points)

    @property
    def rows(self) -> tuple[tuple[str, str], ...]:
        """(label, printed value) pairs, for a table of the chart's figures."""
        return tuple(
            (label, value) for (label, _), value in zip(self.points, self.value_labels, strict=True)
        )

    @property
    def description(self) -> str:
        """The chart's figures in words, for screen readers and text-only formats."""
        if self.empty:
            return f"{self.title}: {NO_DATA}."
        values = "; ".join(f"{label}: {value}" for label, value in self.rows)
        return f"{self.title}. {values}."


def week_label(monday: str, *, year: bool = False) -> str:
    """``2023-10-16`` -> ``16 ott`` (``16 ott 2023`` with the year), short enough for an axis."""
    day = date.fromisoformat(monday)
    label = f"{day.day} {MONTHS_SHORT[day.month - 1]}"
    return f"{label} {day.year}" if year else label


def chart_data(document: Document, kind: str) -> ChartData:
    """The labelled values of chart ``kind`` (one of ``KINDS``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart {kind!r}; one of {', '.join(KINDS)}")
    points: tuple[tuple[str, int], ...] = getattr(document.charts, kind)
    labels = [italian_number(n) for _, n in points]
    if kind == "weeks":
        # The year is printed only where it changes, so a campaign over New Year stays clear.
        years = [monday[:4] for monday, _ in points]
        points = tuple(
            (week_label(monday, year=i > 0 and years[i] != years[i - 1]), n)
            for i, (monday, n) in enumerate(points)
        )
    elif kind == "audience":
        labels = [
            "n.d." if section.audience is None else label
            for section, label in zip(document.categories, labels, strict=True)
        ]
    return ChartData(kind=kind, title=TITLES[kind], points=points, value_labels=tuple(labels))


def chart_svg(document: Document, kind: str) -> str:
    """Chart ``kind`` as an SVG element, ready to be inlined in an HTML page or saved alone.

    Element ids are prefixed with the chart's kind so the three charts can share one page,
    and a ``<title>``/``<desc>`` pair carries the chart's figures for assistive technology.
    """
    data = chart_data(document, kind)
    buffer = io.BytesIO()
    _save(data, buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue().decode("utf-8")
    return _accessible(_prefix_ids(svg[svg.index("<svg") :], f"chart-{kind}-"), data)


def chart_png(document: Document, kind: str) -> bytes:
    """Chart ``kind`` as a PNG image (for Word, which does not take SVG everywhere)."""
    data = chart_data(document, kind)
    buffer = io.BytesIO()
    _save(data, buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _save(data: ChartData, buffer: io.BytesIO, **savefig: Any) -> None:
    # Text stays text in the SVG (smaller, selectable, read by screen readers); the hash salt
    # fixes the ids matplotlib would otherwise draw at random.
    settings = rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": f"rassegna-{data.kind}",
            "font.size": 10.0,
            "axes.titlesize": 13.0,
        }
    )
    with _DRAWING, style.context("default"), settings:
        figure = _draw(data)
        figure.savefig(buffer, **savefig)
    logger.debug("chart %s drawn (%s)", data.kind, savefig.get("format"))


def _draw(data: ChartData) -> Figure:
    figure = Figure(figsize=_SIZES[data.kind], layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(data.title, color=_INK, fontweight="bold", loc="left")
    if data.empty:
        axes.set_axis_off()
        axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=16, color="#666666")
        return figure
    # Bars stand at positions, labels are only ticks: two equal labels never merge into one bar.
    positions = range(len(data.points))
    labels = [label for label, _ in data.points]
    values = [value for _, value in data.points]
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if data.kind == "weeks":
        bars = axes.bar(positions, values, color=_BAR)
        axes.set_xticks(positions, labels)
        axes.set_ylabel("Uscite")
        axes.set_xlabel("Settimana (dal lunedì)")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.yaxis.set_major_formatter(FuncFormatter(_italian_tick))
        axes.margins(y=0.15)
        _thin_labels(axes, len(labels))
    else:
        bars = axes.barh(positions, values, color=_BAR)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()  # the first city or category at the top, as in the tables
        axes.set_xlabel("Uscite" if data.kind == "cities" else "Audience")
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.xaxis.set_major_formatter(FuncFormatter(_italian_tick))
        axes.margins(x=0.18)
    axes.bar_label(bars, labels=list(data.value_labels), padding=3, color=_INK)
    return figure


def _italian_tick(value: float, _position: object) -> str:
    return italian_number(round(value))


def _thin_labels(axes: Axes, count: int) -> None:
    """Many weeks would crowd the axis: tilt the labels, and past 16 show one in n."""
    if count <= 8:
        return
    step = -(-count // 16)
    for i, label in enumerate(axes.get_xticklabels()):
        label.set_rotation(45)
        label.set_horizontalalignment("right")
        label.set_visible(i % step == 0)


_ID_USE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make matplotlib's ids ("figure_1", "patch_3") unique among the charts of one page."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    return _ID_USE.sub(
        lambda m: m.group(1) + (prefix + m.group(2) if m.group(2) in ids else m.group(2)), svg
    )


def _accessible(svg: str, data: ChartData) -> str:
    title_id, desc_id = f"chart-{data.kind}-title", f"chart-{data.kind}-desc"
    head_end = svg.index(">") + 1
    opening = svg[: head_end - 1] + f' role="img" aria-labelledby="{title_id} {desc_id}">'
    labels = (
        f'\n <title id="{title_id}">{escape(data.title)}</title>'
        f'\n <desc id="{desc_id}">{escape(data.description)}</desc>'
    )
    return opening + labels + svg[head_end:]
