"""WP007: complete Gutenberg block comments in content that leaves WordPress."""

from __future__ import annotations

from collections.abc import Iterator

from ...document import Document, Mode
from ...model import Applicability, Diagnostic, Edit, FixAvailability
from ..base import Rule
from ..cms._shared import leaves_wordpress, line_extent
from ._blocks import comment_delimiters


class BlockComment(Rule):
    """Gutenberg block comment (`<!-- wp:paragraph -->`) in content that leaves WordPress.

    ## What it does
    Flags the block editor's delimiters, `<!-- wp:name {…} -->`, `<!-- /wp:name -->` and the
    void form `<!-- wp:name {…} /-->`, when the content leaves WordPress.

    The target decides: reported with target `static` or `ghost` only. With target
    `wordpress` they are content (the block editor needs them); with target `generic` they
    are left alone, since browsers do not show comments. Broken delimiters are WP006, for
    every target.

    ## Why is this bad?
    On another site they are dead weight: every block adds two comments to the HTML, they
    end up in the new CMS's source view and editor, and the void ones
    (`<!-- wp:latest-posts /-->`, `<!-- wp:block {"ref":12} /-->`) stand for content that
    WordPress rendered from its database and that is missing from the export.

    ## Example
    ```html
    <!-- wp:paragraph -->
    <p>Hello.</p>
    <!-- /wp:paragraph -->
    ```

    Use instead:
    ```html
    <p>Hello.</p>
    ```

    ## Fix safety
    Comments are not rendered, so removing one leaves the rendered page exactly as it was
    (a delimiter alone on its line goes with its line break, and whitespace between blocks
    does not render either); the fix is safe. It is not DOM-neutral (the comment node goes),
    and the post can no longer be edited block by block if it goes back into WordPress,
    which is why the rule runs only for targets that leave WordPress. Removing a void
    delimiter is unsafe: the comment is the only trace of what the block showed on WordPress
    (a post list, a reusable block by id), and removing it loses that pointer.
    """

    code = "WP007"
    name = "block-comment"
    fix_availability = FixAvailability.ALWAYS
    modes = frozenset({Mode.HTML, Mode.MARKDOWN})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        if not leaves_wordpress(doc):
            return
        text = doc.text
        for comment in comment_delimiters(doc):
            delimiter = comment.delimiter
            if not delimiter.closed or delimiter.close_end != comment.comment_end:
                continue  # unterminated or malformed: WP006
            removal = Edit.delete(*line_extent(text, comment.start, delimiter.close_end))
            if delimiter.void:
                yield self.report(
                    comment.start, delimiter.close_end,
                    f"Gutenberg block `{comment.name}` with no HTML of its own (renders nothing outside WordPress)",
                    self.fix("Remove the block comment", removal, applicability=Applicability.UNSAFE),
                )
            else:
                yield self.report(
                    comment.start, delimiter.close_end,
                    f"Gutenberg block comment `{comment.slash}{comment.name}`",
                    self.fix("Remove the block comment", removal),
                )
