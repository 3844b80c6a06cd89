"""The rassegna as the press office of a Ministry-funded project sends it out.

A cover page (logos, funding statement, header lines, project and document titles, edition
and period), "In evidenza" as a list of articles, dates with the year when the uscite span
two years, page numbers and a running header in the PDF and in Word, a Word table of
contents that readers other than Word can show too, and the topic marked in the clippings
without letting an article's markup through.
The registry's ``document:`` keys that feed the cover are checked here too.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from importlib import resources
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html
from PIL import Image

from crawler.sources import load_sources
from enrichment.errors import RegistryError
from enrichment.records import Article
from enrichment.registry import Registry, load_registry
from search.backends.sqlite import SQLiteStore
from search.desk.decisions import Decision
from search.editions.freeze import edition_document
from search.editions.store import Edition
from search.errors import RenderError
from search.render import docx as word_renderer
from search.render import html, markdown
from search.render import pdf as pdf_renderer
from search.render.model import Document, build_document, document_options
from search.store import StoredItem
from tests.conftest import article

FUNDING = "Progetto cofinanziato dall'Unione Europea – Fondo Asilo, Migrazione e Integrazione"
PROJECT = "Rete dei Comuni per una rapida risposta e servizi per l'inclusione d'emergenza"
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
HOSTILE = "Il progetto LGNET2 <script>alert('x')</script> parte, con Lgnet 2 e la ReteComuni."


def _png(path: Path, colour: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (60, 40), colour).save(path)


def _registry_file(folder: Path, logos: str) -> Path:
    path = folder / "registry.yaml"
    path.write_text(
        "topic: {name: LgNet2, variants: [ReteComuni]}\n"
        "document:\n"
        f'  funding: "{FUNDING}"\n'
        f'  project: "{PROJECT}"\n'
        "  title: LgNet2 Rassegna Stampa\n"
        "  header: [Fondo Asilo, Obiettivo Specifico 2]\n"
        f"  logos: {logos}\n"
        "outlets:\n"
        "  - {name: Giornale, category: quotidiani, urls: [giornale.test]}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Registry:
    """A registry in a folder of its own, loaded from elsewhere, with two logos beside it."""
    folder = tmp_path / "office"
    _png(folder / "loghi" / "ue.png", "navy")
    _png(folder / "loghi" / "rete.png", "teal")
    path = _registry_file(folder, "[{file: loghi/ue.png, alt: Unione Europea}, loghi/rete.png]")
    monkeypatch.chdir(tmp_path)
    return load_registry(path.relative_to(tmp_path))


def _stored(articles: list[Article]) -> list[StoredItem]:
    return [
        StoredItem(article=a, first_seen="2026-11-02T08:00:00+00:00", changed_at=a.date or "")
        for a in articles
    ]


ARTICLES = [
    article(url="https://giornale.test/1", outlet="Giornale", date="2026-11-03", text=HOSTILE),
    article(
        url="https://giornale.test/2",
        outlet="Cronaca",
        date="2026-11-20",
        title="LgNet2 a Torino: sportelli aperti",
    ),
]


@pytest.fixture
def edition(registry: Registry) -> Document:
    options = document_options(registry, edition=7, period=NOVEMBER)
    chosen = {"https://giornale.test/2": Decision(url="https://giornale.test/2", highlight=True)}
    return build_document(_stored(ARTICLES), "LgNet2", options, chosen)


def _word(document: Document) -> WordDocument:
    return docx.Document(BytesIO(word_renderer.render(document)))


def _part(document: Document, name: str) -> str:
    with zipfile.ZipFile(BytesIO(word_renderer.render(document))) as package:
        return package.read(name).decode("utf-8")


# --- registry ---------------------------------------------------------------------------------


def test_logos_are_read_relative_to_the_registry_file_not_the_working_folder(
    registry: Registry,
) -> None:
    header = registry.document
    assert [Path(logo.file).name for logo in header.logos] == ["ue.png", "rete.png"]
    assert [logo.alt for logo in header.logos] == ["Unione Europea", ""]
    assert all(logo.media_type == "image/png" for logo in header.logos)
    assert header.logos[0].data.startswith(b"\x89PNG")
    assert (header.funding, header.project) == (FUNDING, PROJECT)


@pytest.mark.parametrize(
    ("logos", "reason"),
    [
        ("[loghi/assente.png]", "cannot be read"),
        ("[non-immagine.txt]", "is not a PNG or JPEG image"),
    ],
)
def test_a_missing_or_wrong_logo_is_a_one_line_error_naming_it(
    tmp_path: Path, logos: str, reason: str
) -> None:
    (tmp_path / "non-immagine.txt").write_text("testo", encoding="utf-8")
    path = _registry_file(tmp_path, logos)
    with pytest.raises(RegistryError) as raised:
        load_registry(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert reason in message
    assert logos.strip("[]") in message


def test_the_bundled_registry_ships_its_logos_as_package_data() -> None:
    header = load_sources().document
    assert len(header.logos) == 2
    assert header.funding.startswith("Progetto cofinanziato dall'Unione Europea")
    assert header.project.startswith("Rete dei Comuni per una rapida risposta")
    assets = resources.files("crawler") / "assets"
    for logo in header.logos:
        assert (assets / Path(logo.file).name).is_file()
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert 'crawler = ["sources.yaml", "assets/*.png"]' in pyproject


# --- cover ------------------------------------------------------------------------------------


def test_html_cover_has_logos_funding_headers_project_title_edition_and_period(
    edition: Document,
) -> None:
    page = lxml_html.fromstring(html.render_html(edition))
    (cover,) = page.xpath("//header[@class='cover']")
    images = cover.xpath(".//div[@class='logos']/img")
    assert [img.get("alt") for img in images] == ["Unione Europea", ""]
    assert all(img.get("src").startswith("data:image/png;base64,") for img in images)
    lines = [" ".join(p.text_content().split()) for p in cover.xpath("./p|./h1")]
    assert lines[:7] == [
        FUNDING,
        "Fondo Asilo",
        "Obiettivo Specifico 2",
        PROJECT,
        "LgNet2 Rassegna Stampa",
        "Edizione n. 7",
        "Periodo: dal 1 novembre al 30 novembre 2026",
    ]


def test_word_cover_has_the_logos_as_pictures_and_the_edition_with_its_period(
    edition: Document,
) -> None:
    word = _word(edition)
    assert len(word.inline_shapes) == 2 + 3  # two logos, then the three charts
    texts = [p.text for p in word.paragraphs]
    title = texts.index("LgNet2 Rassegna Stampa")
    assert texts[title - 4 : title] == [FUNDING, "Fondo Asilo", "Obiettivo Specifico 2", PROJECT]
    assert texts[title + 1 : title + 3] == [
        "Edizione n. 7",
        "Periodo: dal 1 novembre al 30 novembre 2026",
    ]
    assert word.paragraphs[title].style.name == "Title"


def test_an_approved_edition_carries_its_number_and_period(
    registry: Registry, tmp_path: Path
) -> None:
    store = SQLiteStore(tmp_path / "rassegna.sqlite")
    try:
        for item in ARTICLES:
            store.upsert(item, now="2026-12-01T08:00:00+00:00")
        frozen = Edition(
            number=4,
            title="Novembre",
            since="2026-11-01",
            until="2026-11-30",
            state="draft",
            created_at="2026-12-01T08:00:00+00:00",
            created_by="anna",
        )
        document = edition_document(store, registry, frozen, {})
    finally:
        store.close()
    assert (document.options.edition, document.options.period) == (4, NOVEMBER)
    assert document.edition_label == "Edizione n. 4 — Novembre"
    assert document.running_header == "LgNet2 Rassegna Stampa · Edizione n. 4"
    assert document.options.scope == ()


# --- In evidenza ------------------------------------------------------------------------------


def test_highlighted_items_are_a_list_of_articles_in_html_and_word(edition: Document) -> None:
    page = lxml_html.fromstring(html.render_html(edition))
    (item,) = page.xpath("//div[contains(@class, 'highlights')]//li")
    assert item.xpath("string(.//span[@class='outlet'])") == "Cronaca"
    assert item.xpath("string(.//cite)") == "LgNet2 a Torino: sportelli aperti"
    assert item.xpath(".//time/@datetime") == ["2026-11-20"]
    bullets = [p for p in _word(edition).paragraphs if p.style.name == "List Bullet"]
    assert [p.text for p in bullets] == ["Cronaca: LgNet2 a Torino: sportelli aperti · 20 novembre"]


# --- dates ------------------------------------------------------------------------------------


def test_dates_carry_the_year_only_when_the_uscite_span_two_years(registry: Registry) -> None:
    options = document_options(registry)
    across = [
        replace(ARTICLES[0], date="2023-12-30"),
        replace(ARTICLES[1], date="2024-01-02"),
    ]
    spanning = build_document(_stored(across), "LgNet2", options)
    labels = [row.date_label for section in spanning.categories for row in section.rows]
    assert labels == ["30 dicembre 2023", "2 gennaio 2024"]
    page = lxml_html.fromstring(html.render_html(spanning))
    assert page.xpath("//table[@class='outlets']//td[@class='date']/time/text()") == labels
    single = build_document(_stored(ARTICLES), "LgNet2", options)
    assert [r.date_label for s in single.categories for r in s.rows] == [
        "3 novembre",
        "20 novembre",
    ]


# --- topic marked -----------------------------------------------------------------------------


def test_the_topic_is_marked_in_every_spelling_and_the_article_markup_stays_text(
    edition: Document,
) -> None:
    page = html.render_html(edition)
    tree = lxml_html.fromstring(page)
    marks = tree.xpath("//article[@class='clipping']//mark/text()")
    # The first clipping's text, then the second's title and text.
    assert marks == ["LGNET2", "Lgnet 2", "ReteComuni", "LgNet2", "LgNet2"]
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert not tree.xpath("//script")

    text = markdown.render_markdown(edition)
    assert "Il progetto **LGNET2** \\<script\\>alert('x')\\</script\\> parte" in text
    assert "con **Lgnet 2** e la **ReteComuni**." in text

    (clipping,) = [p for p in _word(edition).paragraphs if p.text == HOSTILE]
    highlighted = [run.text for run in clipping.runs if run.font.highlight_color is not None]
    assert highlighted == ["LGNET2", "Lgnet 2", "ReteComuni"]
    assert all(run.bold for run in clipping.runs if run.text in highlighted)


# --- Word: contents, page numbers, running header ---------------------------------------------


def test_word_has_a_contents_field_refreshed_on_opening_and_numbered_pages(
    edition: Document,
) -> None:
    body = _part(edition, "word/document.xml")
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert 'w:fldCharType="begin" w:dirty="true"' in body
    assert '<w:updateFields w:val="true"/>' in _part(edition, "word/settings.xml")
    word = _word(edition)
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "LgNet2 Rassegna Stampa · Edizione n. 7"
    for footer in (section.footer, section.first_page_footer):
        xml = footer._element.xml
        assert 'w:instr="PAGE"' in xml
        assert 'w:instr="NUMPAGES"' in xml
        assert footer.paragraphs[0].text.startswith("Pagina ")
    headings = {p.style.name for p in word.paragraphs if p.text in ("Grafici", "Ritagli")}
    assert headings == {"Heading 1"}


def test_word_contents_already_list_the_headings_each_linking_to_its_bookmark(
    edition: Document,
) -> None:
    """The field's cached result is what every reader but Word shows: the real entries, in
    the "toc N" styles, between the field's ``separate`` and ``end``."""
    word = _word(edition)
    contents = "./w:sdt[w:sdtPr/w:docPartObj/w:docPartGallery/@w:val='Table of Contents']"
    (block,) = word.element.body.xpath(contents)
    levels = {"Heading 1": "toc 1", "Heading 2": "toc 2"}
    headings = [p for p in word.paragraphs if p.style.name in levels]
    entries = [
        Paragraph(p, word) for p in word.element.body.xpath(f"{contents}/w:sdtContent/w:p")[1:]
    ]  # after the "Indice" title
    assert [(p.style.name, p.text) for p in entries] == [
        (levels[h.style.name], h.text) for h in headings
    ]
    listed = [p.text for p in entries]
    categories = [f"{section.label} ({section.uscite})" for section in edition.categories]
    assert len(categories) == 7
    assert listed[listed.index("Uscite per testata") + 1 :][:7] == categories
    assert listed[listed.index("Ritagli") + 1 :] == ["Quotidiani e quotidiani online"]
    assert "20 novembre" not in listed  # a day heading: level 3, not in the contents
    for entry, heading in zip(entries, headings, strict=True):
        (anchor,) = entry._p.xpath("./w:hyperlink/@w:anchor")
        assert heading._p.xpath("./w:bookmarkStart/@w:name") == [anchor]
        assert "".join(entry._p.xpath("./w:r//w:t/text()")) == ""  # no page number yet
    sequence = [
        element.get(qn("w:fldCharType")) or "entry"
        for element in block.iter(qn("w:fldChar"), qn("w:hyperlink"))
    ]
    assert sequence == ["begin", "separate", *["entry"] * len(entries), "end"]
    assert entries[0]._p.xpath(".//w:instrText/text()") == [' TOC \\o "1-2" \\h \\z \\u ']
    assert entries[-1]._p.xpath("./w:r/w:fldChar/@w:fldCharType") == ["end"]
    assert word.styles["toc 2"].paragraph_format.left_indent > 0


# --- PDF --------------------------------------------------------------------------------------


def test_pdf_pages_are_numbered_and_carry_the_running_header(edition: Document) -> None:
    try:
        pdf_renderer.find_chromium()
    except RenderError as error:
        pytest.skip(f"no Chromium to print the PDF with: {error}")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pdf_renderer.render(edition),
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    pages = text.split("\f")[:-1]
    total = len(pages)
    assert total >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} di {total}" in page
    assert "Edizione n. 7" in pages[0]
    assert "LgNet2 Rassegna Stampa · Edizione n. 7" not in pages[0]  # the cover has its own
    assert "LgNet2 Rassegna Stampa · Edizione n. 7" in pages[1]
