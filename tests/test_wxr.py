"""WXR/RSS exports: positions in the file, byte-exact write-back, CDATA splits, bad exports."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pytest
from lxml import etree

from htmlfix.readers.wxr import WxrReader, is_xml_export
from htmlfix.runner import process_bytes, process_path
from htmlfix.source import LineIndex

from .corpus import CORPORA, require
from .export_rules import damage_linter

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def wxr(*items: str, newline: str = "\n") -> str:
    head = (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
        '  xmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '  xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Site DAMAGE</title>\n'
    )
    return (head + "".join(items) + "</channel>\n</rss>\n").replace("\n", newline)


def item(body: str, title: str = "Hello", post_id: int = 7, excerpt: str = "") -> str:
    return (
        f"<item>\n<title>{title}</title>\n<content:encoded>{body}</content:encoded>\n"
        f"<excerpt:encoded>{excerpt}</excerpt:encoded>\n<wp:post_id>{post_id}</wp:post_id>\n"
        "<wp:postmeta><wp:meta_value><![CDATA[DAMAGE in meta]]></wp:meta_value></wp:postmeta>\n"
        "</item>\n"
    )


def where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Row and column of the nth occurrence of ``needle`` in ``text``."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    return tuple(LineIndex(text).position(offset))  # type: ignore[return-value]


def bodies(data: bytes) -> list[str]:
    return [element.text or "" for element in etree.fromstring(data).iter(CONTENT)]


# --- positions -----------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_cdata_positions_are_file_rows_and_columns(newline: str) -> None:
    text = wxr(item("<![CDATA[<p>one</p>\n<p>two DAMAGE</p>]]>"),
               item("<![CDATA[DAMAGE first]]>", title="Second", post_id=9), newline=newline)
    result = process_bytes("export.xml", text.encode(), damage_linter())
    found = [(d.location.row, d.location.column, d.context) for d in result.diagnostics]  # type: ignore[union-attr]
    # The title and postmeta are not post bodies: only the two bodies are checked.
    assert found == [
        (*where(text, "DAMAGE</p>"), "post 7 “Hello”"),
        (*where(text, "DAMAGE first"), "post 9 “Second”"),
    ]


def test_escaped_content_positions_and_labels() -> None:
    text = wxr(item("&lt;p&gt;caf&#233; &amp; DAMAGE&lt;/p&gt;", title="", post_id=12),
               item("", excerpt="&lt;em&gt;DAMAGE&lt;/em&gt;"))
    result = process_bytes("export.xml", text.encode(), damage_linter())
    assert [(d.location.row, d.location.column) for d in result.diagnostics] == [  # type: ignore[union-attr]
        where(text, "DAMAGE&lt;/p"), where(text, "DAMAGE&lt;/em")]
    assert [d.context for d in result.diagnostics] == ["post 12", "excerpt of post 7 “Hello”"]


def test_split_cdata_is_one_body() -> None:
    text = wxr(item("<![CDATA[a ]]]]><![CDATA[> b DAMAGE]]>"))
    reader = WxrReader(io.BytesIO(text.encode()))
    regions = list(reader.regions())
    assert regions[0].text == "a ]]> b DAMAGE"
    assert reader.writable
    result = process_bytes("export.xml", text.encode(), damage_linter(), fix=True)
    assert result.output == text.replace("b DAMAGE", "b repaired").encode()
    assert bodies(result.output)[0] == "a ]]> b repaired"  # type: ignore[arg-type]


# --- write-back ----------------------------------------------------------------------------


def test_fix_changes_only_the_damaged_bytes() -> None:
    text = wxr(item("<![CDATA[<p>x DAMAGE y</p>]]>"),
               item("&lt;p&gt;DAMAGE &amp;amp; &#8217;&lt;/p&gt;", post_id=8))
    result = process_bytes("export.xml", text.encode(), damage_linter(), fix=True)
    expected = text.replace("x DAMAGE y", "x repaired y").replace("&gt;DAMAGE &amp;", "&gt;repaired &amp;")
    assert result.output == expected.encode()
    assert not result.diagnostics and len(result.fixed) == 2


@pytest.mark.parametrize(
    "body, replacement, expected_text",
    [
        ("<![CDATA[a DAMAGE b]]>", "x]]>y", "a x]]>y b"),
        ("<![CDATA[a ]]DAMAGE> b]]>", "", "a ]]> b"),  # a deletion must not form ]]>
        ("<![CDATA[a ]DAMAGE]> b]]>", "", "a ]]> b"),
        ("<![CDATA[a ]]DAMAGE]]>&gt; b", "", "a ]]> b"),  # from CDATA into escaped text
        ("&lt;p&gt;DAMAGE&lt;/p&gt;", "<b>&</b>", "<p><b>&</b></p>"),
        ("<![CDATA[one]]><![CDATA[DAMAGE]]><![CDATA[two]]>", "]]>", "one]]>two"),
    ],
)
def test_new_text_is_encoded_for_its_context(body: str, replacement: str, expected_text: str) -> None:
    text = wxr(item(body))
    result = process_bytes("export.xml", text.encode(), damage_linter(replacement), fix=True)
    assert result.output is not None and result.error is None
    assert bodies(result.output) == [expected_text]  # well-formed, and reads back as fixed
    # Outside the <content:encoded> element nothing moved.
    before, after = text.split("<content:encoded>"), result.output.decode().split("<content:encoded>")
    assert before[0] == after[0]
    assert before[1].split("</content:encoded>")[1] == after[1].split("</content:encoded>")[1]


def test_legacy_encoding_gets_character_references() -> None:
    text = wxr(item("<![CDATA[caf\u00e9 DAMAGE]]>")).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    data = text.encode("latin-1")
    result = process_bytes("export.xml", data, damage_linter("\u2019 & \u00e9"), fix=True)
    assert result.output is not None
    assert b"caf\xe9 ]]>&#x2019;<![CDATA[ & \xe9" in result.output
    assert bodies(result.output) == ["caf\u00e9 \u2019 & \u00e9"]


def test_small_chunks_read_the_same_regions() -> None:
    text = wxr(*(item(f"<![CDATA[post {n} ]]]]><![CDATA[> DAMAGE\r\n]]>", post_id=n) for n in range(30)),
               newline="\r\n")
    big = [(r.text, r.extent) for r in WxrReader(io.BytesIO(text.encode())).regions()]
    small_reader = WxrReader(io.BytesIO(text.encode()), chunk_size=7)
    small = [(r.text, r.extent) for r in small_reader.regions()]
    assert small == big and len(big) == 60 and small_reader.writable
    lines = LineIndex(text)
    located = [d.location for d in process_bytes("e.xml", text.encode(), damage_linter()).diagnostics]
    assert located == [lines.position(m.start()) for m in re.finditer("DAMAGE\r", text)]


def test_detected_by_content_not_extension(tmp_path: Path) -> None:
    text = wxr(item("<![CDATA[DAMAGE]]>"))
    saved = tmp_path / "export.txt"
    saved.write_text(text)
    result = process_path(str(saved), damage_linter())
    assert [d.context for d in result.diagnostics] == ["post 7 “Hello”"]
    assert is_xml_export(text.encode()) and not is_xml_export(b"<html><body>rss <rss> x</body></html>")


# --- bad exports -----------------------------------------------------------------------------


def test_malformed_export_is_checked_partly_and_never_written(tmp_path: Path) -> None:
    text = wxr(item("<![CDATA[DAMAGE one]]>"), item("<![CDATA[two]]>", post_id=8),
               item("<![CDATA[DAMAGE three]]>", post_id=9)).replace("two", "t\x00wo")
    path = tmp_path / "export.xml"
    path.write_bytes(text.encode())
    result = process_path(str(path), damage_linter(), fix=True, write=True)
    assert result.error is not None and "\n" not in result.error
    assert f"line {where(text, chr(0))[0]}" in result.error
    assert len(result.diagnostics) == 2  # both readable posts were checked
    assert any("partial check" in notice for notice in result.notices)
    assert path.read_bytes() == text.encode() and not result.written


def test_a_fix_that_does_not_read_back_is_not_written_and_reports_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pass 2 verifies every fixed post as it writes it; when one does not read back as fixed
    (a bug), the export is left as it was and its problems are reported as a check would."""
    import htmlfix.runner

    text = wxr(item("<![CDATA[DAMAGE one]]>"), item("<![CDATA[DAMAGE two]]>", post_id=8))
    path = tmp_path / "export.xml"
    path.write_bytes(text.encode())
    calls = itertools.count()  # no digest equals another: no post reads back as fixed
    monkeypatch.setattr(htmlfix.runner, "_text_digest", lambda text: next(calls).to_bytes(8, "big"))
    result = process_path(str(path), damage_linter(), fix=True, write=True)
    assert result.error is not None and "did not read back" in result.error
    assert [d.location for d in result.diagnostics] == [where(text, "DAMAGE one"), where(text, "DAMAGE two")]
    assert path.read_bytes() == text.encode() and not result.written


def test_unterminated_cdata_names_the_posts_not_read() -> None:
    text = wxr(item("<![CDATA[DAMAGE fine]]>"), item("<![CDATA[broken", post_id=8),
               item("<![CDATA[lost]]>", post_id=9), item("<![CDATA[lost too]]>", post_id=10))
    result = process_bytes("export.xml", text.encode(), damage_linter(), fix=True)
    assert result.error is not None and result.output is None
    # The CDATA section runs on to the next "]]>" (in the post's metadata), so the body never
    # closes before </item>: that post is named (with the line of its <item>) and the
    # reader goes on with the next post.
    notice = " ".join(result.notices)
    assert f"post “Hello” at line {where(text, '<item>', 1)[0]}" in notice
    assert "1 post(s) could not be read" in notice
    assert len(result.diagnostics) == 1


def test_missing_end_tag_does_not_swallow_the_next_post() -> None:
    text = wxr(item("<![CDATA[ok]]>").replace("</content:encoded>", ""),
               item("<![CDATA[DAMAGE]]>", post_id=8))
    result = process_bytes("export.xml", text.encode(), damage_linter())
    assert result.error is not None and f"post “Hello” at line {where(text, '<item>')[0]}" in result.error
    assert [d.context for d in result.diagnostics] == ["post 8 “Hello”"]


def test_item_count_cross_check_catches_a_misread() -> None:
    # A <content:encoded> redeclared on an inner element the lexer does not follow: the lexer
    # and lxml disagree, so the file is checked but not written.
    text = wxr(item("<![CDATA[DAMAGE]]>")).replace(
        "<content:encoded>", '<x xmlns:content="urn:other"><content:encoded>', 1
    ).replace("</content:encoded>", "</content:encoded></x>", 1)
    result = process_bytes("export.xml", text.encode(), damage_linter(), fix=True)
    assert result.error is not None and "cross-check" in result.error
    assert result.output is None


MALFORMED = ["malformed.xml", "malformed-simple.xml", "crazy-cdata.xml", "namespace-edge-cases.xml"]


@pytest.mark.corpus
@pytest.mark.parametrize("name", MALFORMED)
def test_importer_malformed_fixtures(name: str) -> None:
    path = require(CORPORA / "wordpress-wxr" / "wordpress-importer" / "data" / name)
    result = process_bytes(str(path), path.read_bytes(), damage_linter(), fix=True)
    assert result.error is not None and "\n" not in result.error and re.search(r"line \d+", result.error)
    assert result.output is None


# --- a real export -------------------------------------------------------------------------


@pytest.mark.corpus
def test_theme_unit_test_fix_touches_only_post_bodies(tmp_path: Path) -> None:
    source = require(CORPORA / "wordpress-wxr" / "theme-test-data" / "themeunittestdata.wordpress.xml")
    original = source.read_bytes()
    copy = tmp_path / "export.xml"
    copy.write_bytes(original)
    result = process_path(str(copy), damage_linter("T]]>", word="the ", protect=False), fix=True, write=True)
    assert result.error is None and result.written and len(result.fixed) > 100
    fixed = copy.read_bytes()
    # Every changed byte lies inside a content:encoded / excerpt:encoded body.
    extents = [r.extent for r in WxrReader(io.BytesIO(original)).regions()]
    old_text, new_text = original.decode(), fixed.decode()
    outside_old = _outside(old_text, extents)
    new_extents = [r.extent for r in WxrReader(io.BytesIO(fixed)).regions()]
    assert outside_old == _outside(new_text, new_extents)
    # Still well-formed, the same posts, and each body is the old one with the fixes.
    old_tree, new_tree = etree.fromstring(original), etree.fromstring(fixed)
    assert [e.tag for e in old_tree.iter()] == [e.tag for e in new_tree.iter()]
    for old, new in zip(old_tree.iter(), new_tree.iter()):
        expected = (old.text or "").replace("the ", "T]]>") if old.tag.endswith("}encoded") else old.text
        assert (new.text or "") == (expected or "")


def _outside(text: str, extents: list[tuple[int, int] | None]) -> list[str]:
    pieces, position = [], 0
    for extent in extents:
        assert extent is not None
        pieces.append(text[position:extent[0]])
        position = extent[1]
    pieces.append(text[position:])
    return pieces


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["theme-test-data/64-block-test-data.xml",
                                  "jekyll-import-mocks/sitetitle.wordpress.2025-01-19.000.xml"])
def test_real_export_locations_open_on_the_word(name: str) -> None:
    """Every diagnostic's row and column point at the flagged word in the export file."""
    path = require(CORPORA / "wordpress-wxr" / name)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    result = process_bytes(str(path), path.read_bytes(), damage_linter(word="the", protect=False))
    assert len(result.diagnostics) > 50
    for d in result.diagnostics:
        assert d.location is not None and d.context and d.context.startswith(("post", "excerpt"))
        assert lines[d.location.row - 1][d.location.column - 1:].startswith("the")


def test_posts_the_fix_verifier_cannot_finish_are_counted_in_one_notice(tmp_path: Path) -> None:
    """An export's posts html5lib never finishes (MathML in a table) keep their structural
    fixes, the other posts get theirs, and one notice counts the posts left as they were."""
    from htmlfix.config import Settings
    from htmlfix.engine import Linter

    looping = "<![CDATA[<p>x</span></p><table><tfoot><math><tbody></table>]]>"
    text = wxr(item(looping), item("<![CDATA[<p>y</em></p>]]>", post_id=8), item(looping, post_id=9))
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    result = process_path(str(path), Linter(Settings()), fix=True, write=True)
    assert [notice.split(":")[0] for notice in result.notices] == ["structural fixes not applied in 2 region(s)"]
    assert bodies(path.read_bytes()) == [looping[9:-3], "<p>y</p>", looping[9:-3]]
    assert result.rejected == []
