from __future__ import annotations

import pytest

from crawler.connect_to import ConnectTo, parse_rule, parse_rules, resolve, rules_from_env
from crawler.errors import ConnectToError


def test_empty_source_matches_every_host_and_port() -> None:
    rules = parse_rules(["::127.0.0.1:8443"])
    assert resolve(rules, "www.torinoggi.it", 443) == ("127.0.0.1", 8443)
    assert resolve(rules, "www.ansa.it", 80) == ("127.0.0.1", 8443)


def test_specific_rule_wins_in_order_and_others_pass_through() -> None:
    rules = parse_rules(["www.ansa.it:443:127.0.0.2:9000", "::127.0.0.1:8443"])
    assert resolve(rules, "www.ansa.it", 443) == ("127.0.0.2", 9000)
    assert resolve(rules, "www.ansa.it", 80) == ("127.0.0.1", 8443)
    assert resolve(parse_rules(["www.ansa.it:443:127.0.0.2:9000"]), "x.it", 443) == ("x.it", 443)


def test_empty_target_part_keeps_the_original() -> None:
    assert parse_rule("example.it:443::8443") == ConnectTo("example.it", 443, "", 8443)
    assert resolve(parse_rules(["example.it:443::8443"]), "example.it", 443) == ("example.it", 8443)
    assert resolve(parse_rules(["::127.0.0.1:"]), "a.it", 443) == ("127.0.0.1", 443)


def test_ipv6_targets_in_brackets() -> None:
    assert resolve(parse_rules(["::[::1]:8443"]), "a.it", 443) == ("::1", 8443)


@pytest.mark.parametrize("rule", ["127.0.0.1:8443", "a:b:c:d", "::", ":::", "a:1:b:99999"])
def test_malformed_rules_are_refused_with_the_rule_named(rule: str) -> None:
    with pytest.raises(ConnectToError, match="--connect-to"):
        parse_rule(rule)


def test_rules_come_from_the_environment_when_no_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASSEGNA_CONNECT_TO", "a.it:443:127.0.0.1:1 ::127.0.0.1:2")
    assert len(rules_from_env([])) == 2
    assert rules_from_env(["::127.0.0.1:3"]) == (ConnectTo("", None, "127.0.0.1", 3),)
