"""Every rule, in the order they run. Adding a rule means adding it here (a test checks that
every rule module is listed)."""

from __future__ import annotations

from .base import Rule
from .cms.empty_paragraph import EmptyParagraph
from .cms.leaked_boilerplate import LeakedBoilerplate
from .cms.nbsp_run import NbspRun
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
    # CMS cruft (CM)
    EmptyParagraph,
    NbspRun,
    LeakedBoilerplate,
    # WordPress (WP)
    CaptionShortcode,
    MediaShortcode,
    PageBuilderShortcode,
    PluginShortcode,
    UnknownShortcode,
    HalfStrippedBlockComment,
    BlockComment,
    WpautopArtifact,
    CdataEdge,
)

__all__ = ["RULES", "Rule"]
