"""The oracle's limits: where html5lib would not be linear, the fixer declines to verify and
applies nothing it could not verify; verification of many claims stays within a budget."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from htmlfix import oracle
from htmlfix.config import Settings
from htmlfix.document import Document, Mode
from htmlfix.engine import Linter
from htmlfix.model import Diagnostic, Edit, Fix, FixAvailability
from htmlfix.rules.base import Rule

KEEPS = Fix("close the paragraph", (Edit.insert(0, ""),), keeps_dom=True)


def _claim(at: int, content: str) -> Fix:
    return Fix(f"insert {content!r}", (Edit.insert(at, content),), keeps_dom=True)


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = oracle.dom_fingerprint

    def counting(text: str) -> str:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(oracle, "dom_fingerprint", counting)
    return seen


def test_deep_nesting_is_declined_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "<div>" * 5000 + "x"
    assert oracle.oracle_work(text) > oracle.MAX_ORACLE_WORK
    parses = _count_parses(monkeypatch)
    plain = Fix("plain", (Edit(0, 0, ""),))
    with pytest.raises(oracle.OracleUnavailable, match="would take too long"):
        oracle.verify_fixes(text, [_claim(5, "</div>"), plain], Mode.HTML)
    assert parses == []


def test_large_input_is_declined(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oracle, "MAX_ORACLE_CHARS", 100)
    parses = _count_parses(monkeypatch)
    with pytest.raises(oracle.OracleUnavailable, match="beyond the limit"):
        oracle.verify_fixes("<p>x</p>" * 20, [_claim(3, "")], Mode.HTML)
    assert parses == []


def test_claims_that_hold_are_kept_and_the_rest_found_within_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each paragraph is closed by the next <p>: inserting its </p> keeps the DOM; inserting a
    # <b> does not.
    paragraphs = ["<p>para %d" % i for i in range(64)]
    text = "".join(paragraphs)
    offsets = []
    position = 0
    for paragraph in paragraphs:
        position += len(paragraph)
        offsets.append(position)
    good = [_claim(at, "</p>") for at in offsets]
    bad = [_claim(offsets[i] - 1, "<b>") for i in (5, 40)]
    claims = sorted(good + bad, key=lambda fix: fix.edits[0].start)
    parses = _count_parses(monkeypatch)
    kept = oracle.verify_fixes(text, claims, Mode.HTML)
    assert len(parses) <= 2 + oracle.MAX_VERIFY_PARSES
    assert not set(kept) & set(bad)
    assert len(kept) >= len(good) - 16  # two bad claims cost their neighbours little
    fixed = oracle._apply(text, kept)
    assert oracle.dom_fingerprint(fixed) == oracle.dom_fingerprint(text)


def test_all_claims_failing_costs_at_most_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "<p>" + "word " * 500
    claims = [_claim(3 + 5 * i, "<i>") for i in range(200)]
    parses = _count_parses(monkeypatch)
    assert oracle.verify_fixes(text, claims, Mode.HTML) == []
    assert len(parses) <= 2 + oracle.MAX_VERIFY_PARSES


class FalseClaim(Rule):
    """Inserts a `<div>` before `x`, claiming the DOM stays the same (tests only).

    ## What it does
    Claims too much.

    ## Why is this bad?
    A structural fix must keep the DOM.

    ## Example
    ```html
    x
    ```
    Use instead:
    ```html
    x
    ```

    ## Fix safety
    It is not safe; the oracle must refuse it.
    """

    code = "ZZ905"
    name = "false-claim"
    fix_availability = FixAvailability.ALWAYS

    def check(self, doc: Document) -> Iterable[Diagnostic]:
        at = doc.text.find("x")
        if at >= 0:
            yield self.report(at, at + 1, "x", self.fix("wrap", Edit.insert(at, "<div>"), keeps_dom=True))


def test_the_fixer_applies_nothing_it_could_not_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    linter = Linter(Settings(select=("FR001",)))
    linter.rules = (FalseClaim(),)
    parses = _count_parses(monkeypatch)
    deep = "<div>" * 5000 + "x"
    result = linter.fix(deep, Mode.HTML)
    assert not result.changed and parses == []  # declined before any parse
    assert result.rejected == [] and "would take too long" in result.unverified  # not refused: unverified
    shallow = "<p>x</p>"
    result = linter.fix(shallow, Mode.HTML)
    assert not result.changed and [d.code for d in result.rejected] == ["ZZ905"]


def _walked_by_html5lib(text: str) -> str:
    """The fingerprint as html5lib's etree tree walker yields it (the reference; the oracle
    walks the tree itself, as that walker is quadratic in the children of one element)."""
    import html5lib

    _, tree = oracle._parse(text)
    out: list[str] = []
    depth = 0
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(f"{depth}#{''.join(run)!r}")
            run.clear()

    for token in html5lib.getTreeWalker("etree")(tree):
        kind = token["type"]
        if kind in ("Characters", "SpaceCharacters"):
            run.append(token["data"])
            continue
        flush()
        if kind in ("StartTag", "EmptyTag"):
            attributes = sorted((f"{ns or ''}:{name}", value) for (ns, name), value in token["data"].items())
            out.append(f"{depth}<{token.get('namespace') or ''}:{token['name']} {attributes}")
            depth += kind == "StartTag"
        elif kind == "EndTag":
            depth -= 1
        elif kind == "Comment":
            out.append(f"{depth}!{token['data']!r}")
        elif kind == "Doctype":
            out.append(f"{depth}D{token.get('name')!r}")
    flush()
    return "\n".join(out)


def test_the_fingerprint_is_what_html5libs_tree_walker_yields() -> None:
    from .html5lib_dat import inputs

    texts = [text for _, text in inputs()]
    assert len(texts) > 1500  # the html5lib tree-construction suite: documents and fragments
    for text in [*texts, "<div></div>" * 50 + "x", "<svg><path/></svg><math><mi/></math><br>t"]:
        assert oracle.dom_fingerprint(text) == _walked_by_html5lib(text), text
        oracle.forget()


def test_counting_steps_leaves_html5libs_trees_and_errors_as_they_are() -> None:
    """The oracle counts the tokens html5lib's insertion modes are handed (to stop its loops);
    on every tree-construction input it builds the tree and reports the errors html5lib
    builds and reports without the count."""
    import html5lib

    from .html5lib_dat import inputs

    texts = [text for _, text in inputs()]
    assert len(texts) > 1500
    for text in texts:
        plain = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=True)
        if oracle.is_full_document(text):
            tree = plain.parse(text, scripting=True)
        else:
            tree = plain.parseFragment(text, container="body", scripting=True)
        counted, counted_tree = oracle._parse(text)
        assert oracle._serialised(counted_tree) == oracle._serialised(tree), text
        assert counted.errors == plain.errors, text
        oracle.forget()


@pytest.mark.parametrize(
    "text",
    [
        # html5lib 1.1 loops on these forever (a stray </span> makes a fix to verify)
        "<p>x</span></p><table><tfoot><math><tbody></table>",
        "<p>Intro</span></p><table><thead><svg><tfoot></table><p>After</p>" * 3,
    ],
)
def test_an_input_html5lib_loops_on_is_declined_not_hung(text: str) -> None:
    with pytest.raises(oracle.OracleUnavailable, match="does not finish"):
        oracle.dom_fingerprint(text)
    result = Linter(Settings()).fix(text, Mode.HTML)  # used to hang in the verifier
    waiting = [d.code for d in result.remaining if d.fix is not None and d.fix.keeps_dom]
    assert waiting == ["ST001"] * text.count("</span>") and not result.changed
    assert result.rejected == [] and "does not finish" in result.unverified


def test_a_tag_with_thousands_of_attributes_is_declined_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """html5lib compares each attribute name of a tag with every earlier one: a tag of 25,000
    "attributes" (the text an unclosed tag swallowed) took it a minute (bench/fuzz.py, seed
    14). Long tags of real pages (a data URL, a long alt text) are not counted as many."""
    swallowed = "<p>Intro</span></p><img src=x " + " ".join(f"word{i}" for i in range(8000)) + ">"
    assert oracle.oracle_work(swallowed) > oracle.MAX_ORACLE_WORK
    parses = _count_parses(monkeypatch)
    with pytest.raises(oracle.OracleUnavailable, match="would take too long"):
        oracle.verify_fixes(swallowed, [_claim(3, "")], Mode.HTML)
    assert parses == []
    real = '<p>x</span></p><img src="data:image/png;base64,' + "A" * 400_000 + '" alt="' + "a word " * 60 + '">'
    assert oracle.oracle_work(real) < oracle.MAX_ORACLE_WORK / 100
