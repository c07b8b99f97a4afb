"""ST008: a block inside an inline element (``<strong><p>``)."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Diagnostic
from ...structure.helpers import line_of, tag_name_as_written
from ...structure.treemodel import TreeModel, build_tree_model
from ..base import Rule


class BlockInInline(Rule):
    """Block element inside an inline one: `<strong><p>…</p></strong>`, `<span><div>`.

    ## What it does
    Flags a block element (`p`, `div`, `h2`, `ul`, `table`...) whose parent is an
    inline element that may hold only text-level content (`span`, `strong`, `b`, `em`,
    `font`...). `<a>` around blocks is allowed in HTML and not flagged. Word pastes
    (`<strong><p class="MsoNormal">`) and page builders produce it. Opt-in: browsers build
    the tree as written, so nothing on the page moves.

    ## Why is this bad?
    The markup is invalid: an inline element cannot contain a paragraph. Browsers keep the block
    inside it, so the inline styling spreads over whole blocks, and the page breaks the moment
    the block ends up inside a paragraph (browsers then split both).

    ## Example
    ``html
    <strong><p>Important notice</p></strong>
    ``

    Use instead:
    ``html
    <p><strong>Important notice</strong></p>
    ``
    """

    code = "ST008"
    name = "block-in-inline"
    default_enabled = False
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        stream = doc.tokens
        for block, parent in doc.memo(_inline_blocks_model).inline_blocks:
            if parent < 0:
                continue
            name = tag_name_as_written(stream, block)
            inline = tag_name_as_written(stream, parent)
            yield self.report(
                stream.starts[block], stream.starts[block + 1],
                f"`<{name}>` inside `<{inline}>` (line {line_of(doc, stream.starts[parent])}): an inline element "
                "cannot contain a block",
            )


def _inline_blocks_model(doc: Document) -> TreeModel:
    return build_tree_model(doc.tokens, inline_blocks=True)
