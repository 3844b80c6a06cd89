"""The Word rassegna's page furniture: cover, running header, page numbers, table of contents.

Kept apart from ``search.render.docx`` (the body: figures, tables, charts, clippings) because
it changes for other reasons, with the press office's letterhead and with Word, not with the
data, and because most of it is raw OXML python-docx has no API for: fields (``PAGE``,
``NUMPAGES``, ``TOC``), bookmarks, internal links, a content control and ``w:updateFields``.
The body imports this module, never the reverse; it writes every heading through
``Contents.heading`` so the table of contents lists exactly the headings the file has.

The table of contents is a ``TOC`` field whose cached result is already the list of entries,
each a link to a bookmark on its heading, so LibreOffice, Google Docs, phones and previewers,
which show a field's cached result and never recompute it, show the real contents. Page
numbers are left out: they are unknown until a layout. Word recomputes the field, adding them,
when the file is opened (``w:updateFields``, and the field is marked dirty for the readers that
ignore that setting). Like Word's own, the contents sit in a "Table of Contents" content
control (``w:sdt``), so Word offers "Update table" on them and a reader of the body's
paragraphs does not meet every heading twice.
"""

from __future__ import annotations

import re
from io import BytesIO

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from search.render.model import Document

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(20)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
MUTED = RGBColor(0x5A, 0x5A, 0x5A)
LOGO_HEIGHT = Mm(22)
TOC_DEPTH = 2
"""Headings 1 and 2 (sections and categories) are listed; the day headings would crowd it."""
TOC_FIELD = f'TOC \\o "1-{TOC_DEPTH}" \\h \\z \\u'
"""Outline levels 1-2 (``\\o``, ``\\u``) as links (``\\h``); page numbers hidden on the web
layout only (``\\z``), so Word shows them once it has a layout to count."""
TOC_INDENT_MM = 5
"""How much further in, in millimetres, each level's entries start than the level above."""
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)
"""What follows ``w:updateFields`` in the schema's order of ``w:settings``, which Word enforces."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str | None) -> str:
    """Crawled text without the control characters a Word file cannot contain."""
    return _NOT_XML.sub("", text or "")


def line(
    word: WordDocument, text: str, *, size: Pt | None = None, italic: bool = False
) -> Paragraph:
    """A paragraph of one run (also when ``text`` is empty, so it can still be formatted)."""
    paragraph = word.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = italic
    if size is not None:
        run.font.size = size
    return paragraph


def set_up_pages(word: WordDocument, document: Document) -> None:
    """A4 portrait, the running header on every page but the cover, "Pagina X di Y" on every
    page, and fields refreshed when Word opens the file."""
    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.different_first_page_header_footer = True  # the cover has no running header
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    running = header.add_run(clean(document.running_header))
    running.font.size, running.font.color.rgb = Pt(8), MUTED
    for footer in (section.footer, section.first_page_footer):
        _page_numbers(footer.paragraphs[0])
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    word.settings.element.insert_element_before(update, *_AFTER_UPDATE_FIELDS)


def _page_numbers(paragraph: Paragraph) -> None:
    """ "Pagina X di Y", both numbers Word fields (a "1" shown until Word computes them)."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("Pagina ", "PAGE"), (" di ", "NUMPAGES")):
        paragraph.add_run(text).font.size = Pt(8)
        number = OxmlElement("w:fldSimple")
        number.set(qn("w:instr"), field)
        shown = paragraph.add_run("1")
        shown.font.size = Pt(8)  # as its label: Word and LibreOffice keep it when updating
        number.append(shown._r)
        paragraph._p.append(number)


def cover(word: WordDocument, document: Document) -> None:
    """The first page: who pays and who runs it, what this is, which period, how recent."""
    options = document.options
    if options.logos:
        row = word.add_paragraph()
        row.alignment = WD_ALIGN_PARAGRAPH.CENTER
        row.paragraph_format.space_after = Pt(18)
        for index, logo in enumerate(options.logos):
            if index:
                row.add_run("\u2003\u2003")
            picture = row.add_run().add_picture(BytesIO(logo.data), height=LOGO_HEIGHT)
            picture._inline.docPr.set("descr", clean(logo.alt))
    if options.funding:
        funding = _centred(word, options.funding, size=Pt(10), bold=True)
        funding.paragraph_format.space_after = Pt(12)
    for text in options.header_lines:
        line(word, clean(text), size=Pt(9)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if options.project:
        project = _centred(word, options.project, size=Pt(13), italic=True)
        project.paragraph_format.space_before = Pt(24)
    title = word.add_paragraph(clean(options.title), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if document.edition_label:
        _centred(word, document.edition_label, size=Pt(16), bold=True, colour=ACCENT)
    if document.period_label:
        _centred(word, f"Periodo: {document.period_label}", size=Pt(12))
    for text in options.scope:
        _centred(word, text, italic=True)
    updated = word.add_paragraph()
    updated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    updated.add_run("Ultimo aggiornamento: ").bold = True
    updated.add_run(document.updated_label)
    updated.add_run().add_break(WD_BREAK.PAGE)


def _centred(
    word: WordDocument,
    text: str,
    *,
    size: Pt | None = None,
    bold: bool = False,
    italic: bool = False,
    colour: RGBColor | None = None,
) -> Paragraph:
    paragraph = line(word, clean(text), size=size, italic=italic)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.runs[0]
    run.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


class Contents:
    """The table of contents, on a page of its own where it is created, filled by ``fill``.

    Its entries are collected as the body writes its headings through ``heading``, since they
    are only known then; each heading down to ``TOC_DEPTH`` gets a bookmark its entry links to.
    """

    def __init__(self, word: WordDocument) -> None:
        self._word = word
        self._entries: list[tuple[int, str, str]] = []
        """Level, text and bookmark of each listed heading, in document order."""
        title = word.add_paragraph("Indice", style="TOC Heading")
        title.paragraph_format.space_after = Pt(12)  # Heading 1 has none after: it sat on the list
        block = _element("w:sdt")
        properties = _element("w:sdtPr")
        gallery = _element("w:docPartObj")
        gallery.append(_element("w:docPartGallery", val="Table of Contents"))
        gallery.append(_element("w:docPartUnique"))
        properties.append(gallery)
        self._content = _element("w:sdtContent")
        block.extend([properties, self._content])
        title._p.addprevious(block)
        self._content.append(title._p)
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def heading(self, text: str, level: int) -> Paragraph:
        """A heading of ``level``, bookmarked and listed if the contents go that deep."""
        paragraph = self._word.add_heading(text, level=level)
        if level <= TOC_DEPTH:
            number = len(self._entries) + 1
            name = f"_Toc_{number}"
            paragraph._p.get_or_add_pPr().addnext(
                _element("w:bookmarkStart", id=str(number), name=name)
            )
            paragraph._p.append(_element("w:bookmarkEnd", id=str(number)))
            self._entries.append((level, text, name))
        return paragraph

    def fill(self) -> None:
        """The field's cached result: one "toc N" paragraph per heading, each a link to it,
        between the ``separate`` in the first paragraph and the ``end`` in the last."""
        last = len(self._entries) - 1
        for index, (level, text, bookmark) in enumerate(self._entries):
            entry = self._word.add_paragraph(style=_entry_style(self._word, level))
            self._content.append(entry._p)
            if index == 0:
                entry._p.append(_field_char("begin", dirty="true"))
                code = _element("w:instrText", space="preserve")
                code.text = f" {TOC_FIELD} "
                entry._p.append(_run(code))
                entry._p.append(_field_char("separate"))
            link = _element("w:hyperlink", anchor=bookmark, history="1")
            link.append(entry.add_run(text)._r)
            entry._p.append(link)
            if index == last:
                entry._p.append(_field_char("end"))


def _entry_style(word: WordDocument, level: int) -> str:
    """Word's built-in "toc N" style, added as Word defines it when the template lacks it
    (python-docx's does), so Word's own restyling and updates of the contents apply."""
    name = f"toc {level}"
    if name not in word.styles:
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        style.base_style = word.styles["Normal"]
        style.next_paragraph_style = word.styles["Normal"]
        style.priority = 39
        style.unhide_when_used = True
        style.paragraph_format.left_indent = Mm(TOC_INDENT_MM * (level - 1))
        style.paragraph_format.space_after = Pt(5)
    return name


def _element(tag: str, **attributes: str) -> BaseOxmlElement:
    """``<w:tag w:key="value" ...>``, ``space`` being ``xml:space``."""
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn("xml:space" if key == "space" else f"w:{key}"), value)
    return element


def _run(*children: BaseOxmlElement) -> BaseOxmlElement:
    run = _element("w:r")
    run.extend(children)
    return run


def _field_char(kind: str, **attributes: str) -> BaseOxmlElement:
    """A run marking where a complex field's code (``begin``), result (``separate``) or whole
    (``end``) starts or stops."""
    return _run(_element("w:fldChar", fldCharType=kind, **attributes))
