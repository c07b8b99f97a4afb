"""Paths that once grew with the square of some count inside one document: the matches
inside one tag, the repeats of one id (and, in test_treemodel.py, the nesting of table
cells). Each test counts the work that used to grow (parses, searched characters, lookups),
so it fails on the old code without timing anything; bench/scaling.py times such shapes at
16x the size."""

from __future__ import annotations

import re

import pytest

from htmlfix.config import Settings
from htmlfix.document import Document, Mode
from htmlfix.engine import Linter


def test_candidates_in_many_attribute_values_parse_the_tag_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each candidate in an attribute value asks which value holds it. The tag's attributes
    were parsed again for every candidate: quadratic, 22 s to check one 72 KB tag (the fuzz
    run found it in a mangled page; bench/scaling.py's attribute-candidates input times it)."""
    from htmlfix import tokens

    real = tokens._parse_attributes
    parsed: list[int] = []

    def counting(token: tokens.Token) -> list[tokens.Attribute]:
        parsed.append(token.start)
        return real(token)

    monkeypatch.setattr(tokens, "_parse_attributes", counting)
    text = "<p " + 'a1="&lt;b&gt;x&lt;/b&gt; &amp;amp;" ' * 300 + ">text</p>"
    Linter().check(text, Mode.HTML)
    assert 0 < parsed.count(0) <= 5  # once per rule that reads the tag, not once per candidate


def _tag_parses(monkeypatch: pytest.MonkeyPatch, text: str, settings: Settings) -> int:
    """How many times checking ``text`` parses the attributes of the tag at offset 0."""
    from htmlfix import tokens

    real = tokens._parse_attributes
    parsed: list[int] = []

    def counting(token: tokens.Token) -> list[tokens.Attribute]:
        parsed.append(token.start)
        return real(token)

    with monkeypatch.context() as patched:
        patched.setattr(tokens, "_parse_attributes", counting)
        Linter(settings).check(text, Mode.HTML)
    return parsed.count(0)


@pytest.mark.parametrize("attributes", [
    'lang="" ' * 300,  # the language zones: every `lang=` used to re-read the tag
    'a="[x id=1]" ' * 300,  # duplicate ids: every `id=` inside a value did
])
def test_a_tag_is_parsed_once_per_rule_however_many_matches_it_holds(
    monkeypatch: pytest.MonkeyPatch, attributes: str
) -> None:
    prose = "They do n't agree , but the nation 's plan is set . We 're close . It was n't easy ."
    text = f"<p {attributes}>{prose}</p><p id=1>y</p><p id=1>z</p>"
    assert 0 < _tag_parses(monkeypatch, text, Settings(select=("ALL",))) <= 8


def test_repeated_attributes_are_found_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The space before each repeat was searched from the start of the tag: quadratic."""
    from htmlfix.rules.structure import duplicate_attribute

    real = duplicate_attribute._SPACE_BEFORE
    searched: list[int] = []

    class Measured:
        def search(self, text: str, start: int, end: int) -> object:
            searched.append(end - start)
            return real.search(text, start, end)

    monkeypatch.setattr(duplicate_attribute, "_SPACE_BEFORE", Measured())
    text = "<p " + 'a="1" ' * 500 + ">x</p>"
    problems = Linter(Settings(select=("ST005",))).check(text, Mode.HTML)
    assert len(problems) == 499 and sum(searched) <= len(text)
    fixed = Linter(Settings(select=("ST005",))).fix(text, Mode.HTML).text
    assert fixed == '<p a="1" >x</p>'  # each repeat goes with the space before it


def test_an_id_repeated_many_times_is_looked_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each repeat searched the whole text for mentions of the id and counted the repeats
    again, and each rename tried every number from 2: quadratic in the repeats of one id."""
    from htmlfix.rules.structure import duplicate_id

    real = duplicate_id._referenced
    searches: list[str] = []

    def counting(text: str, value: str, as_id: int) -> bool:
        searches.append(value)
        return real(text, value, as_id)

    monkeypatch.setattr(duplicate_id, "_referenced", counting)
    text = '<p id="item">x</p>\n' * 300
    settings = Settings(select=("ST006",), unsafe_fixes=True)
    problems = Linter(settings).check(text, Mode.HTML)
    assert len(problems) == 299 and searches == ["item"]
    renamed = Linter(settings).fix(text, Mode.HTML).text
    assert renamed.split("\n")[:3] == ['<p id="item">x</p>', '<p id="item-2">x</p>', '<p id="item-3">x</p>']
    assert len(set(renamed.split("\n"))) == 301  # every id different (and the empty last line)


def test_table_debris_anchors_share_one_walk_over_the_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """FR008 walked from every piece of table debris over all the cell-like lines next to it,
    so a page made of debris and short lines was read once per piece: quadratic."""
    from htmlfix.rules.fragments import flattened_table

    real = flattened_table._WORD
    read: list[str] = []

    class Counted:
        def findall(self, line: str) -> list[str]:
            read.append(line)
            return real.findall(line)

    monkeypatch.setattr(flattened_table, "_WORD", Counted())
    text = "Aim\nPursued Outcome\ntd >\n/ tbody >\n" * 200
    problems = Linter(Settings(select=("FR008",))).check(text, Mode.TEXT)
    assert problems and len(read) <= text.count("\n")  # each line read at most once


@pytest.mark.parametrize("unit", [
    "words td > and ",  # a lost piece asked whether another piece of its line is confirmed
    "< em >>word< / em > ",  # a doubled bracket, whether a confirmed piece ends where it starts
])
def test_pieces_on_one_line_are_decided_in_linear_time(monkeypatch: pytest.MonkeyPatch, unit: str) -> None:
    """Pieces of debris asked about the other pieces of their line by walking the whole
    line: quadratic when one line holds thousands of pieces."""
    from htmlfix import debris

    reads: list[int] = []

    class CountingPiece(debris.Piece):
        __slots__ = ("_confirmed",)

        @property
        def confirmed(self) -> bool:
            reads.append(1)
            return self._confirmed

        @confirmed.setter
        def confirmed(self, value: bool) -> None:
            self._confirmed = value

    monkeypatch.setattr(debris, "Piece", CountingPiece)
    count = 500
    text = "<blockquote>" + unit * count + "</blockquote>"
    debris.scan_debris(Document(text, Mode.HTML, Settings()))
    assert len(reads) < 40 * count  # a few reads per piece (the old walks: 250,000 and more)


class _CountingPattern:
    """A compiled pattern that adds up the characters its searches and matches go over: up
    to the end of what they found, or to where they stopped looking."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.read = 0

    def _counted(self, found: re.Match[str] | None, text: str, pos: int, endpos: int | None) -> re.Match[str] | None:
        stop = len(text) if endpos is None else min(endpos, len(text))
        self.read += (found.end() if found else stop) - pos
        return found

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self._counted(self.pattern.search(text, pos, len(text) if endpos is None else endpos), text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self._counted(self.pattern.match(text, pos, len(text) if endpos is None else endpos), text, pos, endpos)


@pytest.mark.parametrize("unit", [
    "<!-- promo –> <p>The article text</p> ",  # each comment's damaged end repaired
    "<!-- /wp:paragraph\n<p>Next block</p> ",  # Gutenberg comments on one line each, none damaged
])
def test_comments_hidden_by_an_unterminated_one_are_searched_once(monkeypatch: pytest.MonkeyPatch, unit: str) -> None:
    """ST012 reports the comments that a comment without ``-->`` hides. Looking for each one's
    damaged end searched from it to the end of the text, and so did reading its first line
    on one long line: quadratic in the comments."""
    from htmlfix.rules.structure import unterminated_comment as rule

    damaged = _CountingPattern(rule._DAMAGED_END)
    first_line = _CountingPattern(rule._FIRST_LINE)
    monkeypatch.setattr(rule, "_DAMAGED_END", damaged)
    monkeypatch.setattr(rule, "_FIRST_LINE", first_line)
    text = "<p>Intro</p>" + unit * 2000
    found = [d for d in Linter(Settings(select=("ST012",))).check(text, Mode.HTML)]
    assert len(found) == 2000
    # Each comment's first line is read up to 200 characters on; nothing is read again.
    assert damaged.read <= 2 * len(text) and first_line.read <= 2000 * 210
