"""``python -m htmlfix``."""

from .cli import main

raise SystemExit(main())
