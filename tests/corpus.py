"""Where the shared corpora live, and a skip with a reason when they are absent.

CI always has ``../shared/corpora``; a user's fresh clone may not, and then these tests skip
(the rest of the suite still runs).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
SEED = SHARED / "seed" / "article-export.txt"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


def require(path: Path) -> Path:
    """Return ``path``, or skip the calling test when the shared material is not there."""
    if not path.exists():
        pytest.skip(f"shared corpus not found at {path} (it sits beside the project in CI)")
    return path


def readability_pages() -> list[Path]:
    """The 130 real page folders (each with source.html and expected.html), or []."""
    base = CORPORA / "pages" / "readability" / "test-pages"
    return sorted(p for p in base.iterdir() if p.is_dir()) if base.exists() else []
