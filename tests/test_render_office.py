"""The Word and PDF rassegna, opened again as a reader's tools open them.

The reference rassegna's rows are imported, the document built once per module, and the files
read back with python-docx and pypdf. PDF tests need Chromium (Debian's ``chromium``, which CI
installs) and skip themselves without it; the browser-handling tests use small fake browsers.
"""

from __future__ import annotations

import csv
import re
import stat
import time
from collections import defaultdict
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.table import Table
from pypdf import PdfReader
from pypdf.generic import Destination

from crawler.imports import import_csv
from crawler.sources import load_sources
from enrichment.records import Article
from search.backends.sqlite import SQLiteStore
from search.errors import RenderError
from search.render import docx as word_renderer
from search.render import pdf as pdf_renderer
from search.render.model import Document, DocumentOptions, build_document
from search.render.snapshot import select_items
from search.store import StoredItem
from tests.conftest import REFERENCE_CSV, reference_as_import, write_csv

OPTIONS = DocumentOptions(
    title="LgNet2 Rassegna Stampa Press Tour",
    header_lines=(
        "Fondo Asilo, Migrazione e Integrazione (FAMI) 2014-2020",
        "Obiettivo Specifico 2 - Obiettivo Nazionale 2",
    ),
)
CATEGORY_ROWS = [
    ["Agenzie", "10", "n.d."],
    ["Quotidiani e quotidiani online", "20", "1.641.811"],
    ["Periodici e periodici online", "1", "n.d."],
    ["Specializzati", "0", "n.d."],
    ["Radio, TV e canali online", "1", "33.000"],
    ["Social Network", "13", "401.735"],
    ["Portali ed E-zine", "15", "595.256"],
    ["Totale", "60", "2.671.802"],
]


@pytest.fixture(scope="module")
def reference_document(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """The reference rassegna rebuilt from its 60 rows (the ``reference_rows`` data, read once
    per module so the Word and PDF files are rendered once)."""
    with REFERENCE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    folder = tmp_path_factory.mktemp("reference")
    store = SQLiteStore(folder / "rassegna.sqlite")
    try:
        path = write_csv(folder / "reference.csv", reference_as_import(rows))
        import_csv(path, store, load_sources(), now="2023-12-14T09:00:00+00:00")
        return build_document(select_items(store), "LgNet2", OPTIONS)
    finally:
        store.close()


@pytest.fixture(scope="module")
def word_bytes(reference_document: Document) -> bytes:
    return word_renderer.render(reference_document)


@pytest.fixture(scope="module")
def word(word_bytes: bytes) -> WordDocument:
    return docx.Document(BytesIO(word_bytes))


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def outlet_tables(word: WordDocument) -> list[Table]:
    return [t for t in word.tables if t.rows[0].cells[0].text == "Testata"]


# --- Word -------------------------------------------------------------------------------------


def test_word_category_table_has_seven_rows_in_fixed_order_and_the_italian_total(
    word: WordDocument,
) -> None:
    (table,) = [t for t in word.tables if t.rows[0].cells[0].text == "Categoria"]
    assert texts(table) == [["Categoria", "Numero Uscite", "Audience"], *CATEGORY_ROWS]


def test_word_shows_the_totals_the_footnote_and_the_update_date(word: WordDocument) -> None:
    assert texts(word.tables[0]) == [
        ["Numero Uscite", "Audience Totale*"],
        ["60", "2.671.802"],
    ]
    paragraphs = [p.text for p in word.paragraphs]
    assert "Ultimo aggiornamento: 14 dicembre 2023" in paragraphs
    assert any(p.startswith("* I dati di audience sono sottostimati") for p in paragraphs)
    assert "Ritagli: testo integrale degli articoli." in paragraphs


def test_word_has_one_table_per_non_empty_category_each_with_its_audience_subtotal(
    word: WordDocument,
) -> None:
    tables = outlet_tables(word)
    assert len(tables) == 6  # "Specializzati" has no uscite: a sentence instead of a table
    newspapers = texts(tables[1])
    assert newspapers[0] == ["Testata", "Audience", "Titolo", "Data", "Giornalista"]
    assert len(newspapers) == 1 + 20 + 1
    assert newspapers[-1][:2] == ["Audience", "1.641.811"]
    assert all(re.fullmatch(r"\d{1,2} (ottobre|novembre|dicembre)", r[3]) for r in newspapers[1:-1])
    assert "A. Gipponi" in [r[4] for r in newspapers]
    assert texts(tables[-1])[-1][:2] == ["Audience", "595.256"]


def test_word_uses_real_styles_on_an_a4_page(word: WordDocument) -> None:
    styles: dict[str, list[str]] = defaultdict(list)
    for paragraph in word.paragraphs:
        styles[paragraph.style.name].append(paragraph.text)
    assert styles["Title"] == ["LgNet2 Rassegna Stampa Press Tour"]
    assert styles["Heading 1"] == [
        "Uscite per categoria",
        "Uscite per testata",
        "Grafici",
        "Ritagli",
    ]
    assert "Specializzati (0)" in styles["Heading 2"]
    assert "18 ottobre 2023" in styles["Heading 3"]
    assert all(t.style.name == "Table Grid" for t in word.tables)
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_word_embeds_the_three_charts_as_png_pictures_with_their_figures_as_alt_text(
    word: WordDocument,
) -> None:
    assert len(word.inline_shapes) == 3
    images = [
        r.target_part for r in word.part.rels.values() if r.reltype == RELATIONSHIP_TYPE.IMAGE
    ]
    assert [i.content_type for i in images] == ["image/png"] * 3
    assert all(i.blob.startswith(b"\x89PNG") for i in images)
    weeks, cities, audience = (shape._inline.docPr.get("descr") for shape in word.inline_shapes)
    assert weeks.startswith("Uscite per settimana")
    assert "Bologna: 0" in cities
    assert "Quotidiani e quotidiani online: 1.641.811" in audience


def test_word_clippings_carry_outlet_link_title_and_text(word: WordDocument) -> None:
    paragraphs = [p.text for p in word.paragraphs]
    clippings = paragraphs[paragraphs.index("Ritagli") :]
    first = clippings.index("ANSA - Politics News Service")
    assert clippings[first : first + 6] == [
        "ANSA - Politics News Service",
        "https://rassegna.test/voce/1",
        "Torino, con LgNet2 alloggi di transizione per 160 persone.",
        "Anche su: ANSA - Regional Service",  # the same wire on another ANSA service
        "18 ottobre 2023",
        "Sintesi redatta a mano: la tappa di Torino della rete LgNet2.",
    ]
    links = [link.address for p in word.paragraphs for link in p.hyperlinks]
    assert len(links) == 60
    assert all(link.startswith(("http://", "https://")) for link in links)


def test_word_file_is_the_same_bytes_for_the_same_data(
    reference_document: Document, word: WordDocument, word_bytes: bytes
) -> None:
    assert word.core_properties.created.date().isoformat() == "2023-12-14"
    assert word.core_properties.modified == word.core_properties.created
    assert word_renderer.render(reference_document) == word_bytes


@pytest.fixture(scope="module")
def hostile_word() -> WordDocument:
    """Uscite whose crawled strings try formula injection, a script link and stray controls."""
    base = Article(
        url="https://giornale.test/articolo-1",
        outlet="Giornale di Prova",
        category="quotidiani",
        audience=1200,
        date="2023-10-17",
        text="Il progetto LgNet2 arriva in città.",
    )
    articles = [
        replace(base, title='=HYPERLINK("https://evil.test","clicca")', journalist="@SOMMA(1;2)"),
        replace(
            base,
            url="javascript:alert(1)",
            outlet="+cmd|' /C calc'!A0",
            title="-2+3",
            date="2023-10-18",
        ),
        replace(
            base,
            url="https://giornale.test/articolo-3",
            title="\tTabulato",
            journalist="\x0bRedazione",
            text="Riga\x0cuno\nRiga due",
            date="2023-10-19",
        ),
    ]
    return reopened(document_of(articles, DocumentOptions()))


def document_of(articles: list[Article], options: DocumentOptions) -> Document:
    stored = [
        StoredItem(article=a, first_seen="2023-10-19T08:00:00+00:00", changed_at=a.date or "")
        for a in articles
    ]
    return build_document(stored, "LgNet2", options)


def reopened(document: Document) -> WordDocument:
    return docx.Document(BytesIO(word_renderer.render(document)))


def test_word_cells_never_start_like_a_formula(hostile_word: WordDocument) -> None:
    (table,) = outlet_tables(hostile_word)
    cells = [cell for row in texts(table)[1:-1] for cell in row]
    assert '\'=HYPERLINK("https://evil.test","clicca")' in cells
    assert "'@SOMMA(1;2)" in cells
    assert "'+cmd|' /C calc'!A0" in cells
    assert "'-2+3" in cells
    assert "'\tTabulato" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_word_prints_a_javascript_url_as_text_not_as_a_link(hostile_word: WordDocument) -> None:
    targets = [r.target_ref for r in hostile_word.part.rels.values() if r.is_external]
    assert "javascript:alert(1)" not in targets
    assert "https://giornale.test/articolo-1" in targets
    assert "javascript:alert(1)" in [p.text for p in hostile_word.paragraphs]


def test_word_drops_control_characters_instead_of_failing(hostile_word: WordDocument) -> None:
    paragraphs = [p.text for p in hostile_word.paragraphs]
    assert "Rigauno" in paragraphs
    assert "Riga due" in paragraphs
    (table,) = outlet_tables(hostile_word)
    assert "Redazione" in [row[4] for row in texts(table)]


def test_word_without_clippings_says_so_and_keeps_blank_header_lines() -> None:
    article = Article(
        url="https://giornale.test/a",
        outlet="Giornale di Prova",
        category="portali",
        date="2023-11-02",
        title="LgNet2 a Genova",
        text="Testo integrale che non deve comparire.",
    )
    options = DocumentOptions(title="Prova", header_lines=("FAMI", "", "LgNet2"), clippings="none")
    word = reopened(document_of([article], options))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[:4] == ["FAMI", "", "LgNet2", "Prova"]
    assert "Ritagli: non inclusi." in paragraphs
    assert "Ritagli" not in paragraphs
    assert not [p for p in paragraphs if "Testo integrale" in p]


# --- PDF --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(reference_document: Document) -> PdfReader:
    try:
        pdf_renderer.find_chromium()
    except RenderError as error:
        pytest.skip(f"no Chromium to print the PDF with (CI installs Debian's chromium): {error}")
    return PdfReader(BytesIO(pdf_renderer.render(reference_document)))


@pytest.fixture(scope="module")
def pdf_text(pdf: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in pdf.pages)


def test_pdf_is_a_several_page_a4_document(pdf: PdfReader) -> None:
    assert 3 <= len(pdf.pages) <= 100
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_pdf_text_has_the_figures_the_tables_and_the_clippings(pdf_text: str) -> None:
    assert "Ultimo aggiornamento" in pdf_text
    assert "14 dicembre 2023" in pdf_text
    assert "2.671.802" in pdf_text
    assert "Agenzie" in pdf_text
    assert re.search(r"Quotidiani e quotidiani online\s+20\s+1\.641\.811", pdf_text)
    assert "Torino, con LgNet2 alloggi di transizione" in pdf_text
    assert "Sintesi redatta a mano: la tappa di Torino della rete LgNet2." in pdf_text


def test_pdf_has_bookmarks_for_the_sections_and_categories(pdf: PdfReader) -> None:
    titles = [entry.title for entry in flatten(pdf.outline)]
    assert {"Ritagli", "Agenzie", "Portali ed E-zine"} <= set(titles)


def flatten(outline: list[object]) -> list[Destination]:
    entries: list[Destination] = []
    for entry in outline:
        if isinstance(entry, list):
            entries += flatten(entry)
        elif isinstance(entry, Destination):
            entries.append(entry)
    return entries


def test_pdf_table_of_contents_links_point_inside_the_document(pdf: PdfReader) -> None:
    destinations = set(pdf.named_destinations)
    internal = [
        annotation.get_object()["/Dest"]
        for page in pdf.pages
        for annotation in page.get("/Annots") or []
        if "/Dest" in annotation.get_object()
    ]
    assert internal
    assert {str(d) for d in internal} <= destinations
    external = [
        annotation.get_object()["/A"]["/URI"]
        for page in pdf.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    assert all(str(uri).startswith(("http://", "https://")) for uri in external)


# --- Finding and running the browser ----------------------------------------------------------


def fake_browser(folder: Path, script: str) -> Path:
    path = folder / "fake-chromium"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_without_a_browser_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RASSEGNA_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match=r"install Debian's 'chromium'.*--format html") as error:
        pdf_renderer.print_to_pdf(b"<p>x</p>")
    assert "\n" not in str(error.value)


def test_a_configured_browser_that_does_not_exist_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASSEGNA_CHROMIUM", str(tmp_path / "nowhere"))
    with pytest.raises(RenderError, match=r"RASSEGNA_CHROMIUM=.*nowhere.* is not an executable"):
        pdf_renderer.find_chromium()


def test_the_browser_prints_with_a_fresh_profile_that_is_removed_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = tmp_path / "argv"
    browser = fake_browser(
        tmp_path,
        f'for a in "$@"; do echo "$a" >> {argv}; done\n'
        'for a in "$@"; do case "$a" in --print-to-pdf=*) '
        'printf "%%PDF-fake" > "${a#--print-to-pdf=}";; esac; done\n',
    )
    monkeypatch.setenv("RASSEGNA_CHROMIUM", str(browser))
    assert pdf_renderer.print_to_pdf(b"<p>ciao</p>") == b"%PDF-fake"
    args = argv.read_text(encoding="utf-8").splitlines()
    assert {"--headless", "--no-sandbox", "--no-pdf-header-footer"} <= set(args)
    (profile,) = [a.removeprefix("--user-data-dir=") for a in args if a.startswith("--user-")]
    assert args[-1].startswith("file://")
    assert not Path(profile).parent.exists()


def test_a_browser_that_fails_gives_its_last_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = fake_browser(
        tmp_path, 'echo "starting" >&2\necho "cannot open display" >&2\nexit 1\n'
    )
    monkeypatch.setenv("RASSEGNA_CHROMIUM", str(browser))
    with pytest.raises(RenderError, match=r"Chromium wrote no PDF \(cannot open display\)"):
        pdf_renderer.print_to_pdf(b"<p>x</p>")


def test_a_hanging_browser_is_stopped_with_its_helpers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helper = tmp_path / "helper.pid"
    browser = fake_browser(tmp_path, f"sleep 60 &\necho $! > {helper}\nwait\n")
    monkeypatch.setenv("RASSEGNA_CHROMIUM", str(browser))
    started = time.monotonic()
    with pytest.raises(RenderError, match="did not finish printing the PDF in 1 s"):
        pdf_renderer.print_to_pdf(b"<p>x</p>", timeout=1)
    assert time.monotonic() - started < 10
    status = Path(f"/proc/{helper.read_text().strip()}/stat")
    deadline = time.monotonic() + 5
    while status.exists() and status.read_text().split()[2] != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not status.exists() or status.read_text().split()[2] == "Z"


def test_word_of_an_empty_selection_says_there_is_no_uscita() -> None:
    word = reopened(document_of([], DocumentOptions()))
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert "Nessuna uscita nel periodo." in texts
