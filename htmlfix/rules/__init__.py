"""Every rule, in the order they run. Adding a rule means adding it here (a test checks that
every rule module is listed)."""

from __future__ import annotations

from .base import Rule

RULES: tuple[type[Rule], ...] = ()

__all__ = ["RULES", "Rule"]
