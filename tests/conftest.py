"""Shared fixtures: a test-only rule for behaviour that must not depend on real rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import pytest

from htmlfix import registry
from htmlfix.document import Document
from htmlfix.model import Diagnostic, Edit, FixAvailability
from htmlfix.rules.base import Rule

_WORD = re.compile(r"\bDAMAGE\b")


class DamageWord(Rule):
    """The word `DAMAGE` in text (a rule that exists only in the test suite).

    ## What it does
    Flags the word `DAMAGE` outside code, so tests of the machinery around rules (output
    formats, suppressions, baselines, hooks) do not depend on which real rules exist.

    ## Why is this bad?
    It is a stand-in for real damage.

    ## Example
    ```html
    <p>DAMAGE</p>
    ```
    Use instead:
    ```html
    <p>repaired</p>
    ```

    ## Fix safety
    Replaces the word with `repaired`; safe.
    """

    code = "ZZ901"
    name = "damage-word"
    fix_availability = FixAvailability.ALWAYS

    def check(self, doc: Document) -> Iterable[Diagnostic]:
        if "DAMAGE" not in doc.text:
            return
        for match in _WORD.finditer(doc.text):
            if doc.is_protected(match.start()):
                continue
            fix = self.fix("Replace `DAMAGE`", Edit(match.start(), match.end(), "repaired"))
            yield self.report(match.start(), match.end(), "The word `DAMAGE`", fix)


def _with_rules(extra: tuple[type[Rule], ...]) -> Iterator[None]:
    original = registry.RULES
    registry.RULES = original + extra  # type: ignore[misc]
    registry._by_code.cache_clear()
    try:
        yield
    finally:
        registry.RULES = original  # type: ignore[misc]
        registry._by_code.cache_clear()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own result cache: tests register test-only rules whose behaviour
    the cache key cannot see (it covers the installed package), and the suite must not leave a
    cache in the working directory."""
    monkeypatch.setenv("HTMLFIX_CACHE_DIR", str(tmp_path_factory.mktemp("cache") / ".htmlfix_cache"))


@pytest.fixture
def damage_rule() -> Iterator[type[Rule]]:
    """Register :class:`DamageWord` (code ZZ901) for the duration of one test."""
    for _ in _with_rules((DamageWord,)):
        yield DamageWord


@pytest.fixture
def register_rules() -> Iterator[Callable[..., None]]:
    """Register more test-only rules for one test: ``register_rules(RuleA, RuleB)``."""
    original = registry.RULES

    def register(*rules: type[Rule]) -> None:
        registry.RULES = registry.RULES + rules  # type: ignore[misc]
        registry._by_code.cache_clear()

    yield register
    registry.RULES = original  # type: ignore[misc]
    registry._by_code.cache_clear()
