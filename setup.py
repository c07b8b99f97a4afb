"""Build the optional C scanner; everything else is configured in pyproject.toml.

The extension is optional: where no C compiler is available the build goes on without it and
htmlfix.tokens runs its pure-Python loop (the same tokens, about 5x slower to produce).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("htmlfix._scanner", ["htmlfix/_scanner.c"], optional=True)])
