"""Decoding, encoding back byte for byte, and offsets to rows and columns."""

from __future__ import annotations

import codecs

import pytest

from htmlfix.source import DecodeError, LineIndex, Position, decode, dominant_newline


@pytest.mark.parametrize(
    "data",
    [
        b"plain",
        codecs.BOM_UTF8 + "caf\u00e9\r\n".encode(),
        codecs.BOM_UTF16_LE + "x\r\ny".encode("utf-16-le"),
        b"a\rb\nc\r\nd",
        b"",
    ],
)
def test_round_trip(data: bytes) -> None:
    assert decode(data).encode() == data


def test_bom_is_not_text() -> None:
    source = decode(codecs.BOM_UTF8 + b"<p>")
    assert source.text == "<p>" and source.bom == codecs.BOM_UTF8


@pytest.mark.parametrize("data, message", [(b"\x89PNG\x00\x00", "binary"), (b"caf\xe9", "not valid utf-8")])
def test_bad_input(data: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        decode(data)


def test_positions_count_characters_and_all_newlines() -> None:
    text = "ab\r\ncd\re\nf\u2028g\fh😀i"
    lines = LineIndex(text)
    assert lines.position(0) == Position(1, 1)
    assert lines.position(4) == Position(2, 1)
    assert lines.position(7) == Position(3, 1)
    assert lines.position(9) == Position(4, 1)
    # \u2028 and \f are not line breaks in HTML; an astral character is one column
    assert lines.position(text.index("i")) == Position(4, 7)
    for offset in range(len(text) + 1):
        row, column = lines.position(offset)
        assert lines.offset(row, column) == offset


def test_dominant_newline() -> None:
    assert dominant_newline("a\r\nb\r\nc\n") == "\r\n"
    assert dominant_newline("abc") == "\n"


def test_declared_windows_1252_round_trips_with_c1_bytes() -> None:
    data = b'<meta charset="iso-8859-1"><p>caf\xe9 \x93quoted\x94 \x81\x8d\x8f\x90\x9d</p>'
    source = decode(data)
    assert source.encoding == "cp1252"
    assert "caf\u00e9 \u201cquoted\u201d" in source.text
    assert source.encode() == data


def test_xml_declaration_is_honoured() -> None:
    data = b'<?xml version="1.0" encoding="windows-1252"?><rss>\xe9</rss>'
    assert decode(data).text.endswith("\u00e9</rss>")


def test_undeclared_legacy_bytes_are_an_error() -> None:
    with pytest.raises(DecodeError, match="not valid utf-8: byte 0xe9 at offset 3 \\(line 1\\)"):
        decode(b"caf\xe9")


def test_unencodable_fix_is_an_error() -> None:
    source = decode(b'<meta charset="latin1"><p>x</p>')
    with pytest.raises(DecodeError, match="cannot encode"):
        source.encode(source.text + "\u2603")


def test_wrong_declaration_on_a_utf8_file_reads_as_utf8() -> None:
    """readability page qq: declares gb2312 but was saved as UTF-8."""
    data = '<meta charset="gb2312"><p>腾讯新闻</p>'.encode()
    source = decode(data)
    assert source.encoding == "utf-8" and "腾讯新闻" in source.text
    assert source.encode() == data


def test_gb2312_label_reads_as_gbk() -> None:
    data = '<meta charset="gb2312"><p>镕</p>'.encode("gbk")  # 镕 is in GBK, not in GB2312
    assert decode(data).encoding == "gbk"
