"""JSON exports: Ghost and --json-field; exact positions in one-line files, escapes kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from htmlfix.cli import main
from htmlfix.config import Settings
from htmlfix.runner import process_bytes
from htmlfix.source import LineIndex

from .corpus import CORPORA, require
from .export_rules import damage_linter


def ghost(*posts: dict[str, object]) -> str:
    """A one-line Ghost export, as Ghost writes it (slashes escaped, like PHP's json_encode)."""
    export = {"db": [{"meta": {"exported_on": 1, "version": "3.3.0"}, "data": {"posts": list(posts)}}]}
    return json.dumps(export, ensure_ascii=False).replace("/", "\\/")


def test_one_line_positions_are_exact_columns() -> None:
    text = ghost({"title": "One", "html": "<p>caf\u00e9 \"q\"\\n DAMAGE<\\/p>"},
                 {"title": "Two", "html": "<p>\u00e9\u00e9 DAMAGE</p>"})
    result = process_bytes("export.json", text.encode(), damage_linter())
    lines = LineIndex(text)
    assert [d.location for d in result.diagnostics] == [
        lines.position(text.index("DAMAGE")), lines.position(text.rindex("DAMAGE"))]
    assert all(d.location.row == 1 for d in result.diagnostics)  # type: ignore[union-attr]
    assert [d.context for d in result.diagnostics] == ["post “One”", "post “Two”"]


@pytest.mark.parametrize(
    "replacement",
    ["fixed", 'say "hi"\\', "caf\u00e9 \U0001f600", "line\nbreak</p>", ""],
)
def test_fix_keeps_every_escape_outside_the_edit(replacement: str) -> None:
    body = "<p>\\u00e9 \\\"quoted\\\" \\/ \\ud83d\\ude00 DAMAGE \\n<\\/p>"
    text = '{"db":[{"meta":{},"data":{"posts":[{"id":"1","title":"T","html":"' + body + '"}]}}]}'
    result = process_bytes("export.json", text.encode(), damage_linter(replacement), fix=True)
    assert result.error is None and result.output is not None
    out = result.output.decode()
    start = text.index("DAMAGE")
    # Bytes before and after the edit are unchanged (escapes included).
    assert out.startswith(text[:start]) and out.endswith(text[start + 6:])
    html = json.loads(out)["db"][0]["data"]["posts"][0]["html"]
    assert html == json.loads(text)["db"][0]["data"]["posts"][0]["html"].replace("DAMAGE", replacement)
    if replacement.isascii():
        return
    # This file keeps to ASCII (\\u escapes): so does the new text; and "/" stays "\\/".
    assert out.isascii()


def test_ghost_posts_rebuilt_from_mobiledoc_are_reported_but_not_written() -> None:
    text = ghost({"title": "Mobiledoc", "mobiledoc": '{"version":"0.3.1"}', "html": "<p>DAMAGE</p>"},
                 {"title": "Lexical", "lexical": '{"root":{}}', "html": "<p>DAMAGE</p>"},
                 {"title": "Html only", "mobiledoc": None, "html": "<p>DAMAGE</p>"})
    result = process_bytes("export.json", text.encode(), damage_linter(), fix=True)
    posts = json.loads(result.output)["db"][0]["data"]["posts"]  # type: ignore[arg-type]
    assert [p["html"] for p in posts] == ["<p>DAMAGE</p>", "<p>DAMAGE</p>", "<p>repaired</p>"]
    assert [d.context for d in result.diagnostics] == ["post “Mobiledoc”", "post “Lexical”"]
    assert any("Ghost rebuilds" in n and "mobiledoc" in n for n in result.notices)
    assert any("lexical" in n for n in result.notices)


def test_generic_json_fields() -> None:
    text = json.dumps([{"title": {"rendered": "Hi"}, "content": {"rendered": "<p>DAMAGE</p>"},
                        "excerpt": {"rendered": "DAMAGE"}, "other": "DAMAGE"}], indent=2)
    linter = damage_linter(settings=Settings(json_fields=("content.rendered", "excerpt.rendered")))
    result = process_bytes("posts.json", text.encode(), linter)
    lines = LineIndex(text)
    assert [d.location for d in result.diagnostics] == [
        lines.position(text.index("DAMAGE</p>")), lines.position(text.index('"DAMAGE"') + 1)]
    assert result.diagnostics[0].context == "“Hi” ([0].content.rendered)"
    # Without --json-field, a JSON file that is not a Ghost export is skipped.
    assert process_bytes("posts.json", text.encode(), damage_linter()).skipped


def test_malformed_json_is_a_one_line_error_and_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.json"
    data = b'{"db": [{"meta": {}, "data": {"posts": [{"html": "<p>x</p>"}\n  oops]}}]}'
    path.write_bytes(data)
    code = main(["check", "--fix", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and path.read_bytes() == data
    assert err.count("\n") == 1 and "malformed JSON at line 2, column 3" in err


def test_walked_json_that_is_not_an_export_is_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "log.json").write_text('{"a": 1}\n{"a": 2}\n')  # JSON Lines
    (tmp_path / "package.json").write_text('{"name": "x"}')
    assert main(["check", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""


def test_cli_json_field_option(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_export_cli import inject_damage_rule

    inject_damage_rule(monkeypatch)
    path = tmp_path / "posts.json"
    path.write_text('[{"body": "<p>DAMAGE</p>"}]')
    assert main(["check", str(path)]) == 0
    capsys.readouterr()
    assert main(["check", "--json-field", "body", str(path)]) == 1
    assert f"{path}:1:15: ZZ901" in capsys.readouterr().out


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["ghost-theme-unit-test-nickisnoble", "ghost-theme-unit-test-uksb"])
def test_real_ghost_exports_are_read(folder: str) -> None:
    path = require(CORPORA / "cms-exports" / folder / "ghost-theme-unit-test.content-only.json")
    from htmlfix.readers.jsonexport import read_json
    from htmlfix.source import decode

    container = read_json(decode(path.read_bytes()))
    assert container is not None and len(container.regions) == 19
    # Every post has mobiledoc: Ghost would rebuild html, so none is writable.
    assert not any(region.writable for region in container.regions)
    assert all(region.text.startswith("<") for region in container.regions if region.text)
