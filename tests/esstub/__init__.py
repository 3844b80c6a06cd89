"""A local Elasticsearch stand-in for tests: the official client talks to it unmodified.

Elasticsearch itself cannot run in the test environment, so the ES backend's tests and the
store contract suite run the real ``elasticsearch`` client against this stub. It implements
ES's wire format and semantics for exactly the APIs and query features the backend uses (listed
in ``api.py``), refuses everything else loudly, and injects the faults the tests need.
"""

from __future__ import annotations

from tests.esstub.server import ESStub, Recorded
from tests.esstub.state import StoredDoc, StubIndex

__all__ = ["ESStub", "Recorded", "StoredDoc", "StubIndex"]
