"""Facet counts read from each document's values (search/facets.py) are the counts of every
(document, value) pair the facet's postings hold."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.index import open_dir

from indexer.index.schema import FACETS, INDICATOR_FACETS
from indexer.index.terms import term_postings
from indexer.search.facets import Values


def _pairs(reader, facet):
    terms = list(reader.lexicon(facet))
    docs, value_ids = term_postings(reader, facet, terms)
    return tuple(t.decode() for t in terms), docs, value_ids


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_values_count_as_every_pair_counts(sample_index, data):
    with open_dir(sample_index).reader() as reader:
        n = reader.doc_count_all()
        ids = np.array(
            sorted(data.draw(st.sets(st.integers(0, n - 1), max_size=n))), dtype=np.int64
        )
        matched = np.zeros(n, bool)
        matched[ids] = True
        for facet in (*FACETS, *INDICATOR_FACETS):
            names, docs, value_ids = _pairs(reader, facet)
            expected = np.bincount(value_ids[matched[docs]], minlength=len(names))
            for doc_count in (n, 8 * len(docs) + 8):  # documents' first values, or pairs only
                values = Values.of(names, docs, value_ids, max(doc_count, n))
                assert (values.first is None) == (len(docs) < max(doc_count, n) // 8)
                assert values.tally(ids, matched).tolist() == expected.tolist(), facet
