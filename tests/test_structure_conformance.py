"""The structural rules against html5lib-tests and real pages, with html5lib as the oracle.

* every tree-construction input (``tree-construction/*.dat`` and ``scripted/``) is checked and
  fixed, safely and unsafely, without an error;
* safe fixes keep the html5lib tree of every input (none is refused by the fixer's oracle);
  where html5lib's own tree of a full document matches the test's ``#document``, the fixed
  document's tree matches it too;
* after safe fixing nothing safely fixable is left, and html5lib reports no more tree errors
  than before;
* on the readability reference pages (``expected.html``) every structural diagnostic is a real
  error: html5lib reports one at the same token, or (for what html5lib does not check:
  duplicate ids, list items outside lists, text moved out of tables) its DOM shows it;
* ``check`` never imports html5lib.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from htmlfix.config import Settings
from htmlfix.document import Mode
from htmlfix.engine import Linter
from htmlfix.model import Applicability, Diagnostic
from htmlfix.oracle import OracleUnavailable, dom_fingerprint, is_full_document, tree_errors
from htmlfix.tokens import tokenize

from .corpus import readability_pages, require
from .html5lib_dat import TREE_TESTS, dat_files, read_cases

pytestmark = pytest.mark.corpus

SAFE = Linter(Settings(select=("ST",)))
UNSAFE = Linter(Settings(select=("ST",), unsafe_fixes=True))
#: the default ST rules and the opt-in ones whose findings the DOM can confirm
REFERENCE = Linter(Settings(select=("ST", "ST005", "ST006")))


@dataclass
class Conformance:
    inputs: int = 0
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    tree_changed: list[str] = field(default_factory=list)
    left_fixable: list[str] = field(default_factory=list)
    more_errors: list[str] = field(default_factory=list)
    fixed_inputs: int = 0
    errors_before: int = 0
    errors_after: int = 0
    documents_compared: int = 0
    documents_differing: list[str] = field(default_factory=list)
    found: Counter[str] = field(default_factory=Counter)
    fixed: Counter[str] = field(default_factory=Counter)


def _expected_tree(document: str) -> str:
    """The ``#document`` section without the doctype line (html5lib's etree serializer
    leaves the doctype out)."""
    return "\n".join(line for line in document.split("\n") if not line.startswith("| <!DOCTYPE")).strip()


def _html5lib_tree(text: str) -> str:
    import html5lib

    builder = html5lib.getTreeBuilder("etree")
    parser = html5lib.HTMLParser(tree=builder, namespaceHTMLElements=False)
    tree = parser.tree.testSerializer(parser.parse(text, scripting=True))
    lines = ["| " + line[1:] if line.startswith("|") else line for line in tree.split("\n") if line != "#document"]
    return "\n".join(lines).strip()


def _run(test_id: str, case: dict[str, str], result: Conformance) -> None:
    text = case["data"]
    result.inputs += 1
    try:
        found = SAFE.check(text, Mode.HTML)
        fixed = SAFE.fix(text, Mode.HTML)
        UNSAFE.fix(text, Mode.HTML)
    except OracleUnavailable:
        return
    except Exception as exc:  # noqa: BLE001 - any exception is a failure to report
        result.errors.append(f"{test_id}: {type(exc).__name__}: {exc}")
        return
    result.found.update(d.code for d in found)
    result.fixed.update(d.code for d in fixed.applied)
    if fixed.rejected:
        result.refused.append(test_id)
    if not fixed.changed:
        return
    result.fixed_inputs += 1
    if dom_fingerprint(fixed.text) != dom_fingerprint(text):
        result.tree_changed.append(test_id)
    if any(d.fix is not None and d.fix.applicability is Applicability.SAFE for d in fixed.remaining):
        result.left_fixable.append(test_id)
    before, after = len(tree_errors(text)), len(tree_errors(fixed.text))
    result.errors_before += before
    result.errors_after += after
    if after > before:
        result.more_errors.append(test_id)
    if "document-fragment" not in case and "script-off" not in case and is_full_document(text):
        expected = _expected_tree(case.get("document", ""))
        if _html5lib_tree(text) == expected:
            result.documents_compared += 1
            if _html5lib_tree(fixed.text) != expected:
                result.documents_differing.append(test_id)


@pytest.fixture(scope="module")
def conformance() -> Conformance:
    require(TREE_TESTS)
    result = Conformance()
    for path in dat_files():
        for number, case in enumerate(read_cases(path)):
            _run(f"{path.relative_to(TREE_TESTS)}:{number}", case, result)
    return result


def test_every_input_is_checked_and_fixed(conformance: Conformance) -> None:
    assert conformance.inputs == 1796
    assert conformance.errors == []
    assert conformance.found["ST001"] > 100 and conformance.found["ST002"] > 100


def test_safe_fixes_keep_the_tree(conformance: Conformance) -> None:
    assert conformance.fixed_inputs > 500
    assert conformance.refused == []
    assert conformance.tree_changed == []


def test_fixed_documents_still_match_the_expected_tree(conformance: Conformance) -> None:
    assert conformance.documents_compared > 50
    assert conformance.documents_differing == []


def test_safe_fixing_removes_what_it_targets(conformance: Conformance) -> None:
    assert conformance.left_fixable == []
    assert conformance.more_errors == []
    assert conformance.errors_after < conformance.errors_before / 2


# --- real pages ------------------------------------------------------------------------------


def _reference_pages() -> list[Path]:
    pages = readability_pages()
    if not pages:
        pytest.skip("readability pages not found")
    return pages


def _confirmed(diagnostic: Diagnostic, text: str, error_tokens: set[int], dom: object) -> bool:
    anchor = diagnostic.extra.get("anchor")
    if anchor is not None:
        return anchor in error_tokens
    source = text[diagnostic.span.start : diagnostic.span.end]
    if diagnostic.code == "ST006":
        value = source.split("=", 1)[1].strip().strip("\"'")
        return sum(1 for element in dom.iter() if element.get("id") == value) > 1  # type: ignore[attr-defined]
    if diagnostic.code == "ST009":
        return _orphan_items(dom) > 0
    if diagnostic.code == "ST010":
        return all(source not in "".join(table.itertext()) for table in dom.iter("table"))  # type: ignore[attr-defined]
    return False


def _orphan_items(dom: object) -> int:
    """List items in the DOM with no ul, ol or menu around them."""
    parents = {child: parent for parent in dom.iter() for child in parent}  # type: ignore[attr-defined]
    count = 0
    for item in dom.iter("li"):  # type: ignore[attr-defined]
        node = parents.get(item)
        while node is not None and node.tag not in ("ul", "ol", "menu"):
            node = parents.get(node)
        count += node is None
    return count


def _dom(text: str) -> object:
    import html5lib

    return html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)


def test_reference_pages_have_no_false_alarms() -> None:
    with_findings: set[str] = set()
    with_tree_errors: set[str] = set()
    unconfirmed = []
    for page in _reference_pages():
        text = (page / "expected.html").read_text(encoding="utf-8")
        stream = tokenize(text)
        if tree_errors(text, stream):
            with_tree_errors.add(page.name)
        diagnostics = REFERENCE.check(text, Mode.HTML)
        if not diagnostics:
            continue
        with_findings.add(page.name)
        error_tokens = {index for index, _ in tree_errors(text, stream, tokenizer=True)}
        dom = _dom(text)
        unconfirmed += [f"{page.name}:{d.location.row}: {d.code} {d.message}"
                        for d in diagnostics if not _confirmed(d, text, error_tokens, dom)]
    assert unconfirmed == []
    assert with_tree_errors <= with_findings  # every page html5lib finds tree errors in
    assert len(with_findings) == 10  # as the corpus README says: 10 of the 130 keep some errors


def test_check_never_imports_html5lib(tmp_path: Path) -> None:
    page = tmp_path / "post.html"
    page.write_text("<p>Hello <b>world</p><div><span>x</div></div><table>t<tr><td>x</table>\n", encoding="utf-8")
    program = (
        "import sys\n"
        "from htmlfix.cli import main\n"
        "try:\n"
        f"    main(['check', '--exit-zero', {str(page)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(name for name in sys.modules if name.startswith('html5lib')), file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert "ST002" in run.stdout
    assert run.stderr.strip().splitlines()[-1] == "[]"


def test_byte_order_mark_in_a_string_does_not_make_a_page_a_fragment() -> None:
    """A page read with encoding="utf-8" keeps its BOM as U+FEFF: it is still a page."""
    page = "\ufeff<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>x</p></body></html>\n"
    assert SAFE.check(page, Mode.HTML) == []
    assert SAFE.fix(page, Mode.HTML).text == page
    assert SAFE.fix("\ufeff<div><span>x</div>", Mode.HTML).text == "\ufeff<div><span>x</span></div>"
