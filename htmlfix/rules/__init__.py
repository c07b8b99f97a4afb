"""Every rule, in the order they run. Adding a rule means adding it here (a test checks that
every rule module is listed)."""

from __future__ import annotations

from .base import Rule
from .encoding.control_character import ControlCharacter
from .encoding.double_escaped_entity import DoubleEscapedEntity
from .encoding.escaped_markup import EscapedMarkup
from .encoding.mojibake import Mojibake
from .encoding.stripped_unicode_escape import StrippedUnicodeEscape
from .office.conditional_comment import OfficeConditionalComment
from .office.google_docs_wrapper import GoogleDocsWrapper
from .office.mso_class import MsoClass
from .office.mso_style import MsoStyle
from .office.office_element import OfficeElement
from .office.word_settings_text import WordSettingsText
from .typography.spintax import Spintax
from .typography.tokenizer_spacing import TokenizerSpacing

RULES: tuple[type[Rule], ...] = (
    # Encoding first: mojibake and escape layers change what every later rule reads.
    Mojibake,
    DoubleEscapedEntity,
    EscapedMarkup,
    StrippedUnicodeEscape,
    ControlCharacter,
    # Office and Docs paste markup.
    MsoClass,
    MsoStyle,
    OfficeElement,
    OfficeConditionalComment,
    WordSettingsText,
    GoogleDocsWrapper,
    # Typography last: it reads the text as the other repairs leave it.
    TokenizerSpacing,
    Spintax,
)

__all__ = ["RULES", "Rule"]
