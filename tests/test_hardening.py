"""Files on disk under stress: encodings and line endings kept byte for byte, writes that a
failure or a kill cannot half-finish, read-only files, symlinks, unreadable and oversized
inputs, and several htmlfix processes fixing the same files at once."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from htmlfix import runner
from htmlfix.cli import main

DAMAGED = "<p>< strong >Key:< / strong > value</p>\n"
FIXED = "<p><strong>Key:</strong> value</p>\n"
ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _leftovers(folder: Path) -> list[str]:
    """Temporary files a write left behind (hidden, named after the file)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".htmlfix"))


# --- encodings and line endings -------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_fix_keeps_encoding_bom_and_line_endings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, bom: bytes, newline: str
) -> None:
    body = "<h1>Café — “quotes”</h1>\n" + DAMAGED + "<p>naïve 😀</p>\n"
    page = tmp_path / "page.html"
    page.write_bytes(bom + body.replace("\n", newline).encode(encoding))
    code, _, err = run(capsys, "check", "--fix", str(page))
    assert (code, err) == (0, "")
    expected = body.replace(DAMAGED, FIXED).replace("\n", newline)
    assert page.read_bytes() == bom + expected.encode(encoding)


def test_mixed_line_endings_outside_the_fix_are_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b"<p>a</p>\r\n<p>b</p>\r<p>c</p>\n" + DAMAGED.encode() + b"\r\n\r\r\n")
    run(capsys, "check", "--fix", str(page))
    assert page.read_bytes() == b"<p>a</p>\r\n<p>b</p>\r<p>c</p>\n" + FIXED.encode() + b"\r\n\r\r\n"


@pytest.mark.parametrize(
    "name, declaration",
    [
        ("meta.html", b'<meta charset="latin1">'),
        ("http-equiv.html", b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'),
        ("declared.xhtml", b'<?xml version="1.0" encoding="iso-8859-1"?>'),
        ("windows.html", b"<meta charset=windows-1252>"),
    ],
)
def test_latin1_labels_are_read_and_written_as_windows_1252(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, declaration: bytes
) -> None:
    # 0x93/0x94 are curly quotes in windows-1252 (C1 controls in latin-1); 0x81 is undefined
    # in windows-1252 and must come back as the same byte.
    body = b"\r\n<p>Caf\xe9 \x93quoted\x94 \x81</p>\r\n<p>< strong >cr\xe8me< / strong ></p>\r\n"
    page = tmp_path / name
    page.write_bytes(declaration + body)
    code, out, err = run(capsys, "check", "--fix", "--select", "FR", str(page))
    assert (code, err) == (0, ""), out
    assert page.read_bytes() == declaration + body.replace(b"< strong >", b"<strong>").replace(b"< / strong >", b"</strong>")


def test_gb2312_label_is_read_as_gbk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # "镕" and "喆" are GBK, not GB2312: browsers decode the label as GBK.
    body = '<meta charset="gb2312"><p>价格 5 镕 喆</p>\n' + DAMAGED
    page = tmp_path / "zh.html"
    page.write_bytes(body.encode("gbk"))
    code, _, err = run(capsys, "check", "--fix", "--select", "FR", str(page))
    assert (code, err) == (0, "")
    assert page.read_bytes() == body.replace(DAMAGED, FIXED).encode("gbk")


@pytest.mark.parametrize(
    "data, message",
    [
        (codecs.BOM_UTF16_LE + "<p>x".encode("utf-16-le") + b"\x00", "not valid utf-16-le"),
        (b'<meta charset="utf-8"><p>caf\xe9</p>', "not valid utf-8: byte 0xe9"),
        (b"<p>\x00\x01\x02</p>", "binary file"),
    ],
    ids=["odd-utf-16", "latin-1-in-utf-8", "nul-bytes"],
)
def test_undecodable_input_is_one_error_line_and_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    bad, good = tmp_path / "bad.html", tmp_path / "good.html"
    bad.write_bytes(data)
    good.write_text(DAMAGED)
    code, out, err = run(capsys, "check", "--fix", str(tmp_path))
    assert code == 2
    assert len(err.splitlines()) == 1 and message in err and str(bad) in err
    assert bad.read_bytes() == data
    assert good.read_text() == FIXED  # the other file was still fixed


# --- writing --------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_original_and_reports_the_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.html"
    page.write_text(DAMAGED)

    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, stream: object) -> None:
            self.stream = stream

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.__exit__(*exc)  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            self.stream.write(data[: len(data) // 2])  # type: ignore[attr-defined]
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(runner.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    code, out, err = run(capsys, "check", "--fix", str(page))
    assert code == 2
    assert f"{page}: cannot write: No space left on device; nothing was fixed" in err
    assert "FR001" in out  # the problems are still reported, located in the original
    assert page.read_text() == DAMAGED
    assert _leftovers(tmp_path) == []


_DIE = textwrap.dedent("""
    import os, sys
    from htmlfix import runner
    where = sys.argv[1]
    if where == "rename":
        runner.os.replace = lambda *args: os._exit(137)
    else:
        real = os.fdopen
        class Dying:
            def __init__(self, stream): self.stream = stream
            def __enter__(self): return self
            def __exit__(self, *exc): pass
            def write(self, data):
                self.stream.write(data[:5]); self.stream.flush(); os._exit(137)
        runner.os.fdopen = lambda fd, mode: Dying(real(fd, mode))
    from htmlfix.cli import main
    sys.exit(main(sys.argv[2:]))
""")


@pytest.mark.parametrize("where", ["write", "rename"])
def test_a_kill_in_the_middle_of_writing_leaves_the_original(tmp_path: Path, where: str) -> None:
    page = tmp_path / "page.html"
    page.write_text(DAMAGED)
    proc = subprocess.run([sys.executable, "-c", _DIE, where, "check", "--fix", "--no-cache", str(page)],
                          capture_output=True, cwd=ROOT)
    assert proc.returncode == 137
    assert page.read_text() == DAMAGED
    # What a kill leaves is the temporary file beside it: hidden, named after the file.
    assert all(name.startswith(".page.html.") for name in _leftovers(tmp_path))


@pytest.fixture
def read_only_page(tmp_path: Path) -> Iterator[Path]:
    page = tmp_path / "page.html"
    page.write_text(DAMAGED)
    page.chmod(0o444)
    yield page
    page.chmod(0o644)


def test_read_only_files_are_reported_not_written(
    read_only_page: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a user the system would refuse (CI runs as root, whom it lets write anything).
    real_access = os.access
    monkeypatch.setattr(runner.os, "access", lambda path, how: how != os.W_OK and real_access(path, how))
    code, out, err = run(capsys, "check", "--fix", str(read_only_page))
    assert code == 2
    assert f"{read_only_page}: the file is read-only; nothing was fixed" in err
    assert out.count("FR001") == 2
    assert read_only_page.read_text() == DAMAGED and read_only_page.stat().st_mode & 0o777 == 0o444


def test_a_read_only_file_the_system_lets_us_write_is_fixed_and_stays_read_only(
    read_only_page: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner.os, "access", lambda path, how: True)  # root, or an ACL
    code, _, err = run(capsys, "check", "--fix", str(read_only_page))
    assert code == 0, err
    assert read_only_page.read_text() == FIXED and read_only_page.stat().st_mode & 0o777 == 0o444


def test_a_symlink_is_followed_and_stays_a_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "real" / "page.html"
    target.parent.mkdir()
    target.write_text(DAMAGED)
    link = tmp_path / "link.html"
    link.symlink_to(target)
    assert run(capsys, "check", "--fix", str(link))[0] == 0
    assert link.is_symlink() and target.read_text() == FIXED
    assert _leftovers(tmp_path / "real") == []


# --- bad paths and inputs -------------------------------------------------------------------


def test_unreadable_directory_is_an_error_and_the_rest_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.html").write_text(DAMAGED)
    (tmp_path / "open.html").write_text(DAMAGED)
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path).endswith("locked"):  # what a directory without read permission does
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = run(capsys, "check", str(tmp_path))
    assert code == 2
    assert err.strip() == f"htmlfix: error: {tmp_path / 'locked'}: cannot read directory: Permission denied"
    assert "open.html" in out and "hidden.html" not in out


def test_empty_files_are_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("empty.html", "empty.md", "empty.txt"):
        (tmp_path / name).write_bytes(b"")
    assert run(capsys, "check", "--fix", str(tmp_path)) == (0, "All checks passed!\n", "")
    assert all(p.read_bytes() == b"" for p in tmp_path.iterdir() if p.is_file())


def test_a_file_too_large_to_read_whole_is_refused_by_its_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "huge.html"
    with open(huge, "wb") as stream:  # sparse: no disk space is used
        stream.truncate(runner.MAX_WHOLE_FILE_BYTES + 1)
    (tmp_path / "small.html").write_text(DAMAGED)
    code, out, err = run(capsys, "check", str(tmp_path))
    assert code == 2
    assert err.strip() == (f"htmlfix: error: {huge}: file of 256 MB is larger than the 256 MB htmlfix reads whole "
                           "(only RSS/WXR exports are streamed); not read")
    assert "small.html" in out


# --- several writers ------------------------------------------------------------------------


def test_concurrent_fixers_leave_whole_results(tmp_path: Path) -> None:
    """Three htmlfix processes fixing the same files at once: every file ends up fixed, never
    a mixture of two writes, and no temporary file is left."""
    site = tmp_path / "site"
    site.mkdir()
    for number in range(30):
        (site / f"p{number:02d}.html").write_text(f"<h1>{number}</h1>\n" + "<p>prose line</p>\n" * 200 + DAMAGED)
    command = [sys.executable, "-m", "htmlfix", "check", "--fix", "--no-cache", "--jobs", "1", "--exit-zero", str(site)]
    for _ in range(2):
        procs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(3)]
        errors = [proc.communicate()[1] for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0, 0], errors
    for page in site.iterdir():
        number = int(page.stem[1:])
        assert page.read_text() == f"<h1>{number}</h1>\n" + "<p>prose line</p>\n" * 200 + FIXED
    assert _leftovers(site) == []


def test_a_file_the_fix_verifier_cannot_finish_is_checked_and_left_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """html5lib 1.1 loops forever on some MathML in tables (found by bench/fuzz.py, seed 13):
    --fix used to hang there. Now the structural fixes wait, with a warning that says why
    (not the one for a fix that failed its check, which would be a bug), and the rest of
    the run goes on."""
    looping = tmp_path / "looping.html"
    looping.write_bytes(b"<p>x</span></p>\n<table><tfoot><math><tbody></table>\n")
    other = tmp_path / "other.html"
    other.write_bytes(b"<p>y</em></p>\n")
    code, out, err = run(capsys, "check", "--fix", "--no-cache", "--jobs", "1", str(looping), str(other))
    assert looping.read_bytes() == b"<p>x</span></p>\n<table><tfoot><math><tbody></table>\n"
    assert other.read_bytes() == b"<p>y</p>\n"
    assert "structural fixes not applied: the fix verifier (html5lib) does not finish" in err
    assert "bug" not in err
    assert "looping.html:1:5: ST001" in out and code == 1
