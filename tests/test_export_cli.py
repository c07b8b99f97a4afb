"""The export readers through the command line: --target, streaming, Markdown, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from htmlfix import engine
from htmlfix.cli import main
from htmlfix.document import Document, Mode

from .corpus import CORPORA, require
from .export_rules import DamageRule
from .test_wxr import item, wxr


def inject_damage_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every Linter the CLI builds run the test rule too."""
    original = engine.Linter.__init__

    def patched(self: engine.Linter, settings: object = None) -> None:
        original(self, settings)  # type: ignore[arg-type]
        self.rules = (*self.rules, DamageRule())

    monkeypatch.setattr(engine.Linter, "__init__", patched)


def test_wxr_check_and_fix_from_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    inject_damage_rule(monkeypatch)
    text = wxr(item("<![CDATA[<p>DAMAGE</p>]]>"))
    path = tmp_path / "export.xml"
    path.write_text(text)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    row = text[:text.index("<p>DAMAGE")].count("\n") + 1
    assert f"{path}:{row}:" in out and "(in post 7 “Hello”)" in out
    assert main(["check", "--fix", str(path)]) == 0
    assert path.read_text() == text.replace("<p>DAMAGE</p>", "<p>repaired</p>")
    assert [p.name for p in tmp_path.iterdir()] == ["export.xml"]  # no temporary file left


def test_diff_of_an_export(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    inject_damage_rule(monkeypatch)
    path = tmp_path / "export.xml"
    path.write_text(wxr(item("<![CDATA[<p>DAMAGE</p>]]>")))
    before = path.read_bytes()
    assert main(["check", "--diff", str(path)]) == 1
    out = capsys.readouterr().out
    assert "-<content:encoded><![CDATA[<p>DAMAGE</p>]]></content:encoded>" in out
    assert "+<content:encoded><![CDATA[<p>repaired</p>]]></content:encoded>" in out
    assert path.read_bytes() == before


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["malformed.xml", "malformed-simple.xml", "crazy-cdata.xml"])
def test_malformed_corpus_exports_exit_2_with_one_error_line(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = require(CORPORA / "wordpress-wxr" / "wordpress-importer" / "data" / name)
    copy = tmp_path / name
    copy.write_bytes(source.read_bytes())
    assert main(["check", "--fix", str(copy)]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(errors) == 1 and "line" in errors[0]
    assert copy.read_bytes() == source.read_bytes()


def test_target_option_reaches_the_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    class TargetProbe(DamageRule):
        def check(self, doc: Document):  # type: ignore[no-untyped-def]
            seen.append(doc.settings.target)
            return iter(())

    original = engine.Linter.__init__

    def patched(self: engine.Linter, settings: object = None) -> None:
        original(self, settings)  # type: ignore[arg-type]
        self.rules = (TargetProbe(),)

    monkeypatch.setattr(engine.Linter, "__init__", patched)
    page = tmp_path / "p.html"
    page.write_text("<p>x</p>")
    assert main(["check", "--target", "wordpress", str(page)]) == 0
    assert main(["check", str(page)]) == 0
    assert seen == ["wordpress", "generic"]
    assert main(["check", "--target", "joomla", str(page)]) == 2


def test_markdown_files_are_walked_and_code_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    inject_damage_rule(monkeypatch)
    (tmp_path / "post.md").write_text("Intro DAMAGE\n\n```\nDAMAGE in a fence\n```\n\nA `DAMAGE` span.\n")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("ZZ901") == 1 and "post.md:1:7:" in out


@pytest.mark.corpus
def test_every_corpus_export_runs_to_completion(capsys: pytest.CaptureFixture[str]) -> None:
    """No crash on any export; errors are one line each, about malformed input."""
    base = require(CORPORA / "wordpress-wxr")
    code = main(["check", "--exit-zero", str(base), str(CORPORA / "cms-exports")])
    err = capsys.readouterr().err
    assert code in (0, 2)
    for line in err.splitlines():
        assert "error:" not in line or "malformed" in line or "could not be read" in line, line


def test_document_markdown_mode_protects_code() -> None:
    text = "---\ntitle: DAMAGE\n---\n\n- item\n\n    DAMAGE continues the item\n\n    DAMAGE\n\nx `<script>` <b>DAMAGE</b>\n"
    doc = Document(text, Mode.MARKDOWN)
    flagged = [text.count("\n", 0, d.span.start) + 1 for d in DamageRule().check(doc)]
    # Front matter is protected; the indented line is a paragraph of the list item, not code
    # (CommonMark); the second indented block after it is also inside the list item.
    assert flagged == [7, 9, 11]
    names = [doc.tokens.names[i] for i, k in enumerate(doc.tokens.kinds) if k.name == "START_TAG"]
    assert names == ["b"]  # the <script> in a code span does not swallow what follows
