"""Recall and precision over the hand-labelled queries of tests/labelled_queries.tsv.

Every relevant file must be found (recall 1.0 per query). Extra hits are allowed where they are
legitimately ambiguous (pinyin initials match every word with those initials) but overall
precision per kind is held above a floor, and the measured table is printed with -s.
"""

from collections import defaultdict

import pytest

from indexer.search.search import Filters, search
from tests.conftest import labelled_queries

ROWS = labelled_queries()
DOCS = Filters(include={"kind": ("document",)})
# Labels cover the folders tools/verify_labels.py reads; the format samples are tested elsewhere.
LABELLED = ("chat/", "docs/", "targets/", "notes/", "web/", "data/", "encoded/", "broken/")
# Initials are ambiguous by nature (ax: 安洵, 按下, 案型 ...); every other kind should be exact.
PRECISION_FLOOR = {"pinyin-initials": 0.2}
DEFAULT_FLOOR = 0.9


@pytest.mark.parametrize(("query", "kind", "relevant"), ROWS, ids=[f"{k}:{q}" for q, k, _ in ROWS])
def test_every_relevant_file_is_found(sample_index, query, kind, relevant):
    assert relevant - found_paths(sample_index, query) == set()


def found_paths(index_dir, query: str) -> set[str]:
    hits = search(index_dir, query, DOCS, pagelen=100).hits
    return {h.path for h in hits if h.path.startswith(LABELLED)}


def test_precision_per_kind(sample_index):
    for kind, (_, precision) in recall_precision(sample_index, ROWS).items():
        assert precision >= PRECISION_FLOOR.get(kind, DEFAULT_FLOOR), kind


def recall_precision(index_dir, rows) -> dict[str, tuple[float, float]]:
    """Recall and precision of labelled queries per kind, over the documents they find; the
    table is printed (pytest -s)."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # relevant found, found, relevant
    for query, kind, relevant in rows:
        found = found_paths(index_dir, query)
        tally[kind][0] += len(found & relevant)
        tally[kind][1] += len(found)
        tally[kind][2] += len(relevant)
    table = {k: (hit / rel, hit / max(found, 1)) for k, (hit, found, rel) in tally.items()}
    print(f"\n{'kind':28} {'recall':>7} {'precision':>9}")
    for kind, (recall, precision) in sorted(table.items()):
        print(f"{kind:28} {recall:7.3f} {precision:9.3f}")
    return table
