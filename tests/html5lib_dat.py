"""Reading html5lib-tests tree-construction ``.dat`` files (inputs only)."""

from __future__ import annotations

from pathlib import Path

from .corpus import CORPORA

TREE_TESTS = CORPORA / "html5lib-tests" / "tree-construction"


def dat_files() -> list[Path]:
    """Every tree-construction file, the ``scripted/`` ones included."""
    if not TREE_TESTS.exists():
        return []
    return sorted(TREE_TESTS.glob("*.dat")) + sorted(TREE_TESTS.glob("scripted/*.dat"))


def read_cases(path: Path) -> list[dict[str, str]]:
    """The cases of one file: their sections (``data``, ``errors``, ``document``...) as text."""
    cases: list[dict[str, str]] = []
    current: dict[str, list[str]] | None = None
    section = ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line == "#data" and (current is None or section == "document" or section == ""):
            if current is not None:
                cases.append({key: "\n".join(value) for key, value in current.items()})
            current = {}
            section = "data"
            current[section] = []
            continue
        if current is None:
            continue
        if line.startswith("#") and line[1:] in {
            "errors", "new-errors", "document", "document-fragment", "script-on", "script-off",
        }:
            section = line[1:]
            current.setdefault(section, [])
            continue
        current[section].append(line)
    if current is not None:
        cases.append({key: "\n".join(value) for key, value in current.items()})
    for case in cases:
        # the last line of a section belongs to the separator blank line
        if case.get("document", "").endswith("\n"):
            case["document"] = case["document"][:-1]
    return cases


def inputs() -> list[tuple[str, str]]:
    """``(test id, input)`` for every case of every file."""
    result = []
    for path in dat_files():
        for number, case in enumerate(read_cases(path)):
            result.append((f"{path.relative_to(TREE_TESTS)}:{number}", case["data"]))
    return result
