"""FR: tag debris — markup mangled into visible text (damage taxonomy families A1, A2, B1, F3).

The detection is shared (``htmlfix.debris``); each module here documents and reports one shape.
"""
