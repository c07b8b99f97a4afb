"""Structural rules (ST): what browsers do with tags that do not nest as written.

They read htmlfix's own tree-construction model (``htmlfix.structure``), which replays what
browsers do, and look at real tags only; tag debris (``< strong >``, ``td >``) is the FR
family's. A structural fix is safe only when the html5lib DOM of the whole document stays the
same (the fixer checks); anything that changes what the page renders is unsafe.
"""
