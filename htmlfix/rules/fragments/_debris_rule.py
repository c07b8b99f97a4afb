"""The common body of the rules that report pieces found by the shared debris scan."""

from __future__ import annotations

from collections.abc import Iterator

from ...debris import scan_debris
from ...document import Document
from ...model import Diagnostic
from ..base import Rule


class DebrisRule(Rule):
    """Reports the findings of the shared debris scan that carry this rule's code."""

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        text = doc.text
        if "<" not in text and ">" not in text and "/" not in text:
            return
        for finding in doc.memo(scan_debris).of(self.code):
            yield self.report(finding.start, finding.end, finding.message, finding.fix)
