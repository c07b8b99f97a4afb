"""A seeded sample of the fuzz run (``bench/fuzz.py`` runs 10,000 inputs and more): mutated
corpus files of every kind htmlfix reads never raise, never hang, and fix idempotently."""

from __future__ import annotations

import pytest

from .corpus import CORPORA, require
from .fuzzing import check_input, corpus_files, inputs

SEED = 20250601
COUNT = 300


@pytest.mark.corpus
def test_mutated_corpus_files() -> None:
    require(CORPORA)
    assert len(corpus_files()) > 300
    failures = []
    for item in inputs(SEED, COUNT):
        problem = check_input(item, time_limit=60).problem
        if problem is not None:
            failures.append(f"input {item.index} ({item.recipe}): {problem}")
    assert failures == []
