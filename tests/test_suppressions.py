"""Inline suppressions, with the test-only rule ZZ901 (the word DAMAGE) as the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

import htmlfix
from htmlfix.cli import main


def codes_at(text: str, mode: str = "html", **options: object) -> list[str]:
    return [f"{d.code}@{d.location.row}" for d in htmlfix.check(text, mode=mode, **options)]  # type: ignore[arg-type, union-attr]


pytestmark = pytest.mark.usefixtures("damage_rule")


def test_ignore_on_its_own_line_covers_the_next_line() -> None:
    text = "<!-- htmlfix: ignore ZZ901 -->\n<p>DAMAGE</p>\n<p>DAMAGE</p>\n"
    assert codes_at(text) == ["ZZ901@3"]


def test_ignore_beside_content_covers_its_own_line() -> None:
    text = "<p>DAMAGE</p> <!-- htmlfix: ignore ZZ901 -->\n<p>DAMAGE</p>\n"
    assert codes_at(text) == ["ZZ901@2"]
    text = "<!-- htmlfix: ignore ZZ901 --><p>DAMAGE</p>\n<p>DAMAGE</p>\n"
    assert codes_at(text) == ["ZZ901@2"]


def test_disable_enable_region() -> None:
    text = (
        "<p>DAMAGE</p>\n"
        "<!-- htmlfix: disable ZZ901 -- quoted from the old site -->\n"
        "<p>DAMAGE</p>\n<p>DAMAGE</p>\n"
        "<!-- htmlfix: enable ZZ901 -->\n"
        "<p>DAMAGE</p>\n"
    )
    assert codes_at(text) == ["ZZ901@1", "ZZ901@6"]


def test_disable_without_enable_runs_to_the_end() -> None:
    assert codes_at("<p>DAMAGE</p>\n<!-- htmlfix: disable ZZ901 -->\n<p>DAMAGE</p>") == ["ZZ901@1"]


def test_file_ignore_anywhere() -> None:
    text = "<p>DAMAGE</p>\n<p>DAMAGE</p>\n<!-- htmlfix: file-ignore ZZ901 -->\n"
    assert codes_at(text) == []


def test_other_codes_are_not_suppressed() -> None:
    text = "<!-- htmlfix: ignore XX001 -->\n<p>DAMAGE</p>\n"
    assert codes_at(text) == ["HF001@1", "ZZ901@2"]


def test_unused_suppressions_are_reported_and_fixed() -> None:
    text = "<!-- htmlfix: ignore ZZ901, XX001 -->\n<p>DAMAGE</p>\n<!-- htmlfix: ignore ZZ901 -->\n<p>fine</p>\n"
    found = htmlfix.check(text)
    assert [(d.code, d.location.row) for d in found] == [("HF001", 1), ("HF001", 3)]  # type: ignore[union-attr]
    assert "`XX001` is not a rule code" in found[0].message
    assert "no `ZZ901` problem on that line" in found[1].message
    result = htmlfix.fix(text)
    assert result.text == "<!-- htmlfix: ignore ZZ901 -->\n<p>DAMAGE</p>\n<p>fine</p>\n"


def test_suppressing_a_rule_that_is_not_enabled() -> None:
    text = "<!-- htmlfix: ignore ZZ901 -->\n<p>DAMAGE</p>\n"
    found = htmlfix.check(text, ignore=["ZZ901"])
    assert [d.code for d in found] == ["HF001"]
    assert "`ZZ901` is not enabled" in found[0].message
    # Removing it could break the directive for a configuration that enables ZZ901: unsafe.
    assert htmlfix.fix(text, ignore=["ZZ901"]).text == text
    assert htmlfix.fix(text, ignore=["ZZ901"], unsafe_fixes=True).text == "<p>DAMAGE</p>\n"


def test_suppressed_problems_are_not_fixed() -> None:
    text = "<p>DAMAGE</p>\n<!-- htmlfix: ignore ZZ901 -->\n<p>DAMAGE</p>\n"
    result = htmlfix.fix(text)
    assert result.text == "<p>repaired</p>\n<!-- htmlfix: ignore ZZ901 -->\n<p>DAMAGE</p>\n"
    assert result.remaining == []


def test_directive_text_in_code_is_not_a_directive() -> None:
    text = "<pre><!-- htmlfix: file-ignore ZZ901 --></pre>\n<p>DAMAGE</p>\n"
    assert codes_at(text) == ["ZZ901@2"]


def test_markdown() -> None:
    text = "Intro.\n\n<!-- htmlfix: ignore ZZ901 -->\nDAMAGE here\n\n```\n<!-- htmlfix: file-ignore ZZ901 -->\n```\n\nDAMAGE\n"
    assert codes_at(text, mode="markdown") == ["ZZ901@10"]


def test_plain_text_has_no_directives() -> None:
    assert codes_at("<!-- htmlfix: file-ignore ZZ901 -->\nDAMAGE\n", mode="text") == ["ZZ901@2"]


def test_hf_codes_can_be_selected_and_ignored() -> None:
    text = "<!-- htmlfix: ignore XX001 -->\n<!-- htmlfix: ignroe ZZ901 -->\n"
    assert codes_at(text) == ["HF001@1", "HF002@2"]
    assert codes_at(text, ignore=["HF"]) == []
    assert codes_at(text, select=["HF002"]) == ["HF002@2"]


def test_suppression_inside_an_export_region(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI path: a suppressed problem is not reported, and --fix leaves it."""
    page = tmp_path / "a.html"
    original = "<p>DAMAGE</p>\n<!-- htmlfix: ignore ZZ901 -->\n<p>DAMAGE</p>\n"
    page.write_text(original)
    assert main(["check", "--fix", str(page)]) == 0
    assert page.read_text() == original.replace("DAMAGE", "repaired", 1)
    out = capsys.readouterr().out
    assert "1 fixed, 0 remaining" in out
