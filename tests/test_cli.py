"""The command line, end to end: exit codes, files written, bytes preserved, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from htmlfix.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "ok.html"
    page.write_text("<p>fine</p>")
    code, out, _ = run(capsys, "check", str(page))
    assert code == 0
    assert "All checks passed" in out


def test_missing_path_is_exit_2_after_other_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "ok.html"
    page.write_text("<p>fine</p>")
    code, out, err = run(capsys, "check", str(tmp_path / "nope.html"), str(page))
    assert code == 2
    assert "nope.html: no such file or directory" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "data, message",
    [(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"), (b"<p>caf\xe9</p>", "not valid utf-8")],
)
def test_bad_bytes_are_reported_and_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str) -> None:
    page = tmp_path / "bad.html"
    page.write_bytes(data)
    code, _, err = run(capsys, "check", "--fix", str(page))
    assert code == 2
    assert message in err
    assert page.read_bytes() == data


def test_unknown_kinds_are_skipped_in_directories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / "a.html").write_text("<p>x</p>")
    code, _, err = run(capsys, "check", str(tmp_path))
    assert code == 0 and err == ""


def test_unknown_selector_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--select", "ZZ9", "-")
    assert code == 2
    assert "matches no rule" in err


def test_rule_documentation_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--output-format", "json")
    assert code == 0
    rules = json.loads(out)
    assert isinstance(rules, list)
    code, _, err = run(capsys, "rule", "XX000")
    assert code == 2 and "unknown rule" in err


def test_python_dash_m(tmp_path: Path) -> None:
    page = tmp_path / "ok.html"
    page.write_text("<p>fine</p>")
    proc = subprocess.run([sys.executable, "-m", "htmlfix", "check", str(page)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "All checks passed" in proc.stdout


def test_version_imports_no_rules() -> None:
    """``htmlfix --version`` (and importing the package) stays cheap: the rules, the engine
    and the readers are imported by the commands that need them (start-up time)."""
    probe = (
        "import sys\n"
        "from htmlfix.cli import main\n"
        "assert main(['--version']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('htmlfix.rules', 'htmlfix.engine', "
        "'htmlfix.readers', 'htmlfix.api'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "version" in proc.stdout
    assert proc.stdout.strip().endswith("[]"), proc.stdout


def test_atomic_write_keeps_permissions(tmp_path: Path) -> None:
    from htmlfix.runner import write_atomically

    page = tmp_path / "p.html"
    page.write_bytes(b"old")
    os.chmod(page, 0o640)
    write_atomically(page, b"new")
    assert page.read_bytes() == b"new"
    assert page.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["p.html"]


DAMAGED = "<p>< strong >Key:< / strong > value</p>\n<p>fine</p>\n"
FIXED = "<p><strong>Key:</strong> value</p>\n<p>fine</p>\n"


def test_check_reports_and_does_not_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "post.html"
    page.write_text(DAMAGED)
    code, out, _ = run(capsys, "check", str(page))
    assert code == 1
    assert f"{page}:1:4: FR001 [*] Spaced tag `< strong >` is shown as text" in out
    assert "Found 2 errors." in out and "[*] 2 fixable with the `--fix` option." in out
    assert page.read_text() == DAMAGED


def test_fix_writes_only_the_damaged_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "post.html"
    page.write_bytes(b"\xef\xbb\xbf" + DAMAGED.replace("\n", "\r\n").encode())
    clean = tmp_path / "clean.html"
    clean.write_text("<p>fine</p>")
    before = clean.stat().st_mtime_ns
    code, out, _ = run(capsys, "check", "--fix", str(tmp_path))
    assert code == 0
    assert "Found 2 errors (2 fixed, 0 remaining)." in out
    assert page.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()
    assert clean.stat().st_mtime_ns == before  # unchanged files are not rewritten
    code, _, _ = run(capsys, "check", "--fix", "--exit-non-zero-on-fix", str(page))
    assert code == 0  # nothing left to change


def test_exit_non_zero_on_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "post.html"
    page.write_text(DAMAGED)
    code, _, _ = run(capsys, "check", "--fix", "--exit-non-zero-on-fix", str(page))
    assert code == 1
    assert page.read_text() == FIXED


def test_diff_prints_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "post.html"
    page.write_text(DAMAGED)
    code, out, _ = run(capsys, "check", "--diff", str(page))
    assert code == 1
    assert "-<p>< strong >Key:< / strong > value</p>" in out
    assert "+<p><strong>Key:</strong> value</p>" in out
    assert page.read_text() == DAMAGED
    page.write_text(FIXED)
    code, out, _ = run(capsys, "check", "--diff", str(page))
    assert code == 0 and out == ""


def test_json_output_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "post.html"
    page.write_text(DAMAGED)
    code, out, _ = run(capsys, "check", "--output-format", "json", str(page))
    assert code == 1
    first, second = json.loads(out)
    assert first["code"] == "FR001"
    assert first["filename"] == str(page)
    assert first["location"] == {"row": 1, "column": 4}
    assert first["end_location"] == {"row": 1, "column": 14}
    fix = first["fix"]
    assert fix["applicability"] == "safe"
    assert [e["content"] for e in fix["edits"]] == ["<strong>", "</strong>"]
    assert fix["edits"][1]["location"] == {"row": 1, "column": 18}


def test_stdin_fix_writes_the_fixed_text_to_stdout(capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DAMAGED.encode())))
    code = main(["check", "--fix", "--stdin-filename", "post.html", "-"])
    out, err = capsysbinary.readouterr()
    assert code == 0
    assert out.decode() == FIXED
    assert b"2 fixed" in err


def test_select_and_ignore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "post.html"
    page.write_text(DAMAGED)
    code, _, _ = run(capsys, "check", "--ignore", "FR", str(page))
    assert code == 0
    code, out, _ = run(capsys, "check", "--select", "FR001", str(page))
    assert code == 1 and "FR001" in out


def test_explicit_unknown_kind_is_skipped_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.rst"
    notes.write_text("< strong >x< / strong >")
    code, out, err = run(capsys, "check", str(notes))
    assert code == 0
    assert "skipped" in err
    code, out, _ = run(capsys, "check", "--mode", "text", str(notes))
    assert code == 1 and "FR001" in out


def test_text_export_is_read_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "article.txt"
    export.write_text("Title\n< strong >Key:< / strong > value\ntd >\n")
    code, _, _ = run(capsys, "check", "--fix", str(export))
    assert code == 0
    assert export.read_text() == "Title\nKey: value\n"


def test_legacy_encoding_is_written_back_in_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "old.html"
    page.write_bytes(b'<meta charset="windows-1252">\r\n<p>Caf\xe9 < strong >cr\xe8me< / strong ></p>\r\n')
    code, _, _ = run(capsys, "check", "--fix", str(page))
    assert code == 0
    assert page.read_bytes() == b'<meta charset="windows-1252">\r\n<p>Caf\xe9 <strong>cr\xe8me</strong></p>\r\n'
