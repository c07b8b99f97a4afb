"""The rule registry and rule selection by code or prefix (Ruff's semantics).

``select`` replaces the default rule set, ``extend_select`` adds to it, ``ignore`` removes from
it. A selector is ``ALL``, a full code (``FR001``) or a prefix (``FR``, ``FR0``). When a rule
matches selectors on both sides, the longer (more specific) one wins; on a tie, ignore wins.
Opt-in rules (``default_enabled = False``) run only when named by their full code or by ``ALL``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from .rules import RULES
from .rules.base import Rule

__all__ = ["SelectionError", "all_rules", "rule_class", "select_rules", "validate_selectors"]


class SelectionError(ValueError):
    """A selector that matches no rule."""


def all_rules() -> tuple[type[Rule], ...]:
    return RULES


@cache
def _by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in RULES}


def rule_class(code: str) -> type[Rule]:
    """The rule with this exact code (``KeyError`` if there is none)."""
    return _by_code()[code.upper()]


def validate_selectors(selectors: Iterable[str], option: str = "select") -> tuple[str, ...]:
    """Normalised selectors; raises :class:`SelectionError` naming any that match nothing."""
    result = []
    for raw in selectors:
        selector = raw.strip().upper()
        if not selector:
            continue
        if selector != "ALL" and not any(code.startswith(selector) for code in _by_code()):
            raise SelectionError(f"{option}: {raw!r} matches no rule (see `htmlfix rules`)")
        result.append(selector)
    return tuple(result)


def _matches(selector: str, rule: type[Rule]) -> int:
    """How specifically ``selector`` matches ``rule`` (0: not at all)."""
    if selector == "ALL":
        return 1
    if not rule.code.startswith(selector):
        return 0
    if not rule.default_enabled and selector != rule.code:
        return 0
    return 1 + len(selector)


def select_rules(
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
) -> list[type[Rule]]:
    """The rules chosen by these selectors, in registry order."""
    chosen = []
    for rule in RULES:
        positive = max((_matches(s, rule) for s in (*(select or ()), *extend_select)), default=0)
        if select is None and rule.default_enabled:
            positive = max(positive, 1)
        negative = max((_matches(s, rule) for s in ignore), default=0)
        if positive and positive > negative:
            chosen.append(rule)
    return chosen


def is_listed(code: str, selectors: Sequence[str]) -> bool:
    """Whether ``code`` matches any of ``selectors`` (prefix match; used for fixable lists)."""
    return any(s == "ALL" or code.startswith(s) for s in selectors)
