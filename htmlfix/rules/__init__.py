"""Every rule, in the order they run. Adding a rule means adding it here (a test checks that
every rule module is listed)."""

from __future__ import annotations

from .base import Rule
from .fragments.doubled_bracket import DoubledBracket
from .fragments.edge_brackets import EdgeBrackets
from .fragments.flattened_table import FlattenedTable
from .fragments.lone_bracket_line import LoneBracketLine
from .fragments.lost_bracket_tag import LostBracketTag
from .fragments.self_closed_end_tag import SelfClosedEndTag
from .fragments.smart_quoted_attribute import SmartQuotedAttribute
from .fragments.spaced_entity import SpacedEntity
from .fragments.spaced_tag import SpacedTag
from .suppression.invalid_suppression import InvalidSuppression
from .suppression.unused_suppression import UnusedSuppression

RULES: tuple[type[Rule], ...] = (
    # FR: tag debris
    SpacedTag,
    LostBracketTag,
    LoneBracketLine,
    EdgeBrackets,
    DoubledBracket,
    SelfClosedEndTag,
    SmartQuotedAttribute,
    FlattenedTable,
    SpacedEntity,
    # HF: htmlfix's own directives; they report after every other rule (see suppressions.py).
    UnusedSuppression,
    InvalidSuppression,
)

__all__ = ["RULES", "Rule"]
