"""Every rule, in the order they run. Adding a rule means adding it here (a test checks that
every rule module is listed)."""

from __future__ import annotations

from .base import Rule
from .suppression.invalid_suppression import InvalidSuppression
from .suppression.unused_suppression import UnusedSuppression

RULES: tuple[type[Rule], ...] = (
    # HF: htmlfix's own directives; they report after every other rule (see suppressions.py).
    UnusedSuppression,
    InvalidSuppression,
)

__all__ = ["RULES", "Rule"]
