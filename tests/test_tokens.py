"""The tokenizer: lossless round trip and agreement with the WHATWG tokenizer tests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from htmlfix import tokens as tokens_module
from htmlfix.tokens import Kind, Token, decode_charref, tokenize, unescape, untokenize

from .corpus import CORPORA, readability_pages, require

TOKENIZER_TESTS = CORPORA / "html5lib-tests" / "tokenizer"
TREE_TESTS = CORPORA / "html5lib-tests" / "tree-construction"
SCANNER = tokens_module._scanner


@pytest.fixture(autouse=True, params=["c-scanner", "pure-python"])
def implementation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every test of this module runs against both loops of the tokenizer: the C scanner that
    installs build where a compiler is available, and the pure-Python reference."""
    if request.param == "c-scanner" and SCANNER is None:
        pytest.skip("the C scanner is not built here (no compiler at install time)")
    if request.param == "pure-python":
        monkeypatch.setattr(tokens_module, "_scanner", None)
    yield request.param



@pytest.mark.parametrize(
    "text, kinds",
    [
        pytest.param("< strong >x< / strong >", ["TEXT"], id="spaced-tags-are-text"),
        pytest.param("</ li>x", ["BOGUS_COMMENT", "TEXT"], id="space-after-slash-is-bogus-comment"),
        pytest.param("</strong >", ["END_TAG"], id="space-before-gt-is-valid"),
        pytest.param("</>x", ["DROPPED", "TEXT"], id="empty-end-tag-dropped"),
        pytest.param("a < b <3 1<2", ["TEXT"], id="comparisons-are-text"),
        pytest.param('<a href="x>y">z', ["START_TAG", "TEXT"], id="gt-inside-quoted-value"),
        pytest.param('<a b"c>d">', ["START_TAG", "TEXT"], id="quote-in-attribute-name-is-not-a-quote"),
        pytest.param('<a href="x', ["DROPPED"], id="tag-cut-off-at-eof"),
        pytest.param("<!-->a<!--->b<!---->", ["COMMENT", "TEXT", "COMMENT", "TEXT", "COMMENT"], id="abrupt-comments"),
        pytest.param("<!-- a --!>b", ["COMMENT", "TEXT"], id="bang-closes-comment"),
        pytest.param("<!-- a", ["COMMENT"], id="unterminated-comment"),
        pytest.param("<?php x ?>", ["BOGUS_COMMENT"], id="processing-instruction"),
        pytest.param("<![CDATA[a>b]]>", ["BOGUS_COMMENT", "TEXT"], id="cdata-outside-foreign"),
        pytest.param("<svg><![CDATA[a>b]]></svg>", ["START_TAG", "CDATA", "END_TAG"], id="cdata-in-svg"),
        pytest.param("<style>a</b>{}</style>", ["START_TAG", "RAWTEXT", "END_TAG"], id="style-raw-text"),
        pytest.param("<title><b></titlex></title>", ["START_TAG", "RAWTEXT", "END_TAG"], id="title-rcdata"),
        pytest.param(
            "<script>a<!--<script>x</script>y</script>b",
            ["START_TAG", "RAWTEXT", "END_TAG", "TEXT"],
            id="script-double-escape",
        ),
        pytest.param("<svg><title><b>x</b></title></svg>", ["START_TAG"] * 3 + ["TEXT"] + ["END_TAG"] * 3, id="svg-title-is-not-rcdata"),
        pytest.param("x&amp;y&region=1", ["TEXT", "CHARREF", "TEXT", "CHARREF", "TEXT"], id="charrefs"),
        pytest.param("AT&T &#x; &zz;", ["TEXT"], id="not-references"),
        pytest.param("<!DOCTYPE html><p>", ["DOCTYPE", "START_TAG"], id="doctype"),
        pytest.param("<plaintext></plaintext>", ["START_TAG", "RAWTEXT"], id="plaintext"),
    ],
)
def test_token_kinds(text: str, kinds: list[str]) -> None:
    tokens = tokenize(text)
    assert untokenize(tokens) == text
    assert [token.kind.name for token in tokens] == kinds


def test_offsets_are_contiguous() -> None:
    text = "<p class=x>a &amp; b</p>\r\n<!-- c -->< / li >"
    tokens = tokenize(text)
    position = 0
    for token in tokens:
        assert token.start == position
        assert text[token.start : token.end] == token.src
        position = token.end
    assert position == len(text)


def test_closed_raw_reads_self_closed_raw_text_tags_as_closed() -> None:
    """ST004's view: ``<script/>`` and the like start no raw text, and are listed; a
    ``<plaintext/>`` (which nothing ends) and tags in SVG are not."""
    text = '<script src="a.js"/><p>x</p><title/>t<svg><style/></svg><plaintext/>rest'
    closed: list[int] = []
    stream = tokenize(text, closed_raw=closed)
    assert untokenize(stream) == text
    assert closed == [0, text.index("<title/>")]
    assert [token.kind.name for token in stream][:4] == ["START_TAG", "START_TAG", "TEXT", "END_TAG"]
    assert [token.kind.name for token in tokenize(text)][:2] == ["START_TAG", "RAWTEXT"]
    assert stream.kinds[-1].name == "RAWTEXT"  # after <plaintext/>


def test_attributes_have_exact_offsets() -> None:
    text = "<h2 id = “x” class='a b' hidden data-x=1>"
    (tag,) = tokenize(text)
    names = [(a.name, a.value, a.quote) for a in tag.attributes]
    assert names == [("id", "“x”", ""), ("class", "a b", "'"), ("hidden", None, None), ("data-x", "1", "")]
    for attribute in tag.attributes:
        assert text[attribute.start :].lower().startswith(attribute.name)
        if attribute.value is not None:
            assert text[attribute.value_start : attribute.value_end] == attribute.value


@pytest.mark.parametrize(
    "source, expected",
    [("&amp;", "&"), ("&#8217;", "\u2019"), ("&#x2019;", "\u2019"), ("&#150;", "\u2013"), ("&#0;", "\ufffd"), ("&reg", "®")],
)
def test_decode_charref(source: str, expected: str) -> None:
    assert decode_charref(source) == expected


def test_unescape_attribute_rules() -> None:
    assert unescape("?a=1&copy=2&amp;b") == "?a=1©=2&b"
    assert unescape("?a=1&copy=2&amp;b", in_attribute=True) == "?a=1&copy=2&b"


# --- the WHATWG tokenizer tests -------------------------------------------------------------


def _preprocess(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _as_conformance_tokens(tokens: list[Token]) -> list[list[object]]:
    """Our tokens in the html5lib-tests output format (characters merged)."""
    out: list[list[object]] = []

    def characters(data: str) -> None:
        if not data:
            return
        if out and out[-1][0] == "Character":
            out[-1][1] = str(out[-1][1]) + data
        else:
            out.append(["Character", data])

    for token in tokens:
        src = token.src
        if token.kind in (Kind.TEXT, Kind.RAWTEXT):
            characters(_preprocess(src))
        elif token.kind is Kind.CHARREF:
            characters(decode_charref(src))
        elif token.kind is Kind.START_TAG:
            attributes: dict[str, str] = {}
            for attribute in token.attributes:
                value = unescape(_preprocess(attribute.value or ""), in_attribute=True)
                attributes.setdefault(attribute.name.replace("\0", "\ufffd"), value.replace("\0", "\ufffd"))
            entry: list[object] = ["StartTag", token.name.replace("\0", "\ufffd"), attributes]
            if token.self_closing:
                entry.append(True)
            out.append(entry)
        elif token.kind is Kind.END_TAG:
            out.append(["EndTag", token.name.replace("\0", "\ufffd")])
        elif token.kind is Kind.COMMENT:
            body = src[4:]
            # at the end of input the comment-end states drop a trailing "-", "--" or "--!"
            body = re.sub(r"--!?>\Z", "", body) if not token.unterminated else re.sub(r"(--!?|-)\Z", "", body)
            if src in ("<!-->", "<!--->"):
                body = ""
            out.append(["Comment", _preprocess(body).replace("\0", "\ufffd")])
        elif token.kind is Kind.BOGUS_COMMENT:
            body = src[1:] if src.startswith("<?") else src[2:]
            if not token.unterminated:
                body = body[:-1]
            out.append(["Comment", _preprocess(body).replace("\0", "\ufffd")])
        elif token.kind is Kind.DOCTYPE:
            out.append(["DOCTYPE"])
    return out


def _normalise_expected(output: list[list[object]]) -> list[list[object]]:
    merged: list[list[object]] = []
    for entry in output:
        entry = list(entry)
        if entry[0] == "DOCTYPE":
            entry = ["DOCTYPE"]
        elif entry[0] == "EndTag":
            entry = entry[:2]
        if entry[0] == "Character" and merged and merged[-1][0] == "Character":
            merged[-1][1] = str(merged[-1][1]) + str(entry[1])
        else:
            merged.append(entry)
    return merged


def _tokenizer_cases() -> list[tuple[str, str, list[list[object]]]]:
    cases = []
    if not TOKENIZER_TESTS.exists():
        return cases
    for path in sorted(TOKENIZER_TESTS.glob("*.test")):
        for test in json.loads(path.read_text(encoding="utf-8")).get("tests", []):
            if test.get("initialStates", ["Data state"]) != ["Data state"] or "lastStartTag" in test:
                continue
            text, output = test["input"], test["output"]
            if test.get("doubleEscaped"):
                def unescape_u(s: str) -> str:
                    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), s)
                text = unescape_u(text)
                output = [[unescape_u(x) if isinstance(x, str) else x for x in entry] for entry in output]
            cases.append((f"{path.stem}: {test['description']}", text, output))
    return cases


def test_whatwg_tokenizer_conformance() -> None:
    """Our boundaries agree with the WHATWG tokenizer on every data-state test.

    The data state is where CMS content is tokenized; tests that start in another state
    (RCDATA, script data...) exercise states we reach only through the raw-text elements.
    """
    require(TOKENIZER_TESTS)
    cases = _tokenizer_cases()
    failures = []
    for name, text, output in cases:
        tokens = tokenize(text)
        assert untokenize(tokens) == text, name
        if _as_conformance_tokens(tokens) != _normalise_expected(output):
            failures.append(name)
    assert len(cases) > 1000
    assert failures == []


def _dat_inputs(path: Path) -> list[str]:
    inputs = []
    for block in path.read_text(encoding="utf-8").split("\n#data\n"):
        block = block.removeprefix("#data\n")
        data, _, _ = block.partition("\n#errors")
        inputs.append(data)
    return inputs


def test_round_trip_tree_construction_inputs() -> None:
    require(TREE_TESTS)
    count = 0
    for path in sorted(TREE_TESTS.rglob("*.dat")):
        for text in _dat_inputs(path):
            assert untokenize(tokenize(text)) == text, path.name
            count += 1
    assert count >= 1700


def test_round_trip_other_html5lib_inputs() -> None:
    base = require(CORPORA / "html5lib-tests")
    count = 0
    for path in sorted(base.rglob("*.test")):
        for test in json.loads(path.read_text(encoding="utf-8")).get("tests", []):
            if isinstance(test.get("input"), str):
                assert untokenize(tokenize(test["input"])) == test["input"]
                count += 1
    assert count > 6000


@pytest.mark.parametrize("folder", readability_pages(), ids=lambda p: p.name)
def test_round_trip_readability_pages(folder: Path) -> None:
    for name in ("source.html", "expected.html"):
        text = (folder / name).read_text(encoding="utf-8", errors="surrogateescape")
        assert untokenize(tokenize(text)) == text



def test_end_comment_ends_the_comments_that_never_end() -> None:
    """ST012's view: a comment without ``-->`` asks where to end; a comment that ends is not
    asked about, and neither is a comment once the answer was -1 (it runs to the end)."""
    text = "<!-- a --><p>x</p><!-- b –> <p>y</p><!-- c <p>z</p><!-- d –>"
    asked: list[int] = []

    def at_dash(text: str, start: int) -> int:
        asked.append(start)
        found = text.find("–>", start + 4, text.find("<!--", start + 4) if "<!--" in text[start + 4:] else len(text))
        return found + 2 if found >= 0 else -1

    stream = tokenize(text, end_comment=at_dash)
    assert untokenize(stream) == text
    comments = [token.src for token in stream if token.kind.name == "COMMENT"]
    assert comments == ["<!-- a -->", "<!-- b –>", "<!-- c <p>z</p><!-- d –>"]
    assert asked == [text.index("<!-- b"), text.index("<!-- c")]
    assert [token.src for token in tokenize(text) if token.kind.name == "COMMENT"][-1].startswith("<!-- b")
