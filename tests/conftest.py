"""Fixtures shared by the built-site tests."""
from pathlib import Path

import pytest

from aigov import build as B


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real book, built once per test session (source/ and html/ inside)."""
    out = tmp_path_factory.mktemp("book")
    B.build({}, out=out, log=lambda *_: None)
    return out
