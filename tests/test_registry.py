"""The registry's contract: every rule listed once, documented, selectable, in the README."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import htmlfix.rules
from htmlfix._docs import updated_readme
from htmlfix.registry import SelectionError, all_rules, select_rules, validate_selectors
from htmlfix.rules.base import Rule

README = Path(__file__).resolve().parent.parent / "README.md"


def _rule_classes_in_package() -> set[type[Rule]]:
    found: set[type[Rule]] = set()
    for info in pkgutil.walk_packages(htmlfix.rules.__path__, "htmlfix.rules."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and "code" in value.__dict__:
                found.add(value)
    return found


def test_every_rule_module_is_registered() -> None:
    assert _rule_classes_in_package() == set(all_rules())


def test_codes_and_names_are_unique() -> None:
    codes = [rule.code for rule in all_rules()]
    names = [rule.name for rule in all_rules()]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


def test_readme_rule_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert updated_readme(text) == text, "run `python -m htmlfix._docs` to regenerate the table"


def test_unknown_selector_is_an_error() -> None:
    with pytest.raises(SelectionError):
        validate_selectors(["XX999"])


def test_more_specific_selector_wins() -> None:
    rules = all_rules()
    if not rules:
        pytest.skip("no rules registered")
    first = rules[0]
    family = first.code[:2]
    chosen = select_rules(select=[first.code], ignore=[family])
    assert first in chosen
    assert first not in select_rules(select=[family], ignore=[first.code])


def test_opt_in_rules_need_their_code() -> None:
    for rule in all_rules():
        if not rule.default_enabled:
            assert rule not in select_rules()
            assert rule not in select_rules(select=[rule.code[:2]])
            assert rule in select_rules(select=[rule.code])
            assert rule in select_rules(select=["ALL"])
