"""Syndicated copies: one story across outlets, found by MinHash LSH and confirmed exactly."""

from __future__ import annotations

from dataclasses import replace

from enrichment.records import Article
from search.store import StoredItem
from search.syndication import also_on, group_copies, story_id

RELEASE = (
    "Il Comune di Sassari entra nella rete nazionale LgNet2 e attiva le unità di strada nei "
    "quartieri del centro storico. Gli operatori incontreranno le persone arrivate da poco in "
    "città per orientarle tra anagrafe, scuola e servizi sanitari. Il progetto è finanziato "
    "dal fondo europeo FAMI e coordinato dal Ministero dell'Interno con ANCI e Cittalia."
)


def item(url: str, outlet: str, title: str, text: str, day: str = "2023-11-22") -> StoredItem:
    article = Article(
        url=url, outlet=outlet, category="quotidiani", title=title, date=day, text=text
    )
    return StoredItem(
        article=article, first_seen=f"{day}T10:00:00+00:00", changed_at=f"{day}T10:00:00+00:00"
    )


def test_a_press_release_on_three_outlets_is_one_story_with_a_rewritten_headline() -> None:
    original = item("https://a.test/1", "Sardegna Reporter", "Sassari nella rete LgNet2", RELEASE)
    copy = item(
        "https://b.test/2",
        "Mediterranews",
        "Unità di strada a Sassari con LgNet2",
        RELEASE + " Aggiornamento: il primo turno parte lunedì.",
        "2023-11-23",
    )
    aggregator = replace(
        copy,
        article=replace(
            copy.article, url="https://c.test/3", outlet="Informazione.it – Sardegna Reporter"
        ),
    )
    other = item(
        "https://d.test/4",
        "Nuova Sardegna",
        "Mercato civico, nuovi orari",
        "Il mercato civico di Sassari cambia orari da dicembre: apertura alle sette e "
        "chiusura alle quattordici, anche il sabato, per venire incontro ai clienti.",
    )
    groups = group_copies([copy, other, original, aggregator])
    assert [[g.article.url for g in group] for group in groups] == [
        ["https://a.test/1", "https://b.test/2", "https://c.test/3"],
        ["https://d.test/4"],
    ]
    assert story_id(groups[0]) == story_id([original])
    copies = also_on([copy, other, original, aggregator])
    assert copies["https://a.test/1"] == ("Mediterranews", "Informazione.it – Sardegna Reporter")
    assert copies["https://d.test/4"] == ()


def test_same_normalised_title_is_a_copy_but_a_generic_title_is_not() -> None:
    a = item("https://a.test/1", "A", "LgNet2, al via a Genova!", "breve")
    b = item("https://b.test/2", "B", "lgnet2 al via a genova", "altro testo breve")
    c = item("https://c.test/3", "C", "Notizie in breve", "uno")
    d = item("https://d.test/4", "D", "Notizie  in breve", "due")
    assert [len(g) for g in group_copies([a, b, c, d])] == [2, 1, 1]


def test_texts_sharing_less_than_half_their_shingles_stay_apart() -> None:
    half = RELEASE.split(". ")
    a = item(
        "https://a.test/1",
        "A",
        "Primo",
        ". ".join(half[:2]) + " Poi si parla d'altro a "
        "lungo, di sport, di cultura e del tempo che farà nel fine settimana in Sardegna.",
    )
    b = item("https://b.test/2", "B", "Secondo", ". ".join(half[1:]))
    assert len(group_copies([a, b])) == 2
