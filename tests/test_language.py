from __future__ import annotations

import pytest

from enrichment.language import MAX_CHARS, detect_language

ITALIAN = (
    "Il Comune ha presentato ieri mattina i risultati del progetto: centosessanta persone "
    "hanno trovato un alloggio e molte altre sono state accompagnate verso i servizi sociali "
    "del territorio, grazie al lavoro degli operatori e delle associazioni di volontariato."
)
GERMAN = (
    "Die Gemeinde hat gestern die Ergebnisse des Projekts vorgestellt: Viele Menschen haben "
    "eine Wohnung gefunden und wurden von den Sozialdiensten der Stadt begleitet, dank der "
    "Arbeit der Mitarbeiter und der ehrenamtlichen Vereine."
)
ENGLISH = (
    "The city council presented the results of the project yesterday morning: many people "
    "found a home and were supported by the social services of the town, thanks to the work "
    "of the staff and of the volunteer associations."
)
FRENCH = (
    "La mairie a présenté hier matin les résultats du projet : beaucoup de personnes ont "
    "trouvé un logement et ont été accompagnées par les services sociaux de la ville, grâce "
    "au travail des employés et des associations de bénévoles."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(ITALIAN, "it"), (GERMAN, "de"), (ENGLISH, "en"), (FRENCH, "fr")],
)
def test_detects_the_language_of_a_paragraph(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_detected_language_wins_over_a_wrong_declaration() -> None:
    assert detect_language(GERMAN, declared="it-IT") == "de"


def test_same_text_always_gives_the_same_answer() -> None:
    mixed = "Bozen Bolzano Gemeinde Comune progetto Projekt inclusione Integration rete Netz"
    answers = {detect_language(mixed) for _ in range(5)}
    assert len(answers) == 1


def test_an_unsure_answer_keeps_the_declared_language() -> None:
    # Place names of both languages in a row: no language wins clearly, the page's own
    # declaration stands.
    names = "Bozen Bolzano Meran Merano Brixen Bressanone Sterzing Vipiteno Bruneck Brunico"
    assert detect_language(names, declared="de-DE") == "de"
    assert detect_language(names, declared="it") == "it"
    assert detect_language(names) is None


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("it-IT", "it"),
        ("it_IT", "it"),
        ("IT", "it"),
        (" de ", "de"),
        ("en-GB", "en"),
        (None, None),
        ("", None),
        ("italiano", None),
        ("x", None),
    ],
)
def test_short_text_falls_back_to_the_normalised_declared_language(
    declared: str | None, expected: str | None
) -> None:
    assert detect_language("Ciao a tutti", declared=declared) == expected


def test_empty_text_without_declaration_is_unknown() -> None:
    assert detect_language("") is None


def test_digits_and_punctuation_do_not_count_as_letters() -> None:
    assert detect_language("2023-10-18 12:30 — 160/16 … 1.234.567 " * 10, declared="it") == "it"


def test_text_the_detector_cannot_read_falls_back_to_declared() -> None:
    # Enough letters to try, but only URLs and e-mails, which the detector discards.
    noise = "https://www.example.it/abcdefghijklmnopqrstuvwxyz mail@exampleabcdefghij.it"
    assert detect_language(noise, declared="it-IT") == "it"
    assert detect_language(noise) is None


def test_only_the_beginning_of_a_long_text_is_read() -> None:
    long_text = ITALIAN * (MAX_CHARS // len(ITALIAN) + 1) + GERMAN * 50
    assert detect_language(long_text) == "it"
