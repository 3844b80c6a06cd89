"""``--connect-to`` rules with curl's semantics.

``HOST1:PORT1:HOST2:PORT2`` sends connections meant for HOST1:PORT1 to HOST2:PORT2 while the
URL, the Host header, the TLS server name and every stored URL stay the original ones. This is
how a registry of real outlet URLs is crawled against a local mirror. An empty HOST1 or PORT1
matches any; an empty HOST2 or PORT2 keeps the original.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crawler.errors import ConnectToError

_RULE = re.compile(r"^(\[[^\]]*\]|[^:\[\]]*):(\d*):(\[[^\]]*\]|[^:\[\]]*):(\d*)$")


@dataclass(frozen=True)
class ConnectTo:
    host: str
    port: int | None
    target_host: str
    target_port: int | None

    def __str__(self) -> str:
        """The rule as ``--connect-to`` takes it, IPv6 addresses in brackets."""
        parts = (self.host, self.port, self.target_host, self.target_port)
        return ":".join(f"[{p}]" if ":" in str(p) else str(p or "") for p in parts)

    def matches(self, host: str, port: int) -> bool:
        return (not self.host or self.host == host.lower()) and (
            self.port is None or self.port == port
        )


def parse_rule(rule: str) -> ConnectTo:
    match = _RULE.match(rule.strip())
    if not match:
        raise ConnectToError(rule, "expected HOST1:PORT1:HOST2:PORT2 (empty parts allowed)")
    host, port, target_host, target_port = match.groups()
    if not target_host and not target_port:
        raise ConnectToError(rule, "the target host and port are both empty")
    return ConnectTo(
        host=host.strip("[]").lower(),
        port=_port(rule, port),
        target_host=target_host.strip("[]"),
        target_port=_port(rule, target_port),
    )


def _port(rule: str, value: str) -> int | None:
    if not value:
        return None
    port = int(value)
    if not 0 < port < 65536:
        raise ConnectToError(rule, f"port {port} out of range")
    return port


def parse_rules(rules: Iterable[str]) -> tuple[ConnectTo, ...]:
    return tuple(parse_rule(r) for r in rules if r.strip())


def rules_from_env(flags: Sequence[str]) -> tuple[ConnectTo, ...]:
    """Rules from ``--connect-to`` flags, else from ``RASSEGNA_CONNECT_TO`` (space-separated)."""
    if flags:
        return parse_rules(flags)
    return parse_rules(os.environ.get("RASSEGNA_CONNECT_TO", "").split())


def resolve(rules: Sequence[ConnectTo], host: str, port: int) -> tuple[str, int]:
    """Where to connect for ``host:port``: the first matching rule wins, as in curl."""
    for rule in rules:
        if rule.matches(host, port):
            return rule.target_host or host, rule.target_port or port
    return host, port
