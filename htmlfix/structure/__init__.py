"""Structural analysis: htmlfix's own model of HTML tree construction, shared by the ST rules.

``tree_model(doc)`` runs the model once per document (through ``doc.memo``) so that every
structural rule reads the same pass.
"""

from __future__ import annotations

from ..document import Document
from .treemodel import Closure, Stray, TreeModel, build_tree_model, is_full_document

__all__ = ["Closure", "Stray", "TreeModel", "build_tree_model", "is_full_document", "tree_model"]


def tree_model(doc: Document) -> TreeModel:
    """The tree model of ``doc`` (computed once per document)."""
    return doc.memo(_analyse)


def _analyse(doc: Document) -> TreeModel:
    return build_tree_model(doc.tokens)
