"""The structural rules' acceptance figures, from the shared corpora.

    python bench/structure_report.py

1. html5lib-tests tree construction (``*.dat`` and ``scripted/``): inputs checked and fixed
   without an error, inputs whose safe fixes keep html5lib's tree, and how well htmlfix's own
   tree model agrees with html5lib on where the tree-construction errors are (token level).
2. The 130 readability pages (``source.html``): structural diagnostics found, fixed safely,
   html5lib tree errors before and after; the model's agreement with html5lib.
3. The reference pages (``expected.html``): pages with structural diagnostics, and whether each
   diagnostic is an error html5lib reports at the same token (or, for what html5lib does not
   check, one its DOM shows).

Throughput is in ``bench/structure_throughput.py``, the comparison with HTML Tidy in
``bench/tidy_compare.py``.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from htmlfix.config import Settings  # noqa: E402
from htmlfix.document import Mode  # noqa: E402
from htmlfix.engine import Linter  # noqa: E402
from htmlfix.model import Applicability  # noqa: E402
from htmlfix.oracle import OracleUnavailable, dom_fingerprint, tree_errors  # noqa: E402
from htmlfix.structure.treemodel import build_tree_model  # noqa: E402
from htmlfix.tokens import tokenize  # noqa: E402
from tests.html5lib_dat import dat_files, read_cases  # noqa: E402
from tests.test_structure_conformance import _confirmed, _dom  # noqa: E402

PAGES = ROOT.parent / "shared" / "corpora" / "pages" / "readability" / "test-pages"
SAFE = Linter(Settings(select=("ST",)))
UNSAFE = Linter(Settings(select=("ST",), unsafe_fixes=True))
ALL = Linter(Settings(select=("ST", "ST005", "ST006", "ST008")))  # opt-in rules too
REFERENCE = Linter(Settings(select=("ST", "ST005", "ST006")))  # what the DOM can confirm


def agreement(texts: list[str]) -> tuple[int, int, int, int]:
    """(inputs whose error tokens match exactly, shared error tokens, model only, html5lib only)."""
    exact = shared = mine_only = theirs_only = 0
    for text in texts:
        stream = tokenize(text)
        mine = {index for index, _ in build_tree_model(stream).errors}
        theirs = {index for index, _ in tree_errors(text, stream)}
        exact += mine == theirs
        shared += len(mine & theirs)
        mine_only += len(mine - theirs)
        theirs_only += len(theirs - mine)
    return exact, shared, mine_only, theirs_only


def print_agreement(label: str, texts: list[str]) -> None:
    exact, shared, mine_only, theirs_only = agreement(texts)
    precision = shared / max(1, shared + mine_only)
    recall = shared / max(1, shared + theirs_only)
    print(f"  model vs html5lib, {label}: {exact}/{len(texts)} inputs agree exactly; "
          f"error tokens: {shared} shared, {mine_only} only htmlfix, {theirs_only} only html5lib "
          f"(precision {precision:.3f}, recall {recall:.3f})")


def html5lib_tests() -> None:
    texts, crashed, kept, changed, refused, fixed_inputs = [], 0, 0, 0, 0, 0
    for path in dat_files():
        for case in read_cases(path):
            text = case["data"]
            texts.append(text)
            try:
                result = SAFE.fix(text, Mode.HTML)
                UNSAFE.fix(text, Mode.HTML)
            except OracleUnavailable:
                continue
            except Exception:  # noqa: BLE001 - counted and reported
                crashed += 1
                continue
            refused += bool(result.rejected)
            if result.changed:
                fixed_inputs += 1
                if dom_fingerprint(result.text) == dom_fingerprint(text):
                    kept += 1
                else:
                    changed += 1
    print(f"html5lib-tests tree construction: {len(texts)} inputs")
    print(f"  checked and fixed (safe and unsafe) without an error: {len(texts) - crashed}/{len(texts)}")
    print(f"  safe fixes applied to {fixed_inputs} inputs; tree kept in {kept}/{fixed_inputs} "
          f"({100 * kept / max(1, fixed_inputs):.1f}%), changed in {changed}; fixes refused by the oracle: {refused}")
    print_agreement("html5lib-tests", texts)


def readability() -> None:
    files = sorted(PAGES.glob("*/source.html"))
    if not files:
        print("readability pages not found")
        return
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    found, safe, fixed, opt_in = Counter(), Counter(), Counter(), Counter()
    before = after = pages_with = 0
    for text in texts:
        opt_in.update(d.code for d in ALL.check(text, Mode.HTML) if d.code in ("ST005", "ST006", "ST008"))
        diagnostics = SAFE.check(text, Mode.HTML)
        pages_with += bool(diagnostics)
        found.update(d.code for d in diagnostics)
        safe.update(d.code for d in diagnostics if d.fix and d.fix.applicability is Applicability.SAFE)
        result = SAFE.fix(text, Mode.HTML)
        fixed.update(d.code for d in result.applied)
        before += len(tree_errors(text))
        after += len(tree_errors(result.text))
    print(f"readability source pages: {len(texts)}, {pages_with} with structural diagnostics")
    print(f"  found by the default rules: {sum(found.values())} {dict(sorted(found.items()))}")
    print(f"  found by the opt-in rules: {dict(sorted(opt_in.items()))}")
    print(f"  with a safe fix: {sum(safe.values())}; fixed by check --fix: {sum(fixed.values())} {dict(sorted(fixed.items()))}")
    print(f"  html5lib tree-construction errors: {before} -> {after}")
    print_agreement("readability sources", texts)
    references = [path.parent / "expected.html" for path in files]
    reference_texts = [path.read_text(encoding="utf-8") for path in references]
    with_findings = confirmed = total = 0
    by_rule: Counter[str] = Counter()
    for text in reference_texts:
        diagnostics = REFERENCE.check(text, Mode.HTML)
        if not diagnostics:
            continue
        with_findings += 1
        stream = tokenize(text)
        error_tokens = {index for index, _ in tree_errors(text, stream, tokenizer=True)}
        dom = _dom(text)
        for diagnostic in diagnostics:
            total += 1
            by_rule[diagnostic.code] += 1
            confirmed += _confirmed(diagnostic, text, error_tokens, dom)
    print(f"readability reference pages: {with_findings}/{len(reference_texts)} with structural diagnostics "
          "(default rules, ST005, ST006); "
          f"{confirmed}/{total} diagnostics confirmed as real errors {dict(sorted(by_rule.items()))}")
    print_agreement("readability references", reference_texts)


def main() -> int:
    html5lib_tests()
    readability()
    return 0


if __name__ == "__main__":
    sys.exit(main())
