"""Real debris from the wild (../shared/corpora/debris): flagged, and fixed as humans fixed it.

QtPass (.ts XML) and nitro (JSON) hold HTML escaped inside their formats: unescape first. A
"before" that carries tag debris under the WHATWG rules (`</ strong>`, `< a href`) must be
flagged; a pair whose only change is spacing that is valid HTML (`href = "x"`, `" >`) must not
be; wpadverts has no "after", and its msgstr debris must be flagged.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import htmlfix

from .corpus import CORPORA, require

DEBRIS_DIR = CORPORA / "debris"
#: Debris by the spec: "<" before a space (text), or "</" before a space (a bogus comment).
SPEC_DEBRIS = re.compile(r"<\s+/?\s*[A-Za-z]|</\s+[A-Za-z]")


def _records(name: str) -> list[dict[str, str]]:
    path = require(DEBRIS_DIR / name)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _from_ts(line: str) -> str:
    line = re.sub(r"^\s*<translation>|</translation>\s*$", "", line)
    return html.unescape(line)


def _from_json_line(line: str) -> str:
    (value,) = json.loads("{" + line.strip().rstrip(",") + "}").values()
    return str(value)


def _pairs() -> list[tuple[str, str, str]]:
    pairs = [(f"qtpass-{i}", _from_ts(r["before"]), _from_ts(r["after"])) for i, r in enumerate(_records("qtpass-ts-fix-pairs.jsonl"))]
    pairs += [(f"nitro-{i}", _from_json_line(r["before"]), _from_json_line(r["after"])) for i, r in enumerate(_records("nitro-json-fix-pairs.jsonl"))]
    return pairs


def test_before_lines_with_debris_are_flagged_and_clean_ones_are_not() -> None:
    flagged_debris, debris, false_alarms = 0, 0, []
    for name, before, _ in _pairs():
        found = htmlfix.check(before, mode="html", select=["FR"])
        if SPEC_DEBRIS.search(before):
            debris += 1
            flagged_debris += bool(found)
        elif found:
            false_alarms.append((name, [d.message for d in found]))
    assert debris == 9
    assert flagged_debris == debris
    assert false_alarms == []


def test_fixes_equal_the_human_fix() -> None:
    """Every fix equals the maintainers' "after", except where htmlfix also repairs damage the
    human fix left in place (QtPass zh_CN keeps the curly quotes in `href =“ … “`)."""
    compared, equal, better = 0, 0, []
    for name, before, after in _pairs():
        if not SPEC_DEBRIS.search(before):
            continue
        compared += 1
        fixed = htmlfix.fix(before, mode="html", select=["FR"]).text
        if fixed == after:
            equal += 1
        else:
            better.append((name, fixed))
    assert compared == 9
    assert equal == 8
    (name, fixed), = better
    assert "“" not in fixed and '<strong> Ubuntu </strong>' in fixed


def test_machine_translated_po_debris_is_flagged() -> None:
    records = _records("wpadverts-po-debris.jsonl")
    assert records
    for record in records:
        found = htmlfix.check(record["msgstr"], mode="html", select=["FR"])
        assert found, record["msgstr"]
        fixed = htmlfix.fix(record["msgstr"], mode="html", select=["FR"]).text
        assert "</ " not in fixed


def _prose_words(text: str) -> list[str]:
    """The words outside anything in angle brackets (tags, debris tags and their attributes)."""
    return re.findall(r"[^\W\d_]{2,}", re.sub(r"<[^<>]*>", " ", text))


def test_search_index_excerpts_keep_every_word() -> None:
    """Formatter- and MT-mangled templates: every excerpt is flagged, and fixing keeps every
    word of prose (only debris tags, with their brackets and attributes, go)."""
    for record in _records("search-index-excerpts.jsonl"):
        text = record["excerpt"]
        assert htmlfix.check(text, mode="html", select=["FR"]), record["origin_guess"]
        fixed = htmlfix.fix(text, mode="html", select=["FR"]).text
        assert _prose_words(fixed) == _prose_words(text), record["origin_guess"]
