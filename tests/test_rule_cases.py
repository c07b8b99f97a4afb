"""Every per-rule case file in fixtures/rules/, run by one harness.

A case file is ``fixtures/rules/<CODE>.toml``::

    rule = "FR001"

    [[case]]
    id = "spaced-strong-pair"            # readable, unique in the file
    mode = "html"                        # html (default), text or markdown
    input = '''<p>< strong >x< / strong ></p>'''
    expect = ["1:4", "1:16"]             # row:col of every diagnostic of this rule, exhaustive
    output = '''<p><strong>x</strong></p>'''  # after fixing; absent: the input must not change
    applicability = "safe"               # the fix level needed to get `output` (safe|unsafe)
    target = "wordpress"                 # optional settings
    options = { min-lines = 3 }          # optional rule options

For every case: the tokens round-trip; running only this rule gives exactly ``expect``; fixing
at the case's level gives ``output``; an unsafe case is not applied by safe fixing; fixing the
output again changes nothing (idempotence).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from htmlfix.config import Settings
from htmlfix.document import Mode
from htmlfix.engine import Linter
from htmlfix.registry import all_rules
from htmlfix.tokens import tokenize, untokenize

CASES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "rules"


@dataclass
class RuleCase:
    rule: str
    id: str
    input: str
    expect: list[str]
    mode: Mode = Mode.HTML
    output: str | None = None
    applicability: str = "safe"
    target: str = "generic"
    options: dict[str, Any] = field(default_factory=dict)


def load_cases() -> list[RuleCase]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rule = data["rule"]
        assert path.stem == rule, f"{path.name} declares rule {rule}"
        for raw in data.get("case", []):
            unknown = set(raw) - {"id", "input", "expect", "mode", "output", "applicability", "target", "options", "note"}
            assert not unknown, f"{path.name}:{raw.get('id')}: unknown keys {unknown}"
            cases.append(
                RuleCase(
                    rule=rule,
                    id=raw["id"],
                    input=raw["input"],
                    expect=list(raw["expect"]),
                    mode=Mode(raw.get("mode", "html")),
                    output=raw.get("output"),
                    applicability=raw.get("applicability", "safe"),
                    target=raw.get("target", "generic"),
                    options=raw.get("options", {}),
                )
            )
    return cases


CASES = load_cases()


def _linter(case: RuleCase, unsafe: bool) -> Linter:
    options = {case.rule: case.options} if case.options else {}
    return Linter(Settings(select=(case.rule,), unsafe_fixes=unsafe, target=case.target, rule_options=options))


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{c.id}")
def test_rule_case(case: RuleCase) -> None:
    assert untokenize(tokenize(case.input)) == case.input
    linter = _linter(case, unsafe=case.applicability == "unsafe")
    found = [f"{d.location.row}:{d.location.column}" for d in linter.check(case.input, case.mode)]
    assert found == case.expect, "diagnostics differ"
    result = linter.fix(case.input, case.mode)
    assert not result.rejected, "a fix failed its safety check"
    expected = case.output if case.output is not None else case.input
    assert result.text == expected, "fixed output differs"
    again = linter.fix(result.text, case.mode)
    assert again.text == result.text, "fixing twice differs from fixing once"
    if case.applicability == "unsafe" and case.output is not None:
        safe_only = _linter(case, unsafe=False).fix(case.input, case.mode)
        assert safe_only.text != case.output, "an unsafe case was applied by safe fixing"


def test_case_ids_are_unique() -> None:
    seen = set()
    for case in CASES:
        key = (case.rule, case.id)
        assert key not in seen, f"duplicate case id {key}"
        seen.add(key)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_has_pass_and_fail_cases(rule: type) -> None:
    mine = [c for c in CASES if c.rule == rule.code]  # type: ignore[attr-defined]
    assert any(not c.expect for c in mine), f"{rule.code} needs a case it must leave alone"  # type: ignore[attr-defined]
    assert any(c.expect for c in mine), f"{rule.code} needs a case it must flag"  # type: ignore[attr-defined]
