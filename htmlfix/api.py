"""The library API: check and fix strings. No I/O, no click.

>>> import htmlfix
>>> [d.code for d in htmlfix.check("<p>< strong >Hi< / strong ></p>")]
['FR001', 'FR001']
>>> htmlfix.fix("<p>< strong >Hi< / strong ></p>").text
'<p><strong>Hi</strong></p>'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .config import Settings
from .document import Mode
from .engine import FixResult, Linter, resolve_mode
from .model import Diagnostic

__all__ = ["check", "fix"]


def _settings(
    settings: Settings | None,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    extend_select: Sequence[str] | None,
    unsafe_fixes: bool | None,
) -> Settings:
    resolved = settings or Settings()
    changes: dict[str, object] = {}
    if select is not None:
        changes["select"] = tuple(select)
    if ignore is not None:
        changes["ignore"] = tuple(ignore)
    if extend_select is not None:
        changes["extend_select"] = tuple(extend_select)
    if unsafe_fixes is not None:
        changes["unsafe_fixes"] = unsafe_fixes
    return replace(resolved, **changes) if changes else resolved  # type: ignore[arg-type]


def check(
    text: str,
    *,
    mode: str | Mode = "auto",
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> list[Diagnostic]:
    """The problems in ``text``, sorted, each with ``location`` (row, column) and code.

    ``mode`` is ``"html"``, ``"text"`` (a plain-text export) or ``"auto"`` (html when the text
    contains real markup). Selection works as on the command line (codes or prefixes).
    """
    linter = Linter(_settings(settings, select, ignore, extend_select, None))
    return linter.check(text, resolve_mode(text, mode))


def fix(
    text: str,
    *,
    mode: str | Mode = "auto",
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    unsafe_fixes: bool = False,
    settings: Settings | None = None,
) -> FixResult:
    """Fix ``text``: safe fixes, plus unsafe ones with ``unsafe_fixes=True``.

    Returns a :class:`~htmlfix.engine.FixResult` with the fixed ``text``, what was ``applied``,
    what ``remaining`` problems are left (located in the fixed text), and the ``edits`` that
    turn the original into the result.
    """
    linter = Linter(_settings(settings, select, ignore, extend_select, unsafe_fixes))
    return linter.fix(text, resolve_mode(text, mode))
