"""Every rule, in the order they run. Adding a rule means adding it here (a test checks that
every rule module is listed)."""

from __future__ import annotations

from .base import Rule
from .cms.empty_paragraph import EmptyParagraph
from .cms.leaked_boilerplate import LeakedBoilerplate
from .cms.nbsp_run import NbspRun
from .encoding.control_character import ControlCharacter
from .encoding.double_escaped_entity import DoubleEscapedEntity
from .encoding.escaped_markup import EscapedMarkup
from .encoding.mojibake import Mojibake
from .encoding.stripped_unicode_escape import StrippedUnicodeEscape
from .fragments.doubled_bracket import DoubledBracket
from .fragments.edge_brackets import EdgeBrackets
from .fragments.flattened_table import FlattenedTable
from .fragments.lone_bracket_line import LoneBracketLine
from .fragments.lost_bracket_tag import LostBracketTag
from .fragments.self_closed_end_tag import SelfClosedEndTag
from .fragments.smart_quoted_attribute import SmartQuotedAttribute
from .fragments.spaced_entity import SpacedEntity
from .fragments.spaced_tag import SpacedTag
from .office.conditional_comment import OfficeConditionalComment
from .office.google_docs_wrapper import GoogleDocsWrapper
from .office.mso_class import MsoClass
from .office.mso_style import MsoStyle
from .office.office_element import OfficeElement
from .office.word_settings_text import WordSettingsText
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
from .suppression.invalid_suppression import InvalidSuppression
from .suppression.unused_suppression import UnusedSuppression
from .typography.spintax import Spintax
from .typography.tokenizer_spacing import TokenizerSpacing
from .wordpress.block_comment import BlockComment
from .wordpress.caption_shortcode import CaptionShortcode
from .wordpress.cdata_edge import CdataEdge
from .wordpress.half_stripped_block_comment import HalfStrippedBlockComment
from .wordpress.media_shortcode import MediaShortcode
from .wordpress.page_builder_shortcode import PageBuilderShortcode
from .wordpress.plugin_shortcode import PluginShortcode
from .wordpress.unknown_shortcode import UnknownShortcode
from .wordpress.wpautop_artifact import WpautopArtifact

RULES: tuple[type[Rule], ...] = (
    # EN: encoding first; mojibake and escape layers change what every later pass reads.
    Mojibake,
    DoubleEscapedEntity,
    EscapedMarkup,
    StrippedUnicodeEscape,
    ControlCharacter,
    # OF: Office and Google Docs paste markup.
    MsoClass,
    MsoStyle,
    OfficeElement,
    OfficeConditionalComment,
    WordSettingsText,
    GoogleDocsWrapper,
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
    # ST: structure (one shared tree model), after the damage repairs that change the markup.
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
    # WP: WordPress shortcodes, block comments, wpautop and transport damage.
    CaptionShortcode,
    MediaShortcode,
    PageBuilderShortcode,
    PluginShortcode,
    UnknownShortcode,
    HalfStrippedBlockComment,
    BlockComment,
    WpautopArtifact,
    CdataEdge,
    # CM: CMS cruft.
    EmptyParagraph,
    NbspRun,
    LeakedBoilerplate,
    # TY: typography reads the text as the other repairs leave it.
    TokenizerSpacing,
    Spintax,
    # HF: htmlfix's own directives; they report after every other rule (see suppressions.py).
    UnusedSuppression,
    InvalidSuppression,
)

__all__ = ["RULES", "Rule"]
