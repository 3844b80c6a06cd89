"""The rassegna as a Word file, for the press office to edit and forward.

Same document as the reference, top to bottom: the cover page and the table of contents, then
the highlights, the two totals with their footnote, the category table, one table per category
with its subtotal, the charts, then the clippings by category and date, the topic's mentions
highlighted. Word's own styles (Title, Heading 1-3, List Bullet, Table Grid) are used so the
navigation pane, the table of contents and restyling work. This module writes that body; the
page furniture around it (cover, running header, page numbers, the contents and the fields
Word refreshes) is ``search.render.docx_pages``, and every heading goes through its
``Contents`` so the table of contents lists exactly the headings written here.

Crawled strings are untrusted: a table cell never starts like a formula (``safe_cell``, since
tables are pasted into spreadsheets), only http/https URLs become links (``safe_url``), and
characters XML cannot hold are dropped instead of failing the whole file (``clean``). The zip
entries and core properties carry the date of the data, not the wall clock, so unchanged data
gives the same bytes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from io import BytesIO

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from search.render.charts import KINDS, chart_data, chart_png
from search.render.docx_pages import MUTED, Contents, clean, cover, line, set_up_pages
from search.render.model import NOT_AVAILABLE, WALLED_NOTE, CategorySection, Document, Row
from search.render.safety import safe_cell, safe_url

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


def render(document: Document) -> bytes:
    word = new_word_document()
    _set_up(word, document)
    set_up_pages(word, document)
    cover(word, document)
    contents = Contents(word)
    _summary(word, document)
    _tables(word, document, contents)
    _charts(word, document, contents)
    _clippings(word, document, contents)
    contents.fill()
    out = BytesIO()
    word.save(out)
    return _stamped(out.getvalue(), _when(document))


def _when(document: Document) -> datetime:
    if not document.updated:
        return EPOCH
    day = date.fromisoformat(document.updated[:10])
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _set_up(word: WordDocument, document: Document) -> None:
    """Body text in Italian (for proofing) and fixed core properties."""
    normal = word.styles["Normal"]
    normal.font.size = Pt(10.5)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "it-IT")
    normal.element.get_or_add_rPr().append(language)
    when = _when(document)
    props = word.core_properties
    props.title = clean(document.options.title)
    props.subject = f"Rassegna stampa {clean(document.topic)}"
    props.author = props.last_modified_by = "rassegna"
    props.language = "it-IT"
    props.keywords = clean(document.topic)
    props.comments = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = when.replace(tzinfo=None)


def _summary(word: WordDocument, document: Document) -> None:
    """The figures at a glance: highlights, the two totals and their footnote."""
    add = word.add_paragraph
    if not document.total_uscite:
        add().add_run("Nessuna uscita nel periodo.").bold = True
    if document.highlighted:
        add().add_run("In evidenza").bold = True
        for row in document.highlighted:
            item = add(style="List Bullet")
            item.add_run(clean(row.outlet)).bold = True
            item.add_run(f": {clean(row.title)}")
            if row.date_label:
                item.add_run(f" · {row.date_label}").font.color.rgb = MUTED
    elif document.highlights:
        highlights = add()
        highlights.add_run("In evidenza: ").bold = True
        highlights.add_run(" · ".join(clean(name) for name in document.highlights))
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
    line(word, document.footnote, size=Pt(8.5), italic=True)
    line(word, document.clipping_note, italic=True)


def _tables(word: WordDocument, document: Document, contents: Contents) -> None:
    """The category table (seven rows, fixed order, then the total) and one table per category."""
    contents.heading("Uscite per categoria", 1)
    rows = [
        (c.label, str(c.uscite), c.audience_label or NOT_AVAILABLE) for c in document.categories
    ]
    rows.append(
        ("Totale", str(document.total_uscite), document.total_audience_label or NOT_AVAILABLE)
    )
    _table(word, CATEGORY_COLUMNS, rows, bold_last=True)
    contents.heading("Uscite per testata", 1)
    for section in document.categories:
        _category(word, section, contents)


def _category(word: WordDocument, section: CategorySection, contents: Contents) -> None:
    contents.heading(f"{section.label} ({section.uscite})", 2)
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
                safe_cell(clean(value)),
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


def _charts(word: WordDocument, document: Document, contents: Contents) -> None:
    """The three charts, centred, each with its figures in words as alternative text."""
    contents.heading("Grafici", 1)
    for kind in KINDS:
        picture = word.add_picture(BytesIO(chart_png(document, kind)), width=CHART_WIDTH)
        picture._inline.docPr.set("descr", clean(chart_data(document, kind).description))
        word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _clippings(word: WordDocument, document: Document, contents: Contents) -> None:
    """Category, then date headings, then each clipping: outlet, link, title, byline, text."""
    if document.options.clippings == "none":
        return
    contents.heading("Ritagli", 1)
    for section, days in document.clippings:
        if not days:
            continue
        contents.heading(section.label, 2)
        for day in days:
            contents.heading(day.label, 3)
            for row in day.rows:
                _clipping(word, document, row)


def _clipping(word: WordDocument, document: Document, row: Row) -> None:
    add = word.add_paragraph
    outlet = add()
    outlet.paragraph_format.space_before = Pt(10)
    outlet.paragraph_format.keep_with_next = True
    outlet.add_run(clean(row.outlet)).bold = True
    link = add()
    link.paragraph_format.keep_with_next = True
    url = safe_url(row.url)
    if url is None:
        link.add_run(clean(row.url)).font.size = Pt(9)
    else:
        _hyperlink(link, url)
    title = add()
    title.paragraph_format.keep_with_next = True
    for run in _marked(title, document, clean(row.title)):
        run.bold = True
        run.font.size = Pt(12)
    if row.also_on:
        line(word, "Anche su: " + ", ".join(clean(o) for o in row.also_on), italic=True)
    byline = ", ".join(
        part
        for part in (clean(row.journalist) and f"di {clean(row.journalist)}", row.date_long)
        if part
    )
    if byline:
        line(word, byline, italic=True)
    if row.walled:
        line(word, WALLED_NOTE, italic=True)
    for paragraph in clean(row.text).splitlines():
        if paragraph.strip():
            _marked(add(), document, paragraph.strip())


def _marked(paragraph: Paragraph, document: Document, text: str) -> list[Run]:
    """``text`` added as runs, the topic's mentions bold on a yellow highlight."""
    runs = []
    for piece, hit in document.marked(text):
        run = paragraph.add_run(piece)
        if hit:
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        runs.append(run)
    return runs


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
