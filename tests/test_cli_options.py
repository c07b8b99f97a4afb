"""Exit codes and options of ``htmlfix check`` that CI and pre-commit depend on."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from htmlfix.cli import main

pytestmark = pytest.mark.usefixtures("damage_rule")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "p.html"
    path.write_text("<p>DAMAGE</p>\n")
    return path


def test_fix_exit_codes_for_pre_commit(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The fix hook's command: changing a file fails the hook, and the next run passes.
    assert run(capsys, "check", "--fix", "--exit-non-zero-on-fix", str(page))[0] == 1
    assert page.read_text() == "<p>repaired</p>\n"
    assert run(capsys, "check", "--fix", "--exit-non-zero-on-fix", str(page))[0] == 0


def test_fix_without_the_flag_passes_when_everything_was_fixed(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--fix", str(page))[0] == 0


def test_unfixable_problems_fail_the_fix(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page.write_text("<p>DAMAGE</p>\n<!-- htmlfix: ignroe ZZ901 -->\n")
    code, out, _ = run(capsys, "check", "--fix", str(page))
    assert code == 1 and "HF002" in out and "(1 fixed, 1 remaining)" in out


def test_diff_and_exit_zero(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--diff", str(page))
    assert code == 1 and "-<p>DAMAGE</p>\n+<p>repaired</p>\n" in out
    assert page.read_text() == "<p>DAMAGE</p>\n"
    assert run(capsys, "check", "--diff", "--exit-zero", str(page))[0] == 0
    assert run(capsys, "check", "--exit-zero", str(page))[0] == 0
    assert run(capsys, "check", "--fix", "--exit-non-zero-on-fix", "--exit-zero", str(page))[0] == 0


def test_exit_zero_never_hides_unreadable_files(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--exit-zero", str(page), str(page.parent / "missing.html"))[0] == 2


def test_remaining_problems_are_located_in_the_fixed_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "p.html"
    page.write_text("<!-- htmlfix: ignore XX001 -->\n<p>DAMAGE</p>\n<!-- htmlfix: ignroe X -->\n")
    code, out, _ = run(capsys, "check", "--fix", "--select", "HF", str(page))
    # The first line was removed by the fix, so the invalid directive is now on line 2.
    assert code == 1 and f"{page}:2:1: HF002" in out


def test_unsafe_fixes_are_not_offered_without_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "p.html"
    page.write_text("<!-- htmlfix: ignore ZZ901 -->\n<p>DAMAGE</p>\n")
    code, out, _ = run(capsys, "check", "--ignore", "ZZ901", str(page))
    assert code == 1 and "HF001 Unused" in out and "[*]" not in out
    code, out, _ = run(capsys, "check", "--ignore", "ZZ901", "--unsafe-fixes", str(page))
    assert "HF001 [*] Unused" in out


def test_stdin_fix_writes_the_text_and_reports_on_stderr(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"<p>DAMAGE</p>")))
    stdout = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(stdout))
    code = main(["check", "--fix", "--stdin-filename", "post.html", "-"])
    sys.stdout.flush()
    assert code == 0
    assert stdout.getvalue() == b"<p>repaired</p>"
    assert "1 fixed, 0 remaining" in capsys.readouterr().err
