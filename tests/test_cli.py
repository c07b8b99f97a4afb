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


def test_atomic_write_keeps_permissions(tmp_path: Path) -> None:
    from htmlfix.runner import write_atomically

    page = tmp_path / "p.html"
    page.write_bytes(b"old")
    os.chmod(page, 0o640)
    write_atomically(page, b"new")
    assert page.read_bytes() == b"new"
    assert page.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["p.html"]
