from __future__ import annotations

import pytest

from enrichment.mentions import Mentions, find_mentions, topic_pattern

LGNET2 = topic_pattern("LgNet2")


@pytest.mark.parametrize(
    "spelling",
    [
        "LgNet2",
        "LGNET2",
        "LgNet 2",
        "LgNet-2",
        "Lgnet2",
        "lgnet2",
        "Ignet2",
        "ignet2",
        "LgNet2,",
        "(LgNet2)",
        "«LgNet2»",
        "“LgNet2”",
        '"LgNet2"',
        "LgNet2.",
        "#LgNet2",
    ],
)
def test_matches_the_spellings_seen_in_the_press(spelling: str) -> None:
    assert LGNET2.search(f"Il progetto {spelling} coinvolge sedici città.")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.it/2023/10/torino-fra-i-comuni-della-rete-lgnet2-il-progetto/",
        "https://www.example.it/2023/10/milano-fra-i-comuni-della-rete-ignet2/",
        "https://www.example.it/notizie/genova_fra_i_comuni_della_rete_lgnet_2_che_promuove",
        "https://www.example.it/tag/progetto-lgnet2",
    ],
)
def test_matches_inside_url_slugs(url: str) -> None:
    assert LGNET2.search(url)


@pytest.mark.parametrize(
    "text",
    [
        "Il precedente progetto LgNetEA aveva coinvolto altri comuni.",
        "La rete LgNet è nata anni fa.",
        "Si parla già di un futuro LgNet3.",
        "Il codice Lgnet22 non esiste.",
        "Il codice LgNet20 non esiste.",
        "Il marchio xLgNet2 è un refuso.",
        "Un anello signet2 in vetrina.",
        "Un anello Signet2 in vetrina.",
        "Il modello LgNet2a è un'altra cosa.",
        "Nel 2023 LgNet 22 comuni?",
    ],
)
def test_does_not_match_other_projects_or_longer_words(text: str) -> None:
    assert not LGNET2.search(text)


def test_pattern_is_derived_from_any_name() -> None:
    pattern = topic_pattern("Horizon2030")
    assert pattern.search("Il piano HORIZON 2030 parte oggi")
    assert pattern.search("vedi /piano-horizon-2030/")
    assert not pattern.search("Horizon2031")
    assert not pattern.search("Horizon")


def test_i_for_l_confusion_applies_only_to_an_initial_l() -> None:
    pattern = topic_pattern("Cittalia")
    assert pattern.search("La fondazione CITTALIA")
    assert not pattern.search("La fondazione Cittaiia")
    assert topic_pattern("Lavoro5").search("Il piano Iavoro5")


def test_name_without_digits_matches_as_a_whole_word() -> None:
    pattern = topic_pattern("LgNetEA")
    assert pattern.search("il progetto LgNetEA")
    assert not pattern.search("il progetto LgNetEAX")
    assert not pattern.search("il progetto LgNet2")


def test_multi_word_names_accept_space_hyphen_or_underscore() -> None:
    pattern = topic_pattern("Fondo Asilo")
    assert pattern.search("il Fondo  Asilo, Migrazione e Integrazione")
    assert pattern.search("/fondo-asilo-migrazione")
    assert pattern.search("fondo_asilo")


def test_variants_are_matched_literally_with_boundaries() -> None:
    pattern = topic_pattern(
        "LgNet2", variants=["Rete dei Comuni per una rapida risposta", "L.g.Net"]
    )
    assert pattern.search("la Rete dei Comuni per una rapida risposta è attiva")
    assert pattern.search("il progetto L.g.Net in città")
    assert not pattern.search("il progetto LxgxNet in città")
    assert not pattern.search("AL.g.Net")
    assert pattern.search("LgNet2")


def test_blank_variants_are_ignored() -> None:
    pattern = topic_pattern("LgNet2", variants=["", "  "])
    assert not pattern.search("nulla da segnalare")


def test_counts_mentions_over_title_and_text() -> None:
    title = "Torino nella rete LgNet2"
    text = "Il progetto LgNet 2 parte oggi.\nLa rete LGNET2 conta sedici comuni, non LgNetEA."
    found = find_mentions(LGNET2, title, text)
    assert found.count == 3
    assert len(found.snippets) == 3


def test_no_mention_gives_zero_and_no_snippets() -> None:
    assert find_mentions(LGNET2, "Titolo", "Un testo su LgNetEA soltanto.") == Mentions(0, ())


def test_no_texts_gives_zero() -> None:
    assert find_mentions(LGNET2) == Mentions(0, ())


def test_snippets_are_limited_but_count_is_not() -> None:
    text = " ".join(f"Paragrafo {n} sul progetto LgNet2." for n in range(8))
    found = find_mentions(LGNET2, text, max_snippets=3)
    assert found.count == 8
    assert len(found.snippets) == 3


def test_snippet_collapses_whitespace_and_cuts_between_words_with_ellipses() -> None:
    text = (
        "Questa mattina in Comune    si è parlato\n\tdi inclusione e di accoglienza dei "
        "cittadini stranieri nell'ambito del progetto LgNet2, finanziato con fondi europei "
        "del programma FAMI e coordinato da ANCI insieme alla fondazione Cittalia."
    )
    (snippet,) = find_mentions(LGNET2, text, context=40).snippets
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "LgNet2" in snippet
    assert "  " not in snippet
    assert "\n" not in snippet
    body = snippet.strip("…")
    assert body.split()[0] in text.split()
    assert body.split()[-1] in text.split()


def test_snippet_of_a_short_text_is_the_whole_text_without_ellipses() -> None:
    (snippet,) = find_mentions(LGNET2, "  Torino nella rete\nLgNet2  ").snippets
    assert snippet == "Torino nella rete LgNet2"


def test_snippet_keeps_the_mention_even_next_to_a_very_long_word() -> None:
    text = "x" * 200 + " LgNet2 " + "y" * 200
    (snippet,) = find_mentions(LGNET2, text, context=20).snippets
    assert snippet == "…LgNet2…"
