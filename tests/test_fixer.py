"""The fixer: conflict handling, convergence, and composing passes into original edits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from htmlfix.fixer import ConvergenceError, EditLog, apply_edits, choose_fixes, fix_until_stable
from htmlfix.model import Applicability, Diagnostic, Edit, Fix, Span


def _diag(code: str, *edits: Edit, applicability: Applicability = Applicability.SAFE) -> Diagnostic:
    fix = Fix("fix", tuple(edits), applicability)
    return Diagnostic(code, "m", Span(edits[0].start, edits[0].end), fix)


def test_apply_edits_keeps_everything_else() -> None:
    text = "a\r\nbc\rdé"
    assert apply_edits(text, [Edit(1, 3, "\n"), Edit(5, 5, "X")]) == "a\nbcX\rdé"


def test_conflicting_fixes_wait_for_the_next_pass() -> None:
    first = _diag("AA001", Edit(0, 5, ""))
    second = _diag("AA002", Edit(3, 8, ""))
    third = _diag("AA003", Edit(8, 9, "x"))
    chosen, resolved = choose_fixes([second, third, first], Applicability.SAFE, lambda c: True)
    assert [d.code for d in resolved] == ["AA001", "AA003"]
    assert len(chosen) == 2


def test_shared_fix_resolves_both_diagnostics() -> None:
    fix = Fix("pair", (Edit(0, 1, "<"), Edit(5, 6, ">")))
    a = Diagnostic("AA001", "open", Span(0, 1), fix)
    b = Diagnostic("AA001", "close", Span(5, 6), fix)
    chosen, resolved = choose_fixes([a, b], Applicability.SAFE, lambda c: True)
    assert len(chosen) == 1 and len(resolved) == 2


def test_insertions_at_one_point_conflict() -> None:
    a = _diag("AA001", Edit(4, 4, "x"))
    b = _diag("AA002", Edit(4, 4, "y"))
    _, resolved = choose_fixes([a, b], Applicability.SAFE, lambda c: True)
    assert len(resolved) == 1


def test_threshold_and_fixable_filter() -> None:
    unsafe = _diag("AA001", Edit(0, 1, ""), applicability=Applicability.UNSAFE)
    safe = _diag("BB001", Edit(2, 3, ""))
    _, resolved = choose_fixes([unsafe, safe], Applicability.SAFE, lambda c: True)
    assert [d.code for d in resolved] == ["BB001"]
    _, resolved = choose_fixes([unsafe, safe], Applicability.UNSAFE, lambda c: c != "BB001")
    assert [d.code for d in resolved] == ["AA001"]


def test_oscillating_fixes_are_an_error() -> None:
    def lint(text: str) -> list[Diagnostic]:
        return [_diag("AA001", Edit(0, 1, "b" if text[0] == "a" else "a"))]

    with pytest.raises(ConvergenceError, match="AA001"):
        fix_until_stable("a", lint, Applicability.SAFE)


def test_fix_loop_reaches_a_fixed_point() -> None:
    def lint(text: str) -> list[Diagnostic]:
        index = text.find("xx")
        return [_diag("AA001", Edit(index, index + 2, "x"))] if index >= 0 else []

    outcome = fix_until_stable("axxxxb", lint, Applicability.SAFE)
    assert outcome.text == "axb"
    assert outcome.log.render() == "axb"
    assert outcome.passes >= 2


@st.composite
def _edit_batches(draw: st.DrawFn) -> tuple[str, list[list[tuple[float, float, str]]]]:
    text = draw(st.text(alphabet="ab\n<>", max_size=30))
    passes = draw(st.lists(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.text(alphabet="xyz", max_size=3)), max_size=4), max_size=4))
    return text, passes


@settings(max_examples=300, deadline=None)
@given(_edit_batches())
def test_edit_log_composes_passes(case: tuple[str, list[list[tuple[float, float, str]]]]) -> None:
    """However passes touch and overlap, the composed edits rebuild the final text."""
    text, passes = case
    log = EditLog(text)
    current = text
    for batch in passes:
        edits: list[Edit] = []
        position = 0
        for a, b, content in sorted(batch):
            start = max(position, int(a * len(current)))
            end = max(start, int(b * len(current)))
            if start > len(current) or (edits and edits[-1].conflicts(Edit(start, end, content))):
                continue
            end = min(end, len(current))
            edits.append(Edit(start, end, content))
            position = end if end > start else start + 1
        new = apply_edits(current, edits)
        log.record(current, edits)
        current = new
        assert log.render() == current
    for (s1, e1, _), (s2, e2, _) in zip(log.chunks, log.chunks[1:]):
        assert e1 < s2 or (e1 <= s2 and s1 < s2)


def test_the_collector_stays_paused_until_the_fix_result_is_built() -> None:
    """Fixing keeps every fixed problem alive; the cycle collector, resumed before the
    remaining problems were located, walked that whole heap several times (a tenth of the time
    of fixing a 10 MB line). It now resumes once, when the result is complete."""
    import gc

    from htmlfix import Linter
    from htmlfix.document import Mode

    line = "A < strong >spaced tag< / strong >, td > lost brackets, x > y, & nbsp; “quotes”. "
    linter = Linter()
    linter.fix(line, Mode.HTML)  # imports the oracle outside the measured call
    collections: list[dict[str, int]] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info)

    gc.callbacks.append(record)
    try:
        result = linter.fix(line * 300, Mode.HTML)
    finally:
        gc.callbacks.remove(record)
    assert len(result.applied) >= 900 and len(result.remaining) >= 300
    assert len(collections) <= 1  # the one that runs as the collector resumes
    assert gc.isenabled()


def test_checking_and_fixing_leave_no_cyclic_garbage() -> None:
    """The collector is paused while a text is checked or fixed, so anything cyclic a pass
    leaves behind stays in memory until the end: every pass of a fix on dense debris left its
    paired pieces (``< strong >`` … ``< / strong >``) behind."""
    import gc

    from htmlfix import Linter
    from htmlfix.document import Mode

    text = "<p>A < strong >spaced tag< / strong > and < em >one< / em >, td > lost.</p>\n" * 200
    linter = Linter()
    linter.fix(text, Mode.HTML)  # imports and caches outside the measured calls
    gc.collect()
    gc.disable()
    try:
        result = linter.fix(text, Mode.HTML)
        problems = linter.check(text, Mode.HTML)
        garbage = gc.collect()
    finally:
        gc.enable()
    assert len(result.applied) >= 600 and len(problems) >= 600
    assert garbage == 0


def test_a_fixed_text_leaves_no_parse_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle caches html5lib's parses for the passes of one fix; kept across documents,
    they held the trees of up to eight past documents in a long-running pipeline."""
    from htmlfix import Linter, oracle
    from htmlfix.document import Mode

    cached_at_the_end: list[int] = []
    real_forget = oracle.forget

    def recording_forget() -> None:
        cached_at_the_end.append(oracle._parse.cache_info().currsize)
        real_forget()

    monkeypatch.setattr(oracle, "forget", recording_forget)
    result = Linter().fix("<p>One<div>Two</div></p>\n<ul><li>a</ul></li>\n", Mode.HTML)
    assert [d.code for d in result.applied] == ["ST001"]  # a fix the oracle verified
    assert cached_at_the_end and cached_at_the_end[0] > 0
    assert oracle._parse.cache_info().currsize == 0 and oracle.dom_fingerprint.cache_info().currsize == 0


def test_a_page_of_self_closed_scripts_is_fixed_in_a_pass_or_two() -> None:
    """Each ``<script/>`` hides the next one in its script text; ST004 reports them all at
    once, so that the fixer does not need a pass per tag (it stopped after ten)."""
    from htmlfix.config import Settings
    from htmlfix.document import Mode
    from htmlfix.engine import Linter

    text = "".join(f'<script src="/s{i}.js"/>\n<p>Paragraph {i}</p>\n' for i in range(40))
    linter = Linter(Settings(select=("ST004",), unsafe_fixes=True))
    assert len(linter.check(text, Mode.HTML)) == 40
    result = linter.fix(text, Mode.HTML)
    assert result.text == text.replace('.js"/>', '.js"></script>')
    assert result.remaining == []


class _CountedText(str):
    """A text that counts how often it is hashed."""

    hashes = 0

    def __hash__(self) -> int:
        _CountedText.hashes += 1
        return super().__hash__()


def test_a_text_with_nothing_to_fix_is_not_hashed() -> None:
    """--fix on a clean file should cost what check costs: the cycle guard's set of texts seen
    (a pass over the whole text to hash it) is made at the first change only."""
    _CountedText.hashes = 0
    outcome = fix_until_stable(_CountedText("<p>fine</p>"), lambda text: [], Applicability.SAFE)
    assert (outcome.passes, _CountedText.hashes) == (1, 0)


def test_fixing_a_clean_file_indexes_its_lines_as_often_as_checking_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from htmlfix import source
    from htmlfix.config import Settings
    from htmlfix.engine import Linter
    from htmlfix.runner import process_bytes

    built = []
    original_init = source.LineIndex.__init__

    def counted_init(self: source.LineIndex, *args: object, **kwargs: object) -> None:
        built.append(1)
        original_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(source.LineIndex, "__init__", counted_init)
    data = b'<p>One</p>\n<div class="clear"/>\n<p>Two</p>\n'  # ST004 remains: its fix is unsafe
    linter = Linter(Settings())
    counts = []
    for fix in (False, True):
        built.clear()
        result = process_bytes("page.html", data, linter, fix=fix)
        assert [d.code for d in result.diagnostics] == ["ST004"] and not result.changed
        counts.append(len(built))
    assert counts[0] == counts[1]


def test_ignored_raw_text_tags_do_not_unfold_one_pass_at_a_time() -> None:
    """Browsers ignore a <plaintext> in a select and read what follows as markup; htmlfix's
    tokenizer reads it as plaintext. Deleting the first tag (ST014) revealed the next, one
    per pass, until the fixer gave up (found by bench/fuzz.py, seed 13, input 3347)."""
    from htmlfix.config import Settings
    from htmlfix.document import Mode
    from htmlfix.engine import Linter

    text = "<select><option>a</option>" + "<plaintext>b" * 12 + "</select>"
    for unsafe in (False, True):
        result = Linter(Settings(select=("ALL",), unsafe_fixes=unsafe)).fix(text, Mode.HTML)
        assert [d.code for d in result.remaining] == ["ST014"]
        assert result.text == text
