"""Baselines: --write-baseline records today's problems, --baseline reports only new ones.

The problems come from the test-only rule ZZ901 (the word DAMAGE), so the tests hold for any
set of real rules; the export tests skip until the export readers read .xml and .json files.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import htmlfix
from htmlfix.cli import main
from htmlfix.model import Diagnostic, Span
from htmlfix.report import Report, fingerprint
from htmlfix.source import Position

from .corpus import CORPORA, require

pytestmark = pytest.mark.usefixtures("damage_rule")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def json_problems(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    code, out, _ = run(capsys, "check", "--output-format", "json", *args)
    return code, json.loads(out)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.html").write_text("<p>DAMAGE one</p>\n<p>DAMAGE</p>\n<p>DAMAGE</p>\n")
    (tmp_path / "posts" / "b.html").write_text("<p>fine</p>\n<p>DAMAGE</p>\n")
    return tmp_path


def test_write_then_check_passes(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--write-baseline", "baseline.json", "posts")
    assert code == 0 and out == "Wrote 4 problems in 2 files to baseline.json.\n"
    code, out, _ = run(capsys, "check", "--baseline", "baseline.json", "posts")
    assert code == 0
    assert out == "All checks passed!\n4 known problems in the baseline not shown.\n"


def test_baseline_is_readable_and_stable(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "check", "--write-baseline", "baseline.json", "posts")
    first = (site / "baseline.json").read_text()
    data = json.loads(first)
    assert data["htmlfix-baseline"] == 1
    assert sorted(data["files"]) == ["posts/a.html", "posts/b.html"]
    entries = data["files"]["posts/a.html"]
    # Identical problems are one entry with a count; the damaged text is shown for review.
    assert sorted(e["count"] for e in entries) == [3]
    assert entries[0]["text"] == "DAMAGE" and entries[0]["code"] == "ZZ901"
    run(capsys, "check", "--write-baseline", "baseline.json", "posts")
    assert (site / "baseline.json").read_text() == first


def test_edits_elsewhere_keep_the_baseline(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "check", "--write-baseline", "baseline.json", "posts")
    page = site / "posts" / "a.html"
    page.write_text("<h1>New title</h1>\r\n<p>intro</p>\r\n" + page.read_text().replace("one", "uno"))
    assert run(capsys, "check", "--baseline", "baseline.json", "posts")[0] == 0


def test_one_more_problem_fails_with_exactly_that_problem(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "check", "--write-baseline", "baseline.json", "posts")
    page = site / "posts" / "b.html"
    page.write_text(page.read_text() + "<p>more DAMAGE</p>\n")
    code, problems = json_problems(capsys, "--baseline", "baseline.json", "posts")
    assert code == 1
    assert [(p["filename"], p["code"], p["location"]) for p in problems] == [
        ("posts/b.html", "ZZ901", {"row": 3, "column": 9})
    ]


def test_paths_are_relative_to_the_baseline_file(site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "check", "--write-baseline", "baseline.json", "posts")
    monkeypatch.chdir(site / "posts")
    assert run(capsys, "check", "--baseline", "../baseline.json", ".")[0] == 0
    assert run(capsys, "check", "--baseline", str(site / "baseline.json"), str(site / "posts" / "a.html"))[0] == 0


def test_fixed_problems_are_noted_as_stale(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "check", "--write-baseline", "baseline.json", "posts")
    (site / "posts" / "b.html").write_text("<p>fine</p>\n")
    code, out, _ = run(capsys, "check", "--baseline", "baseline.json", "posts")
    assert code == 0
    assert "1 baseline entry no longer occur; write the baseline again to drop them." in out


@pytest.mark.parametrize(
    "content, message",
    [(None, "baseline file not found"), ("{", "not a baseline (invalid JSON"), ('{"files": {}}', "not an htmlfix baseline")],
)
def test_bad_baseline_is_an_error(site: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str) -> None:
    if content is not None:
        (site / "baseline.json").write_text(content)
    code, out, err = run(capsys, "check", "--baseline", "baseline.json", "posts")
    assert code == 2 and out == "" and message in err and "baseline.json" in err


def test_fingerprint_depends_on_text_code_and_context_not_place() -> None:
    base = fingerprint("FR001", "post 7", "td >", "Stray `td >`")
    assert fingerprint("FR001", "post 7", "td  >", "another message") == base  # whitespace collapsed
    assert fingerprint("FR001", "post 8", "td >", "Stray `td >`") != base
    assert fingerprint("FR002", "post 7", "td >", "Stray `td >`") != base
    # An empty span (something missing) is told apart by its message.
    assert fingerprint("ST001", None, "", "`<b>` never closed") != fingerprint("ST001", None, "", "`<i>` never closed")


def test_report_snippets_are_bounded() -> None:
    text = "<div>" + "x" * 100_000 + "</div>"
    d = Diagnostic("ZZ901", "m", Span(0, len(text)), location=Position(1, 1), end_location=Position(1, len(text) + 1), filename="f")
    snippet = Report([d], texts={"f": text}).snippet(d)
    assert len(snippet) <= 241 and snippet.startswith("<div>x") and snippet.endswith("x</div>")


# --- exports: where inline comments are impossible ---------------------------------------------------


def _regions_or_skip(path: Path, kind: str) -> list[htmlfix.Region]:
    try:
        regions = list(htmlfix.iter_regions(path))
    except htmlfix.ReadError as exc:
        pytest.skip(f"{path.suffix} files are not read as {kind} exports yet ({exc})")
    if len(regions) < 2 or not any(r.label for r in regions):
        pytest.skip(f"{path.suffix} files are not read as {kind} exports yet (one unlabelled region)")
    return regions


def _acceptance(export: Path, damage: str, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    """Baseline a real export; the next check passes; one more damaged post fails with exactly
    that problem, although the insertion moved everything after it."""
    before = _regions_or_skip(export, kind)
    code, out, err = run(capsys, "check", "--write-baseline", "baseline.json", export.name)
    assert code == 0, err
    code, out, err = run(capsys, "check", "--baseline", "baseline.json", export.name)
    assert code == 0, out + err
    assert out.startswith("All checks passed!")

    text = export.read_text(encoding="utf-8")
    marker = re.search(damage, text, re.DOTALL)
    assert marker, f"no place to damage in {export.name}"
    export.write_text(text[: marker.end()] + "<p>DAMAGE</p>" + text[marker.end() :], encoding="utf-8")
    after = list(htmlfix.iter_regions(export))
    damaged = [r for r, old in zip(after, before) if r.text != old.text]
    assert len(damaged) == 1 and len(after) == len(before)

    code, problems = json_problems(capsys, "--baseline", "baseline.json", export.name)
    assert code == 1
    assert [(p["code"], p["context"]) for p in problems] == [("ZZ901", damaged[0].label)]
    row = text[: marker.end()].count("\n") + 1
    assert problems[0]["location"]["row"] == row  # type: ignore[index]


def test_wxr_export_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    source = require(CORPORA / "wordpress-wxr" / "theme-test-data" / "themeunittestdata.wordpress.xml")
    monkeypatch.chdir(tmp_path)
    export = tmp_path / "export.xml"
    shutil.copyfile(source, export)
    # The 40th post body (CDATA in content:encoded), so posts before and after it exist.
    _acceptance(export, r"(?:.*?<content:encoded><!\[CDATA\[){40}", capsys, "WXR")


def test_ghost_json_export_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    source = require(CORPORA / "cms-exports" / "ghost-theme-unit-test-uksb" / "ghost-theme-unit-test.content-only.json")
    monkeypatch.chdir(tmp_path)
    export = tmp_path / "ghost.json"
    shutil.copyfile(source, export)
    # Inside the html of the 5th post ("html":"<...").
    _acceptance(export, r'(?:.*?"html":\s*"){5}', capsys, "Ghost JSON")

