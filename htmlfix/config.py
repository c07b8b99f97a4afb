"""Settings: which rules run, which fixes apply, and the options rules read.

The CLI and configuration files build a :class:`Settings`; the library API accepts one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MODES", "Settings", "TARGETS"]

#: What the content will become. Shortcodes and Gutenberg comments are content on a site that
#: stays on WordPress and damage on one that leaves it; rules read this to choose defaults.
TARGETS = ("generic", "wordpress", "static", "ghost")

#: The values ``--mode`` (and ``mode`` in a configuration file) accepts. Defined here, not in
#: :mod:`htmlfix.readers`, so the CLI can declare its options without importing the readers.
MODES = ("auto", "html", "text", "markdown")


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one check (see ``htmlfix check --show-settings``)."""

    select: tuple[str, ...] | None = None  # None: the default rule set
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fixable: tuple[str, ...] | None = None  # None: every rule may fix
    unfixable: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    mode: str | None = None  # force a document mode instead of choosing it per file
    target: str = "generic"
    #: JSON exports: the keys (or dotted key paths, e.g. ``content.rendered``) whose string
    #: values hold HTML. Ghost exports (``db[].data.posts[].html``) are found without it.
    json_fields: tuple[str, ...] = ()
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def option(self, code: str, key: str, default: Any) -> Any:
        """A rule option, e.g. ``settings.option("FR008", "min-lines", 4)``."""
        return self.rule_options.get(code, {}).get(key, default)
