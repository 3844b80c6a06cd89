"""The rassegna as a Word file, for the press office to edit and forward.

Same document as the reference, top to bottom: header lines, title, "Ultimo aggiornamento",
highlights, the two totals with their footnote, the category table, one table per category
with its subtotal, the charts, then the clippings by category and date. Word's own styles
(Title, Heading 1-3, Table Grid) are used so the navigation pane and restyling work.

Crawled strings are untrusted: a table cell never starts like a formula (``safe_cell``, since
tables are pasted into spreadsheets), only http/https URLs become links (``safe_url``), and
characters XML cannot hold are dropped instead of failing the whole file. The zip entries and
core properties carry the date of the data, not the wall clock, so unchanged data gives the
same bytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from io import BytesIO

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from search.render.charts import KINDS, chart_data, chart_png
from search.render.model import NOT_AVAILABLE, CategorySection, Document, Row
from search.render.safety import safe_cell, safe_url

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(20)
CHART_WIDTH = Mm(160)
TABLE_FONT = Pt(9)
HEADER_FILL = "D9E2F3"
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)
CATEGORY_COLUMNS = (("Categoria", 90), ("Numero Uscite", 35), ("Audience", 45))
OUTLET_COLUMNS = (
    ("Testata", 34),
    ("Audience", 22),
    ("Titolo", 59),
    ("Data", 25),
    ("Giornalista", 30),
)
"""Column titles and widths in millimetres; each table fills the 170 mm between margins."""
NUMERIC = frozenset({"Numero Uscite", "Audience"})
EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
"""The stamp of a document without data: the oldest date a zip entry can hold."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def render(document: Document) -> bytes:
    word = new_word_document()
    _set_up(word, document)
    _front(word, document)
    _tables(word, document)
    _charts(word, document)
    _clippings(word, document)
    out = BytesIO()
    word.save(out)
    return _stamped(out.getvalue(), _when(document))


def _clean(text: str | None) -> str:
    """Crawled text without the control characters a Word file cannot contain."""
    return _NOT_XML.sub("", text or "")


def _when(document: Document) -> datetime:
    if not document.updated:
        return EPOCH
    day = date.fromisoformat(document.updated[:10])
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _set_up(word: WordDocument, document: Document) -> None:
    """A4 portrait, Italian proofing, page numbers in the footer, fixed core properties."""
    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    normal = word.styles["Normal"]
    normal.font.size = Pt(10.5)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "it-IT")
    normal.element.get_or_add_rPr().append(language)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{_clean(document.options.title)} — pagina ")
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    footer._p.append(page)
    when = _when(document)
    props = word.core_properties
    props.title = _clean(document.options.title)
    props.subject = f"Rassegna stampa {_clean(document.topic)}"
    props.author = props.last_modified_by = "rassegna"
    props.language = "it-IT"
    props.keywords = _clean(document.topic)
    props.comments = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = when.replace(tzinfo=None)


def _front(word: WordDocument, document: Document) -> None:
    """Everything before the tables: who, what, when, and the figures at a glance."""
    add = word.add_paragraph
    for line in document.options.header_lines:
        _line(word, _clean(line), size=Pt(9)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_paragraph(_clean(document.options.title), style="Title")
    for line in document.options.scope:
        _line(word, _clean(line), italic=True)
    updated = add()
    updated.add_run("Ultimo aggiornamento: ").bold = True
    updated.add_run(document.updated_label)
    if not document.total_uscite:
        add().add_run("Nessuna uscita nel periodo.").bold = True
    if document.highlights:
        highlights = add()
        highlights.add_run("In evidenza: ").bold = True
        highlights.add_run(" · ".join(_clean(name) for name in document.highlights))
    totals = word.add_table(rows=2, cols=2)
    totals.style = "Table Grid"
    totals.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, (label, value) in enumerate(
        (
            ("Numero Uscite", str(document.total_uscite)),
            ("Audience Totale*", document.total_audience_label or NOT_AVAILABLE),
        )
    ):
        _fill(totals.cell(0, column), label, bold=True, centre=True, fill=HEADER_FILL)
        _fill(totals.cell(1, column), value, bold=True, centre=True, size=Pt(20))
    _line(word, document.footnote, size=Pt(8.5), italic=True)
    _line(word, document.clipping_note, italic=True)


def _line(
    word: WordDocument, text: str, *, size: Pt | None = None, italic: bool = False
) -> Paragraph:
    """A paragraph of one run (also when ``text`` is empty, so it can still be formatted)."""
    paragraph = word.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = italic
    if size is not None:
        run.font.size = size
    return paragraph


def _tables(word: WordDocument, document: Document) -> None:
    """The category table (seven rows, fixed order, then the total) and one table per category."""
    word.add_heading("Uscite per categoria", level=1)
    rows = [
        (c.label, str(c.uscite), c.audience_label or NOT_AVAILABLE) for c in document.categories
    ]
    rows.append(
        ("Totale", str(document.total_uscite), document.total_audience_label or NOT_AVAILABLE)
    )
    _table(word, CATEGORY_COLUMNS, rows, bold_last=True)
    word.add_heading("Uscite per testata", level=1)
    for section in document.categories:
        _category(word, section)


def _category(word: WordDocument, section: CategorySection) -> None:
    word.add_heading(f"{section.label} ({section.uscite})", level=2)
    if not section.rows:
        word.add_paragraph("Nessuna uscita in questa categoria.")
        return
    rows = [
        (r.outlet, r.audience_label or NOT_AVAILABLE, r.title, r.date_label, r.journalist or "")
        for r in section.rows
    ]
    rows.append(("Audience", section.audience_label or NOT_AVAILABLE, "", "", ""))
    _table(word, OUTLET_COLUMNS, rows, bold_last=True)


def _table(
    word: WordDocument,
    columns: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[str]],
    *,
    bold_last: bool,
) -> None:
    """A grid table with a shaded header row repeated on every page, rows kept whole on a
    page; cells made safe."""
    table: Table = word.add_table(rows=1 + len(rows), cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    for row in table.rows:
        _row_property(row._tr, "w:cantSplit")
    header = table.rows[0]
    _row_property(header._tr, "w:tblHeader")
    for index, (title, width) in enumerate(columns):
        table.columns[index].width = Mm(width)
        _fill(header.cells[index], title, bold=True, fill=HEADER_FILL, width=Mm(width))
    for number, values in enumerate(rows, start=1):
        cells = table.rows[number].cells
        for index, value in enumerate(values):
            title, width = columns[index]
            _fill(
                cells[index],
                safe_cell(_clean(value)),
                bold=bold_last and number == len(rows),
                right=title in NUMERIC,
                width=Mm(width),
            )


def _row_property(row: CT_Row, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row.get_or_add_trPr().append(flag)


def _fill(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    centre: bool = False,
    right: bool = False,
    fill: str | None = None,
    size: Pt = TABLE_FONT,
    width: Mm | None = None,
) -> None:
    paragraph = cell.paragraphs[0]
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = size
    if width is not None:
        cell.width = width
    if fill:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)


def _charts(word: WordDocument, document: Document) -> None:
    """The three charts, centred, each with its figures in words as alternative text."""
    word.add_heading("Grafici", level=1)
    for kind in KINDS:
        picture = word.add_picture(BytesIO(chart_png(document, kind)), width=CHART_WIDTH)
        picture._inline.docPr.set("descr", _clean(chart_data(document, kind).description))
        word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _clippings(word: WordDocument, document: Document) -> None:
    """Category, then date headings, then each clipping: outlet, link, title, byline, text."""
    if document.options.clippings == "none":
        return
    word.add_heading("Ritagli", level=1)
    for section, days in document.clippings:
        if not days:
            continue
        word.add_heading(section.label, level=2)
        for day in days:
            word.add_heading(day.label, level=3)
            for row in day.rows:
                _clipping(word, row)


def _clipping(word: WordDocument, row: Row) -> None:
    add = word.add_paragraph
    outlet = add()
    outlet.paragraph_format.space_before = Pt(10)
    outlet.paragraph_format.keep_with_next = True
    outlet.add_run(_clean(row.outlet)).bold = True
    link = add()
    link.paragraph_format.keep_with_next = True
    url = safe_url(row.url)
    if url is None:
        link.add_run(_clean(row.url)).font.size = Pt(9)
    else:
        _hyperlink(link, url)
    title = add()
    title.paragraph_format.keep_with_next = True
    heading = title.add_run(_clean(row.title))
    heading.bold = True
    heading.font.size = Pt(12)
    if row.also_on:
        _line(word, "Anche su: " + ", ".join(_clean(o) for o in row.also_on), italic=True)
    byline = ", ".join(
        part
        for part in (_clean(row.journalist) and f"di {_clean(row.journalist)}", row.date_long)
        if part
    )
    if byline:
        _line(word, byline, italic=True)
    for paragraph in _clean(row.text).splitlines():
        if paragraph.strip():
            add(paragraph.strip())


def _hyperlink(paragraph: Paragraph, url: str) -> None:
    """An external link (python-docx has no API for writing one), styled as Word shows links."""
    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = paragraph.add_run(url)
    run.font.size = Pt(9)
    run.font.underline = True
    run.font.color.rgb = LINK_COLOUR
    link.append(run._r)
    paragraph._p.append(link)


def _stamped(blob: bytes, when: datetime) -> bytes:
    """The same package with every zip entry dated ``when`` (python-docx uses the clock)."""
    stamp = when.timetuple()[:6]
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(blob)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(entry))
    return out.getvalue()
