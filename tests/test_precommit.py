"""The pre-commit hooks, end to end with the real ``pre-commit`` tool.

``pre-commit try-repo`` installs the hooks from a git repository into a fresh virtualenv, as
a user's ``pre-commit install`` would, and runs them on a content repository with damaged and
clean files. The repository under test is a snapshot of this checkout's package files as they
are on disk, committed in a temporary repository: try-repo only sees committed files, and a
snapshot makes the test the same in CI's clean clone and in a working tree with uncommitted
changes. Each try-repo builds its own environment (about ten seconds), so there are two.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from htmlfix.config import Settings
from htmlfix.engine import Linter
from htmlfix.runner import process_bytes

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
#: What ``pip install .`` needs to build the package, and the hook manifest.
PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "htmlfix")

UNUSED = b"<p>a</p>\n<!-- htmlfix: ignore XX001 -->\n<p>b</p>\n"
UNUSED_FIXED = b"<p>a</p>\n<p>b</p>\n"
CLEAN = "\ufeff<p>Clean, with a BOM and CRLF.</p>\r\n<p>x > y and a < b</p>\r\n".encode()
DEBRIS = "<p>< strong >Key finding:< / strong > response times fell.</p>\n<h2 id=“next”>Next</h2>\n".encode()


def _environment() -> dict[str, str]:
    """The environment without git or pre-commit state that a caller (say, a git hook running
    the tests) could leak into the temporary repositories."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT")) and k != "SKIP"}


def _git(cwd: Path, *args: str) -> None:
    identity = ["-c", "user.name=htmlfix tests", "-c", "user.email=tests@htmlfix.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True, env=_environment())


@pytest.fixture(scope="session")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding this checkout's package and hook manifest, committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed, and pre-commit needs it")
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.skip("pre-commit is not installed (it is in the dev extra: pip install -e '.[dev]')")
    snapshot = tmp_path_factory.mktemp("htmlfix-hooks")
    for name in PACKAGE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, snapshot / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, snapshot / name)
    _git(snapshot, "init", "-q")
    _git(snapshot, "add", "-A")
    _git(snapshot, "commit", "-q", "-m", "htmlfix under test")
    return snapshot


def _content_repository(base: Path, files: dict[str, bytes]) -> Path:
    base.mkdir()
    _git(base, "init", "-q")
    for name, data in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return base


def _try_repo(hooks: Path, content: Path, hook_id: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), hook_id, "--color", "never", *args],
        cwd=content, capture_output=True, text=True, env=_environment(), timeout=900,
    )


def _fixed_in_process(name: str, data: bytes) -> bytes:
    """What ``htmlfix check --fix`` makes of a file, computed here with the same code, so the
    expectation holds whatever rules exist."""
    result = process_bytes(name, data, Linter(Settings()), fix=True)
    return result.output if result.changed and result.output is not None else data


def test_fix_hook_fixes_damaged_files_and_leaves_the_rest(hook_repository: Path, tmp_path: Path) -> None:
    files = {
        "posts/unused-suppression.html": UNUSED,
        "posts/debris.html": DEBRIS,
        "posts/clean.html": CLEAN,
        "vendor/theme.html": UNUSED,  # excluded in the project's configuration
        "package.json": b'{"name": "site", "description": "<!-- htmlfix: ignore XX001 -->"}\n',
        "robots.txt": b"User-agent: *\nDisallow: /tmp/ < >\n",
        "pyproject.toml": b'[tool.htmlfix]\nextend-exclude = ["vendor"]\n',
    }
    content = _content_repository(tmp_path / "site", files)
    _git(content, "add", "-A")

    proc = _try_repo(hook_repository, content, "htmlfix", "--all-files")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "htmlfix (fix)" in output and "Failed" in output
    assert "files were modified by this hook" in output

    assert (content / "posts/unused-suppression.html").read_bytes() == UNUSED_FIXED
    fixed = _fixed_in_process("debris.html", DEBRIS)
    assert fixed != DEBRIS, "the FR rules should repair this debris"
    assert (content / "posts/debris.html").read_bytes() == fixed
    for name in ("posts/clean.html", "vendor/theme.html", "package.json", "robots.txt", "pyproject.toml"):
        assert (content / name).read_bytes() == files[name], f"{name} was changed"


def test_check_hook_reports_staged_files_and_changes_nothing(hook_repository: Path, tmp_path: Path) -> None:
    content = _content_repository(tmp_path / "site", {"index.html": CLEAN})
    _git(content, "add", "-A")
    _git(content, "commit", "-q", "-m", "clean site")
    (content / "posts").mkdir()
    (content / "posts/new.html").write_bytes(UNUSED)
    (content / "posts/debris.html").write_bytes(DEBRIS)
    (content / "posts/untracked.html").write_bytes(UNUSED)
    _git(content, "add", "posts/new.html", "posts/debris.html")

    proc = _try_repo(hook_repository, content, "htmlfix-check")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "htmlfix (check)" in output and "Failed" in output
    assert "posts/new.html:2:1: HF001 [*] Unused suppression" in output
    assert "posts/debris.html:1:4: FR001 [*] Spaced tag `< strong >`" in output
    assert "untracked.html" not in output and "index.html" not in output
    assert "files were modified" not in output
    assert (content / "posts/new.html").read_bytes() == UNUSED
    assert (content / "posts/debris.html").read_bytes() == DEBRIS
    assert (content / "posts/untracked.html").read_bytes() == UNUSED
