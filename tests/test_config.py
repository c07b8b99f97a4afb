"""Configuration files and file discovery, through the command line as users meet them."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

import htmlfix
from htmlfix.cli import main
from htmlfix.configfile import Glob
from htmlfix.document import Document
from htmlfix.model import Diagnostic
from htmlfix.rules.base import Rule

DAMAGED = "<p>DAMAGE</p>\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(base: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def flagged(out: str) -> list[str]:
    """The files named in text-format diagnostics."""
    return sorted({line.split(":", 1)[0] for line in out.splitlines() if ": ZZ9" in line})


@pytest.fixture
def project(tmp_path: Path, damage_rule: type, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- finding the configuration ----------------------------------------------------------------


def test_pyproject_table_applies(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {"pyproject.toml": '[tool.htmlfix]\nignore = ["ZZ901"]\n', "a.html": DAMAGED})
    assert run(capsys, "check", ".")[0] == 0


def test_closest_configuration_wins_and_files_are_not_merged(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {
        "pyproject.toml": '[tool.htmlfix]\nignore = ["ZZ901"]\n',
        "a.html": DAMAGED,
        "sub/htmlfix.toml": 'extend-select = ["HF"]\n',
        "sub/b.html": DAMAGED,
    })
    code, out, _ = run(capsys, "check", ".")
    assert code == 1 and flagged(out) == ["sub/b.html"]
    # The same when the file is named explicitly, from anywhere.
    code, out, _ = run(capsys, "check", "sub/b.html", "a.html")
    assert flagged(out) == ["sub/b.html"]


def test_htmlfix_toml_beats_pyproject_in_one_directory(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {
        "pyproject.toml": '[tool.htmlfix]\nignore = ["ZZ901"]\n',
        "htmlfix.toml": "unsafe-fixes = false\n",
        "a.html": DAMAGED,
    })
    assert run(capsys, "check", "a.html")[0] == 1


def test_pyproject_without_table_is_passed_over(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {
        "htmlfix.toml": 'ignore = ["ZZ901"]\n',
        "site/pyproject.toml": '[project]\nname = "x"\n',
        "site/a.html": DAMAGED,
    })
    assert run(capsys, "check", "site")[0] == 0


def test_command_line_overrides_the_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {"htmlfix.toml": 'ignore = ["ZZ901"]\n', "a.html": DAMAGED})
    # --select replaces the file's selection, its ignores included (Ruff's semantics) ...
    assert run(capsys, "check", "--select", "ZZ901", "a.html")[0] == 1
    # ... and --extend-select layers on top of it.
    assert run(capsys, "check", "--extend-select", "ZZ901", "a.html")[0] == 1
    write(project, {"htmlfix.toml": 'select = ["ZZ", "HF"]\n'})
    assert run(capsys, "check", "--ignore", "ZZ901", "a.html")[0] == 0


def test_config_option_and_isolated(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {
        "htmlfix.toml": 'ignore = ["ZZ901"]\n',
        "strict.toml": 'select = ["ZZ901"]\n',
        "a.html": DAMAGED,
    })
    assert run(capsys, "check", "a.html")[0] == 0
    assert run(capsys, "check", "--config", "strict.toml", "a.html")[0] == 1
    assert run(capsys, "check", "--isolated", "a.html")[0] == 1
    code, _, err = run(capsys, "check", "--config", "missing.toml", "a.html")
    assert code == 2 and "missing.toml: configuration file not found" in err


# --- bad configuration: exit 2, one line naming the file and the key -------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ('selct = ["ZZ901"]', "[tool.htmlfix] selct: unknown key (did you mean 'select'?)"),
        ('select = "ZZ901"', "[tool.htmlfix] select: expected a list of strings, got a string ('ZZ901')"),
        ('ignore = ["QQ"]', "[tool.htmlfix] ignore: 'QQ' matches no rule"),
        ('unsafe-fixes = "yes"', "[tool.htmlfix] unsafe-fixes: expected true or false"),
        ('mode = "pdf"', "[tool.htmlfix] mode: expected one of 'auto', 'html', 'text'"),
        ('target = "drupal"', "[tool.htmlfix] target: expected one of"),
        ('exclude = "drafts"', "[tool.htmlfix] exclude: expected a list of strings"),
        ('per-file-ignores = { "a/*" = ["QQ9"] }', "[tool.htmlfix] per-file-ignores.'a/*': 'QQ9' matches no rule"),
        ('per-file-mode = { "*.inc" = "pdf" }', "[tool.htmlfix] per-file-mode.'*.inc': expected one of"),
        ("[tool.htmlfix.rules.XX001]\nx = 1", "[tool.htmlfix] rules.XX001: 'XX001' is not a rule code"),
        ("[tool.htmlfix.rules.ZZ901]\nx = 1", "[tool.htmlfix] rules.ZZ901.x: ZZ901 has no option 'x' (its options: none)"),
        ("select = [", "invalid TOML"),
    ],
)
def test_bad_configuration(project: Path, capsys: pytest.CaptureFixture[str], text: str, message: str) -> None:
    header = "" if text.startswith("[tool.htmlfix.") else "[tool.htmlfix]\n"
    write(project, {"pyproject.toml": header + text + "\n", "a.html": DAMAGED})
    code, out, err = run(capsys, "check", "--fix", "a.html")
    assert code == 2 and out == ""
    assert err.startswith(f"htmlfix: error: {project / 'pyproject.toml'}: ")
    assert message in err and len(err.splitlines()) == 1
    assert (project / "a.html").read_text() == DAMAGED


def test_bad_htmlfix_toml_names_the_key_without_a_section(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {"htmlfix.toml": "respect-gitignore = 1\n", "a.html": DAMAGED})
    code, _, err = run(capsys, "check", "a.html")
    assert code == 2 and f"{project / 'htmlfix.toml'}: respect-gitignore: expected true or false" in err


# --- per-file settings --------------------------------------------------------------------------


def test_per_file_ignores_beat_a_specific_select(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {
        "htmlfix.toml": 'select = ["ZZ901"]\n[per-file-ignores]\n"legacy/**" = ["ZZ"]\n"!*.html" = ["ZZ901"]\n',
        "legacy/old/a.html": DAMAGED,
        "new/b.html": DAMAGED,
        "new/c.htm": DAMAGED,
    })
    code, out, _ = run(capsys, "check", ".")
    assert flagged(out) == ["new/b.html"]


def test_per_file_mode_reads_unknown_extensions(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {
        "htmlfix.toml": '[per-file-mode]\n"*.inc" = "html"\n"plain/*.html" = "text"\n',
        "partials/header.inc": DAMAGED,
        "other.xyz": DAMAGED,
        "plain/p.html": "<p>x</p>\n",
    })
    code, out, _ = run(capsys, "check", "--show-files", ".")
    assert out.split() == ["partials/header.inc", "plain/p.html"]
    code, out, _ = run(capsys, "check", "--show-settings", "plain/p.html")
    assert "# for plain/p.html: mode text;" in out
    code, out, _ = run(capsys, "check", "--mode", "html", "--show-settings", "plain/p.html")
    assert "# for plain/p.html: mode html;" in out


def test_rule_options_are_declared_and_typed(project: Path, register_rules: Callable[..., None], capsys: pytest.CaptureFixture[str]) -> None:
    class Repeated(Rule):
        """A word repeated too often (test-only).

        ## What it does
        Flags `SHOUT` when it occurs at least `min-count` times.

        ## Why is this bad?
        It is a test.

        ## Example
        ```html
        SHOUT SHOUT
        ```
        Use instead:
        ```html
        shout
        ```
        """

        code = "ZZ902"
        name = "repeated-shout"
        options = {"min-count": 2}

        def check(self, doc: Document) -> Iterable[Diagnostic]:
            count = len(re.findall("SHOUT", doc.text))
            if count >= doc.settings.option(self.code, "min-count", 2):
                yield self.report(0, 0, f"`SHOUT` {count} times")

    register_rules(Repeated)
    write(project, {"a.html": "<p>SHOUT SHOUT</p>\n"})
    assert run(capsys, "check", "a.html")[0] == 1
    write(project, {"htmlfix.toml": "[rules.ZZ902]\nmin-count = 3\n"})
    assert run(capsys, "check", "a.html")[0] == 0
    assert htmlfix.load_settings("a.html").option("ZZ902", "min-count", 2) == 3
    write(project, {"htmlfix.toml": '[rules.ZZ902]\nmin-count = "3"\n'})
    code, _, err = run(capsys, "check", "a.html")
    assert code == 2 and "rules.ZZ902.min-count: expected a value like 2, got a string ('3')" in err


def test_fixable_and_unfixable(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {"htmlfix.toml": 'unfixable = ["ZZ901"]\n', "a.html": DAMAGED})
    code, out, _ = run(capsys, "check", "--fix", "a.html")
    assert code == 1 and (project / "a.html").read_text() == DAMAGED
    write(project, {"htmlfix.toml": 'fixable = ["HF"]\n'})
    run(capsys, "check", "--fix", "a.html")
    assert (project / "a.html").read_text() == DAMAGED
    write(project, {"htmlfix.toml": 'fixable = ["ZZ"]\n'})
    assert run(capsys, "check", "--fix", "a.html")[0] == 0
    assert (project / "a.html").read_text() == "<p>repaired</p>\n"


def test_show_settings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {
        "pyproject.toml": '[tool.htmlfix]\nextend-select = ["ZZ901"]\ntarget = "wordpress"\n'
                          '[tool.htmlfix.per-file-ignores]\n"old/*" = ["ZZ901"]\n',
        "old/a.html": DAMAGED,
    })
    code, out, _ = run(capsys, "check", "--show-settings", "--unsafe-fixes", "old/a.html")
    assert code == 0
    assert f"# configuration file: {project / 'pyproject.toml'}" in out
    assert 'extend-select = ["ZZ901"]' in out and 'target = "wordpress"' in out
    assert "unsafe-fixes = true" in out
    assert '"old/*" = ["ZZ901"]' in out
    enabled = re.search(r"^# for old/a\.html: .*rules enabled: (.*)$", out, re.MULTILINE)
    assert enabled and "HF001" in enabled.group(1).split() and "ZZ901" not in enabled.group(1).split()
    code, out, _ = run(capsys, "check", "--show-settings", "new.html")
    assert "ZZ901" in out.splitlines()[-1].split()


# --- which files are read -----------------------------------------------------------------------


def test_default_excludes_and_extend_exclude(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {
        "htmlfix.toml": 'extend-exclude = ["drafts", "exports/*.old.html"]\n',
        "a.html": DAMAGED,
        "node_modules/pkg/x.html": DAMAGED,
        ".hidden/y.html": DAMAGED,
        "drafts/z.html": DAMAGED,
        "exports/e.old.html": DAMAGED,
        "exports/e.html": DAMAGED,
        "deep/drafts/w.html": DAMAGED,
    })
    assert run(capsys, "check", "--show-files", ".")[1].split() == ["a.html", "exports/e.html"]
    # A path named explicitly is read anyway, unless --force-exclude (pre-commit's case).
    code, out, _ = run(capsys, "check", "drafts/z.html")
    assert flagged(out) == ["drafts/z.html"]
    code, out, _ = run(capsys, "check", "--force-exclude", "drafts/z.html", "a.html")
    assert flagged(out) == ["a.html"]
    # --exclude replaces the configured list (and the defaults).
    code, out, _ = run(capsys, "check", "--show-files", "--exclude", "a.html", ".")
    assert "node_modules/pkg/x.html" in out.split() and "a.html" not in out.split()


def test_force_exclude_from_the_configuration(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, {"htmlfix.toml": 'extend-exclude = ["vendor"]\nforce-exclude = true\n', "vendor/v.html": DAMAGED})
    assert run(capsys, "check", "vendor/v.html") == (0, "All checks passed!\n", "")


def test_gitignore_is_respected_in_walks(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    write(project, {
        ".gitignore": "generated/\n*.tmp.html\n!keep.tmp.html\n",
        "generated/g.html": DAMAGED,
        "a.tmp.html": DAMAGED,
        "keep.tmp.html": DAMAGED,
        "site/.gitignore": "local.html\n",
        "site/local.html": DAMAGED,
        "site/page.html": DAMAGED,
    })
    assert run(capsys, "check", "--show-files", ".")[1].split() == ["keep.tmp.html", "site/page.html"]
    assert run(capsys, "check", "--show-files", "site")[1].split() == ["site/page.html"]
    everything = run(capsys, "check", "--show-files", "--no-respect-gitignore", ".")[1].split()
    assert sorted(everything) == ["a.tmp.html", "generated/g.html", "keep.tmp.html", "site/local.html", "site/page.html"]
    # Explicit paths are read even when ignored.
    assert run(capsys, "check", "generated/g.html")[0] == 1


def test_stdin_filename_chooses_the_configuration(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    write(project, {"htmlfix.toml": '[per-file-ignores]\n"legacy/*" = ["ZZ901"]\n'})
    for name, expected in (("legacy/a.html", 0), ("new/a.html", 1)):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DAMAGED.encode())))
        assert run(capsys, "check", "--stdin-filename", name, "-")[0] == expected


@pytest.mark.parametrize(
    "pattern, path, matches",
    [
        ("drafts", "content/drafts/a.html", True),
        ("*.min.html", "a/b.min.html", True),
        ("exports/*.xml", "exports/site.xml", True),
        ("exports/*.xml", "exports/old/site.xml", False),
        ("exports/**/*.xml", "exports/old/site.xml", True),
        ("exports/**/*.xml", "exports/site.xml", True),
        ("content/**", "content/a/b.html", True),
        ("/content/", "content/a.html", True),
        ("./content", "other/content/a.html", False),
        ("post-[0-9].html", "post-7.html", True),
        ("post-[!0-9].html", "post-7.html", False),
        ("!*.html", "a.md", True),
        ("?.html", "ab.html", False),
    ],
)
def test_globs(pattern: str, path: str, matches: bool) -> None:
    assert Glob(pattern).matches(tuple(path.split("/"))) is matches


def test_readme_configuration_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's example configuration uses only real keys with values of the right types.

    Its rule codes name the real rule families, which may not all be registered in this
    checkout: selectors are taken as written here, and the rule-options table is checked once
    its rule exists.
    """
    from htmlfix import configfile
    from htmlfix.configfile import ConfigError, load_config_file

    monkeypatch.setattr(configfile, "validate_selectors", lambda selectors, option="": tuple(selectors))

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "pyproject.toml").write_text(example, encoding="utf-8")
    try:
        load_config_file(tmp_path / "pyproject.toml")
    except ConfigError as exc:
        if "rules." not in str(exc):
            raise
        pytest.skip(f"the README example names rules that are not registered yet: {exc}")


def test_rules_declare_the_options_they_read() -> None:
    """A configuration file may set only declared options, so rules read options only through
    ``self.option(doc, NAME)``, which takes the default from ``options`` (and fails for an
    undeclared name)."""
    import inspect

    from htmlfix.registry import all_rules

    for rule in all_rules():
        source = inspect.getsource(inspect.getmodule(rule))  # type: ignore[arg-type]
        assert "settings.option(" not in source, f"{rule.code} reads an option around Rule.option"
        for name in re.findall(r"self\.option\(doc, \"([^\"]+)\"\)", source):
            assert name in rule.options, f"{rule.code} reads option {name!r} without declaring it"
