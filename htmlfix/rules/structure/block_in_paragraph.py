"""ST007: a block inside a paragraph, which browsers end before the block."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ...structure import tree_model
from ...structure.helpers import anchored, line_of, tag_name_as_written
from ...tokens import TEXT
from ..base import Rule


class BlockInParagraph(Rule):
    """Block element inside `<p>`: `<p><div>…</div></p>`.

    ## What it does
    Flags a block start tag (`div`, `ul`, `table`, `h2`, `blockquote`...) written
    inside a paragraph that the author evidently meant to continue after it: the paragraph's
    `</p>` comes after the block. WordPress's `wpautop` produces this around shortcodes
    and embedded blocks.

    ## Why is this bad?
    A paragraph cannot contain blocks, so browsers end it before the block; the `</p>` after
    the block then has no paragraph to close and browsers insert an empty `<p></p>` there. The
    text before the block and the block itself are not one paragraph, whatever the markup says.

    ## Example
    ``html
    <p><div class="gallery">…</div></p>
    ``

    Use instead:
    ``html
    <div class="gallery">…</div>
    ``

    ## Fix safety
    The fix deletes the `</p>` after the block and, when the paragraph holds nothing before
    the block and has no attributes, its `<p>` too. That removes the empty paragraphs browsers create (usually
    invisible, but they can add space): unsafe.
    """

    code = "ST007"
    name = "block-in-paragraph"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        stream = doc.tokens
        for stray in tree_model(doc).strays:
            if stray.kind != "p" or stray.block < 0:
                continue
            block, end_tag = stray.block, stray.index
            name = tag_name_as_written(stream, block)
            start, end = stream.starts[block], stream.starts[block + 1]
            edits = [Edit.delete(stream.starts[end_tag], stream.starts[end_tag + 1])]
            paragraph = stray.paragraph
            # an empty <p> goes too, unless it carries attributes (an id may be a link target)
            empty = paragraph >= 0 and stream.src(paragraph).lower() == "<p>" and all(
                stream.kinds[k] is TEXT and not stream.src(k).strip() for k in range(paragraph + 1, block)
            )
            if empty:
                edits.append(Edit.delete(stream.starts[paragraph], stream.starts[paragraph + 1]))
            what = "delete the `</p>` after it" + (" and the empty `<p>` before it" if empty else "")
            yield anchored(self.report(
                start, end,
                f"`<{name}>` inside a paragraph: browsers end the paragraph before it, and the `</p>` on line "
                f"{line_of(doc, stream.starts[end_tag])} becomes an empty paragraph",
                self.fix(f"{what} (this removes the empty paragraphs browsers insert)", *edits,
                         applicability=Applicability.UNSAFE),
            ), end_tag)
