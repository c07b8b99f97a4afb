"""The seed export (a real damaged text export) as a whole-file golden test, through the CLI."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import htmlfix
from htmlfix.cli import main

FILES = Path(__file__).resolve().parent.parent / "fixtures" / "files"
SEED = FILES / "seed-article.txt"
FIXED = FILES / "seed-article.fixed.txt"

#: The 19 lines of the seed that carry tag debris, found by reading it (1-based).
DAMAGED_LINES = {15, 18, 19, 20, 21, 22, 26, 27, 28, 32, 33, 34, 35, 36, 39, 40, 41, 42, 43}
#: What the debris consists of: removing these from the original must leave exactly the words
#: of the fixed text, in order.
DEBRIS = re.compile(
    r"^(?:<|/|td >|tr >|tbody >|table >|/ tbody >|/ li />|/ ul >|th> th> row /> head />|table /)$"
    r"|h2 id = “[^”]*”>|< / ?strong >|< / li >|< li />|< strong >>?|^>|<$",
    re.MULTILINE,
)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’'$%&.,:;!?()-]+", text)


def test_every_damaged_line_is_reported_and_no_clean_line() -> None:
    text = SEED.read_text(encoding="utf-8")
    rows = {d.location.row for d in htmlfix.check(text, mode="text", select=["FR"])}
    assert rows == DAMAGED_LINES


def test_fix_matches_the_hand_checked_output_and_keeps_every_word() -> None:
    text = SEED.read_text(encoding="utf-8")
    result = htmlfix.fix(text, mode="text", select=["FR"])
    expected = FIXED.read_text(encoding="utf-8")
    assert result.text == expected
    assert _words(expected) == _words(DEBRIS.sub("", text))
    assert not result.remaining


def test_cli_fix_is_idempotent_and_byte_exact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "article.txt"
    shutil.copyfile(SEED, target)
    assert main(["check", "--select", "FR", "--fix", str(target)]) == 0
    first = target.read_bytes()
    assert first == FIXED.read_bytes()
    assert main(["check", "--select", "FR", "--fix", str(target)]) == 0
    assert target.read_bytes() == first
    out = capsys.readouterr().out
    assert "27 fixed, 0 remaining" in out


def test_crlf_copy_keeps_its_line_endings(tmp_path: Path) -> None:
    target = tmp_path / "article.txt"
    target.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["check", "--select", "FR", "--fix", str(target)]) == 0
    assert target.read_bytes() == FIXED.read_bytes().replace(b"\n", b"\r\n")


def test_html_mode_repairs_what_text_mode_removes() -> None:
    text = SEED.read_text(encoding="utf-8")
    fixed = htmlfix.fix(text, mode="html", select=["FR"]).text
    assert "<strong>Trade Opportunities:</strong> Investigating" in fixed
    assert '<h2 id="establishing-diplomatic-boundaries-evaluating-belaruss-engagement-strategy">' in fixed
    assert "Engagement Strategy</h2>" in fixed
    assert not htmlfix.check(fixed, mode="html", select=["FR"])
