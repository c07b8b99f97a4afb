"""Many files at once: --jobs (a process pool, output in order), the result cache, progress."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from htmlfix import batch
from htmlfix import cache as cache_module
from htmlfix.cache import CACHE_DIR_NAME, FileState, ResultCache
from htmlfix.cli import _Progress, main
from htmlfix.config import Settings
from htmlfix.document import Document
from htmlfix.model import NO_EXTRA, Diagnostic, Span
from htmlfix.rules.base import Rule
from htmlfix.runner import FileResult

DAMAGED = "<p>< strong >Key:< / strong > value</p>\n"
FIXED = "<p><strong>Key:</strong> value</p>\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _pages(folder: Path, count: int, *, filler: int = 0) -> list[Path]:
    """``count`` pages, each with one repairable debris pair (and ``filler`` bytes of prose)."""
    folder.mkdir(exist_ok=True)
    pages = []
    for number in range(count):
        page = folder / f"page-{number:02d}.html"
        page.write_text(f"<h1>Page {number}</h1>\n" + "<p>Plain prose.</p>\n" * (filler // 18) + DAMAGED)
        pages.append(page)
    return pages


class WhichProcess(Rule):
    """Reports the id of the process that checked the file (tests only).

    ## What it does
    Names the process, so a test can see that files were checked in worker processes.

    ## Why is this bad?
    It is not; it is a probe.

    ## Example
    ```html
    <p>x</p>
    ```
    Use instead:
    ```html
    <p>x</p>
    ```
    """

    code = "ZZ903"
    name = "which-process"

    def check(self, doc: Document) -> Iterable[Diagnostic]:
        yield self.report(0, 0, f"checked in process {os.getpid()}")


def test_jobs_run_in_worker_processes_and_keep_the_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, register_rules: object
) -> None:
    register_rules(WhichProcess)  # type: ignore[operator]
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 0)
    _pages(tmp_path / "site", 12)
    code, out, _ = run(capsys, "check", "--no-cache", "--jobs", "3", "--select", "ZZ903,FR", str(tmp_path / "site"))
    assert code == 1
    processes = set(re.findall(r"checked in process (\d+)", out))
    assert str(os.getpid()) not in processes and len(processes) >= 2
    files = [line.split(":")[0] for line in out.splitlines() if "ZZ903" in line]
    assert files == sorted(files) and len(files) == 12  # the order of the walk, not of the workers


def test_parallel_output_and_fixes_equal_serial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 0)
    serial, parallel = _pages(tmp_path / "a", 9, filler=2000), _pages(tmp_path / "b", 9, filler=2000)
    for args in (["check"], ["check", "--output-format", "json"], ["check", "--fix"]):
        one = run(capsys, *args, "--no-cache", "--jobs", "1", str(tmp_path / "a"))
        many = run(capsys, *args, "--no-cache", "--jobs", "4", str(tmp_path / "b"))
        assert one[0] == many[0] and one[2] == many[2] == ""
        assert one[1].replace(str(tmp_path / "a"), "X") == many[1].replace(str(tmp_path / "b"), "X")
    assert all(page.read_text().endswith(FIXED) for page in serial + parallel)


def _export(folder: Path, posts: int) -> Path:
    """An RSS/WXR export of ``posts`` posts, each with a repairable debris pair."""
    from .test_wxr import item, wxr

    folder.mkdir(exist_ok=True)
    path = folder / "export.xml"
    bodies = [f"<![CDATA[<h2>Post {n}</h2>\n{DAMAGED}]]>" for n in range(posts)]
    path.write_text(wxr(*(item(body, title=f"Post {n}", post_id=n + 1) for n, body in enumerate(bodies))))
    return path


@pytest.fixture
def small_post_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    from htmlfix import runner

    monkeypatch.setattr(runner, "EXPORT_PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(runner, "POST_BATCH_POSTS", 3)


def test_an_exports_posts_are_shared_by_worker_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], register_rules: object, small_post_batches: None
) -> None:
    register_rules(WhichProcess)  # type: ignore[operator]
    export = _export(tmp_path, 20)
    code, out, _ = run(capsys, "check", "--no-cache", "--jobs", "2", "--select", "ZZ903", str(export))
    assert code == 1
    processes = re.findall(r"checked in process (\d+) \(in post (\d+)", out)
    assert [int(post) for _, post in processes] == list(range(1, 21))  # every post, in file order
    assert str(os.getpid()) not in {pid for pid, _ in processes} and len({pid for pid, _ in processes}) == 2


@pytest.mark.parametrize("args", [["check"], ["check", "--output-format", "json"], ["check", "--fix"]])
def test_an_export_checked_in_a_pool_equals_one_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], small_post_batches: None, args: list[str]
) -> None:
    one, many = _export(tmp_path / "a", 25), _export(tmp_path / "b", 25)
    serial = run(capsys, *args, "--no-cache", "--jobs", "1", str(one))
    parallel = run(capsys, *args, "--no-cache", "--jobs", "3", str(many))
    assert serial[0] == parallel[0] == (0 if "--fix" in args else 1)
    assert serial[1].replace(str(one), "X") == parallel[1].replace(str(many), "X")
    assert ("50 fixed" if "--fix" in args else "FR001") in serial[1]
    assert one.read_bytes() == many.read_bytes()
    assert ("--fix" in args) == (FIXED.strip() in one.read_text())


def test_an_export_below_the_size_threshold_stays_in_one_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], register_rules: object
) -> None:
    register_rules(WhichProcess)  # type: ignore[operator]
    export = _export(tmp_path, 5)
    _, out, _ = run(capsys, "check", "--no-cache", "--jobs", "2", "--select", "ZZ903", str(export))
    assert set(re.findall(r"checked in process (\d+)", out)) == {str(os.getpid())}


def test_errors_in_workers_are_reported_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 0)
    pages = _pages(tmp_path / "site", 4)
    pages[1].write_bytes(b"<p>caf\xe9</p>")
    code, out, err = run(capsys, "check", "--no-cache", "--jobs", "2", *map(str, pages))
    assert code == 2
    assert err.splitlines() == [f"htmlfix: error: {pages[1]}: not valid utf-8: byte 0xe9 at offset 6 (line 1)"]
    assert out.count("FR001") == 6  # the other three files were checked


def test_a_bug_in_one_file_does_not_stop_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], register_rules: object
) -> None:
    class Broken(Rule):
        """Fails on files that mention `boom` (tests only).

        ## What it does
        Raises.

        ## Why is this bad?
        It simulates a bug.

        ## Example
        ```html
        boom
        ```
        Use instead:
        ```html
        fine
        ```
        """

        code = "ZZ904"
        name = "broken"

        def check(self, doc: Document) -> Iterable[Diagnostic]:
            if "boom" in doc.text:
                raise RuntimeError("boom")
            return ()

    register_rules(Broken)  # type: ignore[operator]
    (tmp_path / "a.html").write_text("<p>boom</p>")
    (tmp_path / "b.html").write_text(DAMAGED)
    code, out, err = run(capsys, "check", "--no-cache", str(tmp_path))
    assert code == 2
    assert "a.html: internal error: RuntimeError: boom (this is a bug in htmlfix" in err
    assert "b.html:1:4: FR001" in out


# --- the cache ------------------------------------------------------------------------------


def _no_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file was checked instead of read from the cache")

    monkeypatch.setattr(batch, "run_task", fail)


def test_unchanged_files_come_from_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("HTMLFIX_CACHE_DIR", str(cache))
    pages = _pages(tmp_path / "site", 3)
    first = run(capsys, "check", "--output-format", "json", str(tmp_path / "site"))
    assert (cache / ".gitignore").read_text().endswith("*\n") and (cache / "CACHEDIR.TAG").exists()
    with monkeypatch.context() as patched:
        _no_checks(patched)
        # The same diagnostics, fix edits located in the file's text included.
        assert run(capsys, "check", "--output-format", "json", str(tmp_path / "site")) == first
    assert json.loads(first[1])[0]["fix"]["edits"][0]["location"] == {"row": 2, "column": 4}
    pages[0].write_text("<p>changed, and fine</p>")
    code, out, _ = run(capsys, "check", str(tmp_path / "site"))
    assert code == 1 and "page-00" not in out and out.count("FR001") == 4


def test_a_file_text_reaches_the_report_only_when_the_format_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text output needs only the problems: a run over thousands of files must not hold the
    text of each file with a problem until the report, nor send it between processes. JSON
    locates fix edits in the text, also when the result comes from a cache that a text run
    wrote."""
    pages = _pages(tmp_path / "site", 2, filler=400 * 1024)  # past PARALLEL_MIN_BYTES: a pool
    tasks = [batch.FileTask(str(page), Settings(), report_text=False) for page in pages]
    results = list(batch.check_files(tasks, jobs=2))
    assert all(r.diagnostics and r.original_text is None and r.output_text is None for r in results)
    kept = list(batch.check_files([batch.FileTask(str(pages[0]), Settings())], jobs=1))
    assert kept[0].original_text == pages[0].read_text()

    monkeypatch.setenv("HTMLFIX_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[bool] = []
    original_run_task = batch.run_task

    def recording(task: batch.FileTask, linters: batch.Linters | None = None) -> FileResult:
        seen.append(task.report_text)
        return original_run_task(task, linters)

    with monkeypatch.context() as patched:
        patched.setattr(batch, "run_task", recording)
        assert run(capsys, "check", "--jobs", "1", str(pages[0]))[0] == 1  # text: fills the cache
    assert seen == [False]
    with monkeypatch.context() as patched:
        _no_checks(patched)
        code, out, _ = run(capsys, "check", "--output-format", "json", str(pages[0]))
    edits = json.loads(out)[0]["fix"]["edits"]
    assert code == 1 and edits[0]["location"]["row"] == pages[0].read_text().count("\n")  # the last line


def test_a_cached_problem_keeps_its_snippet_and_rule_data() -> None:
    # Baselines and CI fingerprints identify a problem by its snippet: a cache hit must keep it.
    anchored = Diagnostic("ST001", "m", Span(3, 9), extra={"anchor": 4}, snippet="<b><i>")
    plain = Diagnostic("FR001", "m", Span(9, 12), snippet="td>")
    entry = json.loads(json.dumps(cache_module._result_to_json(FileResult("a.html", [anchored, plain]))))
    first, second = cache_module._result_from_json("a.html", entry).diagnostics
    assert (first, first.snippet, dict(first.extra)) == (anchored, "<b><i>", {"anchor": 4})
    assert (second, second.snippet, second.extra) == (plain, "td>", NO_EXTRA)


def test_cache_key_covers_settings_and_fix_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (page,) = _pages(tmp_path, 1)
    assert run(capsys, "check", str(page))[0] == 1
    assert run(capsys, "check", "--ignore", "FR001", str(page))[0] == 0  # other settings: a miss
    code, _, _ = run(capsys, "check", "--fix", str(page))
    assert code == 0 and page.read_text().endswith(FIXED)
    run(capsys, "check", "--fix", str(page))  # the fixed file, checked once with --fix
    with monkeypatch.context() as patched:
        _no_checks(patched)
        assert run(capsys, "check", "--fix", str(page))[0] == 0


def test_no_cache_and_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HTMLFIX_CACHE_DIR")
    _pages(tmp_path / "site", 1)
    run(capsys, "check", "--no-cache", "site")
    assert not (tmp_path / CACHE_DIR_NAME).exists()
    run(capsys, "check", "site")
    assert (tmp_path / CACHE_DIR_NAME / ".gitignore").exists()
    assert run(capsys, "clean") == (0, f"Removed {CACHE_DIR_NAME}.\n", "")
    assert not (tmp_path / CACHE_DIR_NAME).exists()
    assert run(capsys, "clean") == (0, f"No cache at {CACHE_DIR_NAME}.\n", "")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("not a cache")
    code, _, err = run(capsys, "clean", "--cache-dir", "mine")
    assert code == 2 and "does not look like an htmlfix cache" in err
    assert (tmp_path / "mine" / "keep.txt").exists()


def test_unreadable_entries_are_misses_and_fixing_runs_are_not_stored(tmp_path: Path) -> None:
    (page,) = _pages(tmp_path, 1)
    cache = ResultCache(tmp_path / "cache")
    state = FileState.of(str(page))
    key = cache.key(str(page), state, Settings(), ["FR001"], fix=False, explicit=True)
    assert cache.get(key, str(page)) is None
    entry = tmp_path / "cache" / "v1" / key[:2] / f"{key}.json"
    entry.parent.mkdir(parents=True)
    entry.write_text("{not json")
    assert cache.get(key, str(page)) is None
    fixing = batch.run_task(batch.FileTask(str(page), Settings(), fix=True, write=True), batch.Linters())
    assert fixing.changed
    cache.put(key, fixing)
    assert cache.get(key, str(page)) is None
    clean = batch.run_task(batch.FileTask(str(page), Settings()), batch.Linters())
    cache.put(key, clean)
    hit = cache.get(key, str(page))
    assert hit is not None and hit[0].diagnostics == clean.diagnostics == []


def test_progress_only_on_a_terminal_and_only_for_long_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    quick = _Progress(100)
    quick.update(5)
    assert stream.getvalue() == ""  # not before a second has passed
    slow = _Progress(100)
    slow.started -= 5
    slow.update(5)
    slow.clear()
    assert stream.getvalue() == "\r\x1b[2Khtmlfix: checked 5 of 100 files\r\x1b[2K"
    monkeypatch.setattr("sys.stderr", io.StringIO())
    piped = _Progress(100)
    piped.started -= 5
    piped.update(5)
    assert not piped.shown


def test_pre_commit_hooks_run_one_htmlfix_process() -> None:
    """pre-commit would otherwise start one htmlfix per core, each with a pool of its own:
    with require_serial it passes every file to one process, which uses all the cores."""
    yaml = pytest.importorskip("yaml")  # installed with pre-commit (the dev extra)
    hooks = yaml.safe_load((Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text())
    assert hooks and all(hook["require_serial"] is True for hook in hooks)
    assert all("--jobs" not in hook["entry"] for hook in hooks)  # the default: all cores


def test_batches_send_every_file_once_largest_first_and_small_files_together() -> None:
    sizes = [5_000_000, 300, 1_200_000, *([2_000] * 500), 40]
    pending = [batch._Pending(index, batch.FileTask(f"f{index}", Settings()), size) for index, size in enumerate(sizes)]
    batches = batch._batches(pending, workers=2)
    sent = [item for group in batches for item in group]
    assert sorted(item.index for item in sent) == list(range(len(sizes)))
    assert [item.size for item in sent] == sorted(sizes, reverse=True)
    assert [item.size for item in batches[0]] == [5_000_000]  # a big file travels alone
    assert all(len(group) <= batch.BATCH_FILES for group in batches)
    assert all(sum(item.size for item in group[:-1]) < batch.BATCH_BYTES for group in batches)
    assert len(batches) < len(sizes) // 4  # the small files travel in batches
