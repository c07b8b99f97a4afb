"""The Rule base class: identity, documentation contract, and how rules report.

A rule is one module and one class. It reads a :class:`~htmlfix.document.Document` and
yields :class:`~htmlfix.model.Diagnostic` objects; it never edits anything. Its docstring is
its user documentation, with these sections in order (checked when the class is defined):

    ## What it does / ## Why is this bad? / ## Example / ## Fix safety (when it can fix)
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

from ..document import Document, Mode
from ..model import Applicability, Diagnostic, Edit, Fix, FixAvailability, Span

__all__ = ["Rule"]

_CODE = re.compile(r"[A-Z]{2}\d{3}")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example")


class Rule:
    """Base class of every rule (see the module docstring for the contract)."""

    code: ClassVar[str]
    name: ClassVar[str]
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NONE
    #: Whether the rule runs without being selected explicitly.
    default_enabled: ClassVar[bool] = True
    #: The document modes the rule applies to.
    modes: ClassVar[frozenset[Mode]] = frozenset({Mode.HTML, Mode.TEXT, Mode.MARKDOWN})
    #: The options the rule reads with ``settings.option(code, name, default)``, by name with
    #: their defaults; configuration files may set only these (``[tool.htmlfix.rules.CODE]``),
    #: and a value must have its default's type.
    options: ClassVar[Mapping[str, object]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if inspect.isabstract(cls) or "code" not in cls.__dict__:
            return
        if not _CODE.fullmatch(cls.code):
            raise TypeError(f"{cls.__name__}: code {cls.code!r} must look like FR001")
        if not _NAME.fullmatch(cls.name):
            raise TypeError(f"{cls.__name__}: name {cls.name!r} must be kebab-case")
        doc = inspect.getdoc(cls) or ""
        sections = list(REQUIRED_SECTIONS)
        if cls.fix_availability is not FixAvailability.NONE:
            sections.append("## Fix safety")
        positions = [doc.find(section) for section in sections]
        if -1 in positions or positions != sorted(positions):
            raise TypeError(f"{cls.__name__}: docstring needs the sections {sections} in order")

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring."""
        return (inspect.getdoc(cls) or "").strip().splitlines()[0]

    @classmethod
    def documentation(cls) -> str:
        """The whole docstring, dedented: what ``htmlfix rule CODE`` prints."""
        return inspect.getdoc(cls) or ""

    def option(self, doc: Document, name: str) -> Any:
        """A rule option: the configured value, else the default declared in ``options``
        (reading an undeclared option is a ``KeyError``, so every option is documented)."""
        return doc.settings.option(self.code, name, self.options[name])

    def check(self, doc: Document) -> Iterable[Diagnostic]:
        """Yield the problems this rule finds in ``doc``."""
        raise NotImplementedError

    # --- helpers for subclasses -------------------------------------------------------------

    def report(self, start: int, end: int, message: str, fix: Fix | None = None) -> Diagnostic:
        return Diagnostic(self.code, message, Span(start, end), fix)

    @staticmethod
    def fix(
        message: str,
        *edits: Edit,
        applicability: Applicability = Applicability.SAFE,
        keeps_dom: bool = False,
    ) -> Fix:
        return Fix(message, tuple(edits), applicability, keeps_dom)


def run_rules(doc: Document, rules: Iterable[Rule]) -> Iterator[Diagnostic]:
    """Every diagnostic of ``rules`` that apply to ``doc``'s mode."""
    for rule in rules:
        if doc.mode in rule.modes:
            yield from rule.check(doc)
