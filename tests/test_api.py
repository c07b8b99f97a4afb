"""The library surface: the names users import are pinned, and each works as documented."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import htmlfix
from htmlfix.model import NO_EXTRA

#: The public API. Changing this list is a change to the API: update the README with it.
PUBLIC = [
    "Applicability",
    "ConfigError",
    "Diagnostic",
    "Edit",
    "FileResult",
    "Fix",
    "FixResult",
    "Linter",
    "Mode",
    "Position",
    "ReadError",
    "Region",
    "Settings",
    "Span",
    "__version__",
    "check",
    "check_file",
    "fix",
    "fix_file",
    "iter_regions",
    "load_settings",
]


def test_public_names_are_pinned() -> None:
    assert sorted(htmlfix.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(htmlfix, name) is not None


def test_readme_documents_every_function() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in ("check", "fix", "check_file", "fix_file", "iter_regions", "load_settings"):
        assert f"htmlfix.{name}(" in readme, f"README does not show htmlfix.{name}()"


@pytest.mark.usefixtures("damage_rule")
def test_check_and_fix_a_string() -> None:
    (problem,) = htmlfix.check("<p>DAMAGE</p>")
    assert (problem.code, problem.location, problem.end_location) == ("ZZ901", (1, 4), (1, 10))
    result = htmlfix.fix("<p>DAMAGE</p>")
    assert result.changed and result.text == "<p>repaired</p>" and not result.remaining
    assert [e.content for e in result.edits] == ["repaired"]


@pytest.mark.usefixtures("damage_rule")
def test_a_problem_carries_its_damaged_text_and_crosses_processes() -> None:
    (problem,) = htmlfix.check("<p>\nDAMAGE</p>")
    assert (problem.snippet, problem.location, problem.end_location) == ("DAMAGE", (2, 1), (2, 7))
    unfixable = htmlfix.Settings(select=("ZZ901",), unfixable=("ZZ901",))
    (remaining,) = htmlfix.fix("<p>\nDAMAGE</p>", settings=unfixable).remaining
    assert remaining.snippet == "DAMAGE"
    # Without rule data a problem shares one empty, read-only extra, also once pickled (a
    # worker process sends its problems to the parent).
    copy = pickle.loads(pickle.dumps(problem))
    assert copy == problem and copy.snippet == "DAMAGE"
    assert problem.extra is copy.extra is NO_EXTRA and dict(copy.extra) == {}
    with pytest.raises(TypeError):
        problem.extra["anchor"] = 1  # read-only


@pytest.mark.usefixtures("damage_rule")
def test_files(tmp_path: Path) -> None:
    page = tmp_path / "post.html"
    page.write_bytes(b"<p>DAMAGE</p>\r\n<p>ok</p>")
    result = htmlfix.check_file(page)
    assert [(d.code, d.filename) for d in result.diagnostics] == [("ZZ901", str(page))]
    fixed = htmlfix.fix_file(page)
    assert fixed.output == b"<p>repaired</p>\r\n<p>ok</p>" and page.read_bytes().startswith(b"<p>DAMAGE")
    htmlfix.fix_file(page, write=True)
    assert page.read_bytes() == b"<p>repaired</p>\r\n<p>ok</p>"


def test_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"<p>caf\xe9</p>")
    with pytest.raises(htmlfix.ReadError, match="bad.html: not valid utf-8"):
        htmlfix.check_file(bad)
    other = tmp_path / "image.png"
    other.write_bytes(b"PNG")
    with pytest.raises(htmlfix.ReadError, match="not a kind htmlfix reads"):
        htmlfix.check_file(other)
    with pytest.raises(FileNotFoundError):
        htmlfix.check_file(tmp_path / "missing.html")


def test_iter_regions_of_a_plain_file(tmp_path: Path) -> None:
    page = tmp_path / "post.html"
    page.write_text("<p>hello</p>")
    (region,) = htmlfix.iter_regions(page)
    assert (region.text, region.mode, region.label) == ("<p>hello</p>", htmlfix.Mode.HTML, None)
    (region,) = htmlfix.iter_regions("notes.txt", data=b"plain words\n")
    assert region.mode is htmlfix.Mode.TEXT


@pytest.mark.usefixtures("damage_rule")
def test_load_settings_follows_the_project_configuration(tmp_path: Path) -> None:
    (tmp_path / "htmlfix.toml").write_text('ignore = ["ZZ901"]\n[per-file-ignores]\n"raw/*" = ["HF"]\n')
    (tmp_path / "raw").mkdir()
    settings = htmlfix.load_settings(tmp_path / "post.html")
    assert settings.ignore == ("ZZ901",)
    assert htmlfix.check("<p>DAMAGE</p>", settings=settings) == []
    codes = htmlfix.Linter(htmlfix.load_settings(tmp_path / "raw" / "a.html")).codes
    assert not any(code.startswith(("HF", "ZZ901")) for code in codes)
    (tmp_path / "htmlfix.toml").write_text("select = 3\n")
    with pytest.raises(htmlfix.ConfigError, match="htmlfix.toml: select: expected a list of strings"):
        htmlfix.load_settings(tmp_path / "post.html")
