"""Every rule, in the order they run. Adding a rule means adding it here (a test checks that
every rule module is listed)."""

from __future__ import annotations

from .base import Rule
from .structure.block_in_inline import BlockInInline
from .structure.block_in_paragraph import BlockInParagraph
from .structure.duplicate_attribute import DuplicateAttribute
from .structure.duplicate_id import DuplicateId
from .structure.ignored_start_tag import IgnoredStartTag
from .structure.legacy_entity import LegacyEntityHazard
from .structure.misnested_formatting import MisnestedFormatting
from .structure.misplaced_table_content import MisplacedTableContent
from .structure.orphan_list_item import OrphanListItem
from .structure.self_closed_element import SelfClosedElement
from .structure.stray_end_tag import StrayEndTag
from .structure.truncated_markup import TruncatedMarkup
from .structure.unclosed_element import UnclosedElement
from .structure.unterminated_comment import UnterminatedComment

RULES: tuple[type[Rule], ...] = (
    StrayEndTag,
    UnclosedElement,
    MisnestedFormatting,
    SelfClosedElement,
    DuplicateAttribute,
    DuplicateId,
    BlockInParagraph,
    BlockInInline,
    OrphanListItem,
    MisplacedTableContent,
    TruncatedMarkup,
    UnterminatedComment,
    LegacyEntityHazard,
    IgnoredStartTag,
)

__all__ = ["RULES", "Rule"]
