"""A local Elasticsearch stand-in for tests: the official client talks to it unmodified.

Elasticsearch itself cannot run in the test environment, so the ES backend's contract tests
run the real ``elasticsearch`` client against this stub, which implements ES's wire format
and the generic semantics of the APIs the backend uses (see ``api.py`` for the list).
"""

from __future__ import annotations

from tests.esstub.server import ESStub, Recorded
from tests.esstub.state import StoredDoc, StubIndex

__all__ = ["ESStub", "Recorded", "StoredDoc", "StubIndex"]
