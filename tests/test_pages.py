"""Precision on 130 real pages: no fragment (FR) rule may fire on clean HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from htmlfix.config import Settings
from htmlfix.document import Mode
from htmlfix.engine import Linter

from .corpus import readability_pages

PAGES = readability_pages()


@pytest.fixture(scope="module")
def fragment_linter() -> Linter:
    return Linter(Settings(select=("FR", "FR008")))


@pytest.mark.skipif(not PAGES, reason="../shared/corpora/pages is not present (it is in CI)")
@pytest.mark.parametrize("folder", PAGES, ids=lambda p: p.name)
def test_no_fragment_findings_on_real_pages(folder: Path, fragment_linter: Linter) -> None:
    for name in ("expected.html", "source.html"):
        text = (folder / name).read_text(encoding="utf-8", errors="replace")
        assert fragment_linter.lint(text, Mode.HTML) == [], name
