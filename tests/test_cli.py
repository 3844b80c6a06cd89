"""The command line as a user meets it: help, one-line errors, exit codes, docs in step."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from crawler.app.cli import _parser
from tests.conftest import ROOT, run_cli, write_csv

COMMANDS = [
    "crawl",
    "import",
    "add",
    "snapshot",
    "search",
    "extract",
    "run",
    "status",
    "sources",
    "serve",
    "reprocess",
    "es-setup",
    "demo",
    "review",
    "users",
    "edition",
]


def test_every_command_has_help_and_appears_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    subparsers = next(a for a in _parser()._actions if a.dest == "command")
    assert sorted(subparsers.choices) == sorted(COMMANDS)  # type: ignore[attr-defined]
    for name, parser in subparsers.choices.items():  # type: ignore[attr-defined]
        assert parser.format_help().strip()
        assert f"rassegna {name}" in readme, name
        for action in parser._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"{name} {action.option_strings}"


def test_the_readme_set_up_commands_are_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.DOTALL)
    assert "pip install . && rassegna demo" in blocks
    test_command = "pip install '.[test]' && python -m pytest"
    assert test_command in blocks
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _one_line_error(result: object) -> str:
    stderr = result.stderr.strip()  # type: ignore[attr-defined]
    assert result.returncode == 2, stderr  # type: ignore[attr-defined]
    assert "\n" not in stderr, stderr
    assert "Traceback" not in stderr
    return stderr


def test_bad_registry_is_one_line_naming_file_outlet_and_field(tmp_path: Path) -> None:
    registry = tmp_path / "sources.yaml"
    registry.write_text(
        "topic: {name: LgNet2, query: lgnet2}\noutlets:\n"
        "  - name: Buona\n    category: quotidiani\n    feeds: ['https://a.test/feed/']\n"
        "  - name: Rotta\n    category: blog\n",
        encoding="utf-8",
    )
    message = _one_line_error(
        run_cli("crawl", "--sources", str(registry), data_dir=tmp_path, check=False)
    )
    assert str(registry) in message
    assert "#2" in message
    assert "'Rotta'" in message
    assert "'category'" in message


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["import", "manca.csv"], "manca.csv: cannot read"),
        (["crawl", "--connect-to", "127.0.0.1"], "--connect-to '127.0.0.1'"),
        (["crawl", "--set", "lowercase=1"], "--set 'lowercase=1'"),
        (["crawl", "--outlet", "Testata Inesistente"], "no outlet named 'Testata Inesistente'"),
        (["extract", "pagina-assente.html"], "pagina-assente.html: cannot read"),
        (["search", "--", "-roma"], "at least one word"),
        (["snapshot", "--since", "2023-13-01"], "'2023-13-01' is not a date"),
        (["crawl", "--no-such-flag"], "unrecognized arguments: --no-such-flag"),
    ],
)
def test_user_errors_are_one_line(tmp_path: Path, args: list[str], expected: str) -> None:
    message = _one_line_error(run_cli(*args, data_dir=tmp_path, check=False))
    assert expected in message


def test_an_unreachable_elasticsearch_is_one_line_for_a_search(tmp_path: Path) -> None:
    message = _one_line_error(
        run_cli("search", "x", "--es-url", "http://127.0.0.1:9", data_dir=tmp_path, check=False)
    )
    assert "http://127.0.0.1:9: unreachable" in message


def test_snapshot_to_a_file_and_an_empty_rassegna(tmp_path: Path) -> None:
    out = tmp_path / "out" / "rassegna.json"
    result = run_cli("snapshot", "--format", "json", "--out", str(out), data_dir=tmp_path)
    assert result.stdout.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    assert '"uscite": 0' in text
    assert list(out.parent.iterdir()) == [out]  # no temporary file left behind


def test_demo_crawls_the_simulated_web_and_writes_the_rassegna(tmp_path: Path) -> None:
    result = run_cli("demo", "--data-dir", str(tmp_path), data_dir=tmp_path / "real")
    assert "Rassegna LgNet2: 14 uscite" in result.stdout
    for name in ("rassegna.json", "rassegna.html", "rassegna.docx", "rassegna.md"):
        assert (tmp_path / name).stat().st_size > 1000, name
    assert '"uscite": 14' in (tmp_path / "rassegna.json").read_text(encoding="utf-8")
    assert "rassegna run" in result.stdout.splitlines()[-2]
    assert not (tmp_path / "real").exists()


def test_demo_keeps_to_its_own_folder_whatever_the_data_dir_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RASSEGNA_DATA_DIR", "/srv/ufficio-stampa")
    assert _parser().parse_args(["demo"]).data_dir == Path("rassegna-demo")
    assert _parser().parse_args(["crawl"]).data_dir == Path("/srv/ufficio-stampa")


def test_an_unquoted_minus_word_excludes_it_from_a_search(tmp_path: Path) -> None:
    rows = [
        {
            "url": f"https://www.esempio.test/2023/11/2{n}/{city.lower()}-lgnet2",
            "outlet": "Esempio",
            "category": "quotidiani",
            "audience": "",
            "date": f"2023-11-2{n}",
            "title": f"{city}: lo sportello LgNet2 apre in centro",
            "journalist": "",
            "text": f"A {city} il progetto LgNet2 apre uno sportello per i nuovi residenti.",
        }
        for n, city in enumerate(("Torino", "Genova"))
    ]
    run_cli("import", str(write_csv(tmp_path / "due.csv", rows)), data_dir=tmp_path)
    found = run_cli("search", "lgnet2", "-torino", "--json", data_dir=tmp_path).stdout
    assert [json.loads(line)["city"] for line in found.splitlines()] == ["Genova"]
    refused = run_cli("search", "lgnet2", "--nessuna", data_dir=tmp_path, check=False)
    assert refused.returncode == 2
    assert "unrecognized arguments: --nessuna" in refused.stderr


def _leaves(
    parser: argparse.ArgumentParser, path: str
) -> list[tuple[str, argparse.ArgumentParser]]:
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        return [(path, parser)]
    return [
        leaf
        for group in groups
        for name, child in group.choices.items()
        for leaf in _leaves(child, f"{path} {name}")
    ]


def test_every_command_takes_the_data_dir_after_its_own_words() -> None:
    missing = [
        path
        for path, parser in _leaves(_parser(), "rassegna")
        if "--data-dir" not in parser._option_string_actions
    ]
    assert missing == []
