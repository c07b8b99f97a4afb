"""Every --output-format, produced by the command line for a damaged file and for the seed.

The damage comes from the test-only rule ZZ901 (the word DAMAGE, see conftest.py), so these
tests hold whatever real rules exist; the seed runs with the real rules.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from htmlfix.cli import main
from htmlfix.formats import FORMATS
from htmlfix.formats.ci import _escape_data, _escape_property

from .corpus import SARIF_SCHEMA, SEED, require

DAMAGED = "<p>fine</p>\r\n<p>DAMAGE here, and DAMAGE: twice</p>\n<pre>DAMAGE in code</pre>\n<p>é DAMAGE</p>\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def damaged(tmp_path: Path, damage_rule: type, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "post,1.html"
    page.write_bytes(DAMAGED.encode())
    (tmp_path / "clean.html").write_text("<p>nothing</p>\n")
    return page


def test_every_format_is_offered() -> None:
    assert set(FORMATS) == {"text", "json", "json-lines", "github", "gitlab", "sarif", "junit"}


def test_text(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", ".")
    assert code == 1
    assert out.splitlines()[:3] == [
        "post,1.html:2:4: ZZ901 [*] The word `DAMAGE`",
        "post,1.html:2:21: ZZ901 [*] The word `DAMAGE`",
        "post,1.html:4:6: ZZ901 [*] The word `DAMAGE`",
    ]
    assert "Found 3 errors." in out


def test_json_and_json_lines_agree(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--output-format", "json", ".")
    array = json.loads(out)
    _, out, _ = run(capsys, "check", "--output-format", "json-lines", ".")
    lines = [json.loads(line) for line in out.splitlines()]
    assert array == lines
    assert [(d["location"], d["end_location"]) for d in array][0] == ({"row": 2, "column": 4}, {"row": 2, "column": 10})
    assert array[0]["fix"]["edits"][0]["content"] == "repaired"


def test_github_annotations(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--output-format", "github", ".")
    assert code == 1
    first = out.splitlines()[0]
    # The comma in the file name would end the property early if it were not escaped.
    assert first == (
        "::error title=htmlfix (ZZ901),file=post%2C1.html,line=2,col=4,endLine=2,endColumn=10"
        "::post,1.html:2:4: ZZ901 [*] The word `DAMAGE`"
    )
    assert len(out.splitlines()) == 3


def test_github_escaping() -> None:
    assert _escape_data("50% a\r\nb:c,d") == "50%25 a%0D%0Ab:c,d"
    assert _escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_paths_are_relative_to_the_workspace(damaged: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = damaged.parent.parent
    monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace))
    _, out, _ = run(capsys, "check", "--output-format", "github", str(damaged))
    assert f"file={damaged.parent.name}/post%2C1.html," in out


def test_gitlab_code_quality(damaged: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI_PROJECT_DIR", str(damaged.parent))
    _, out, _ = run(capsys, "check", "--output-format", "gitlab", str(damaged))
    issues = json.loads(out)
    assert len(issues) == 3
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == "ZZ901" and issue["severity"] == "major"
        assert issue["location"]["path"] == "post,1.html"
    assert [i["location"]["lines"]["begin"] for i in issues] == [2, 2, 4]
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == 3
    # Fingerprints do not depend on where the problems are: add lines above, same answer.
    damaged.write_bytes(b"<p>new intro</p>\n<p>more</p>\n" + damaged.read_bytes())
    _, out, _ = run(capsys, "check", "--output-format", "gitlab", str(damaged))
    moved = json.loads(out)
    assert [i["fingerprint"] for i in moved] == fingerprints
    assert [i["location"]["lines"]["begin"] for i in moved] == [4, 4, 6]


def _validator() -> object:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(require(SARIF_SCHEMA).read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    # The schema is draft-04, whose own format checker knows no "uri-reference"; the full
    # checker does (with rfc3986-validator, a dev dependency), so artifact URIs are checked.
    checker = jsonschema.FormatChecker()
    assert "uri-reference" in checker.checkers, "install rfc3986-validator to check SARIF URIs"
    return validator_class(schema, format_checker=checker)


def test_sarif_validates_and_carries_rule_docs(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    validator = _validator()
    code, out, _ = run(capsys, "check", "--output-format", "sarif", ".")
    assert code == 1
    log = json.loads(out)
    validator.validate(log)  # type: ignore[attr-defined]
    run_ = log["runs"][0]
    assert log["version"] == "2.1.0" and run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    damage = next(r for r in rules if r["id"] == "ZZ901")
    assert damage["name"] == "damage-word"
    assert damage["shortDescription"]["text"].startswith("The word `DAMAGE`")
    assert "## Fix safety" in damage["help"]["markdown"]
    results = run_["results"]
    assert len(results) == 3
    first = results[0]
    assert rules[first["ruleIndex"]]["id"] == "ZZ901"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "post%2C1.html"
    assert location["region"] == {"startLine": 2, "startColumn": 4, "endLine": 2, "endColumn": 10, "snippet": {"text": "DAMAGE"}}
    # Columns count code points: "é" is one column, as htmlfix counts them.
    assert results[2]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 6
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "repaired"
    assert replacement["deletedRegion"] == {"startLine": 2, "startColumn": 4, "endLine": 2, "endColumn": 10}


def test_sarif_reports_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    validator = _validator()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.html").write_bytes(b"<p>caf\xe9</p>")
    code, out, err = run(capsys, "check", "--output-format", "sarif", "bad.html")
    assert code == 2 and "not valid utf-8" in err
    log = json.loads(out)
    validator.validate(log)  # type: ignore[attr-defined]
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "bad.html" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_junit(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--output-format", "junit", ".")
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "3", "0")
    suites = {suite.get("name"): suite for suite in root}
    assert set(suites) == {"clean.html", "post,1.html"}
    assert [case.get("name") for case in suites["clean.html"]] == ["htmlfix"]
    assert suites["clean.html"].find("testcase/failure") is None
    cases = suites["post,1.html"].findall("testcase")
    assert [c.get("name") for c in cases] == ["ZZ901 at 2:4", "ZZ901 at 2:21", "ZZ901 at 4:6"]
    assert cases[0].find("failure").get("type") == "ZZ901"  # type: ignore[union-attr]


def test_junit_survives_control_characters(tmp_path: Path, damage_rule: type, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "p.html"
    page.write_text("<p>\x0bDAMAGE\x01</p>")
    _, out, _ = run(capsys, "check", "--output-format", "junit", str(page))
    ET.fromstring(out)  # raises if the XML is not well formed


def test_output_file(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--output-format", "sarif", "-o", "report.sarif", ".")
    assert code == 1 and out == ""
    assert json.loads((damaged.parent / "report.sarif").read_text())["runs"][0]["results"]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_for_the_seed(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The seed with the real rules: each format is produced and parses."""
    seed = tmp_path / "article-export.txt"
    shutil.copyfile(require(SEED), seed)
    code, out, err = run(capsys, "check", "--output-format", fmt, str(seed))
    assert code in (0, 1), err
    if fmt in ("json", "gitlab", "sarif"):
        parsed = json.loads(out)
        if fmt == "sarif":
            _validator().validate(parsed)  # type: ignore[attr-defined]
    elif fmt == "json-lines":
        [json.loads(line) for line in out.splitlines()]
    elif fmt == "junit":
        ET.fromstring(out)
    elif fmt == "github":
        assert all(line.startswith("::error ") for line in out.splitlines())
    assert (code == 1) == bool(json.loads(run(capsys, "check", "--output-format", "json", str(seed))[1]))


def test_statistics(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--statistics", ".")
    assert code == 1
    assert out.splitlines()[0] == "3\tZZ901\t[*] damage-word"
    _, out, _ = run(capsys, "check", "--statistics", "--output-format", "json", ".")
    assert json.loads(out) == [{"code": "ZZ901", "name": "damage-word", "count": 3, "fixable": True}]


def test_show_fixes(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--fix", "--show-fixes", ".")
    assert code == 0
    assert "Fixed 3 errors:\n- post,1.html:\n    3 × ZZ901 (damage-word)\n" in out
    assert "Found 3 errors (3 fixed, 0 remaining)." in out


def test_quiet_and_silent(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (damaged.parent / "notes.md").write_text("x")
    code, out, err = run(capsys, "check", "--quiet", ".", "notes.md")
    assert code == 1 and "Found" not in out and out.count("ZZ901") == 3 and err == ""
    code, out, err = run(capsys, "check", "--silent", ".")
    assert (code, out, err) == (1, "", "")
