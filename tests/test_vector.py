"""Matches scored over whole posting lists (search/vector.py) are Whoosh's, one by one."""

import math
import random
import shutil
import time

import numpy as np
import pytest
from whoosh import query as Q
from whoosh.index import open_dir

from indexer.index.build import build_index
from indexer.index.terms import most_frequent, term_postings
from indexer.search.filters import Filters, filtered, normalize_filters
from indexer.search.query import AnyPhrase, expand_query
from indexer.search.vector import matches
from tests.conftest import copy_text_corpus, labelled_queries

QUERIES = sorted({q for q, _, _ in labelled_queries()}) + [
    "",
    "的",
    "zg",
    "data*",
    "*ata",
    "政府 -function",
    "政府 OR India",
    "NOT 安洵",
    '"remote access"',
    "安洵 AND (India OR Vietnam)",
    "country:IN",
    "ip:10.0.0.0/8",
    "date:[2020 TO 2022]",
]
FILTERS = [
    Filters(),
    Filters(include={"country": ("IN",)}),
    Filters(exclude={"kind": ("message",)}),
    Filters(include={"kind": ("message",)}, exclude={"country": ("CN",)}),
]


def whoosh_s(searcher, q):
    """Every match and its score, from Whoosh's own collector."""
    found = sorted((hit.docnum, hit.score) for hit in searcher.search(q, limit=None))
    return np.array([d for d, _ in found], np.int64), np.array([s for _, s in found])


@pytest.fixture(scope="module")
def changed_index(tmp_path_factory):
    """An index of several segments, some of whose documents are deleted (files changed)."""
    tmp = tmp_path_factory.mktemp("changed")
    corpus = copy_text_corpus(tmp / "corpus")
    build_index(corpus, tmp / "ix")
    for path in sorted(corpus.glob("docs/*.md"))[:2]:  # below the share that purges a segment
        path.write_text(path.read_text("utf-8") + "\n安洵 India 政府 addendum\n", "utf-8")
    build_index(corpus, tmp / "ix")
    shutil.rmtree(corpus)
    return tmp / "ix"


@pytest.mark.parametrize("which", ["sample", "changed"])
def test_every_query_matches_and_scores_as_whoosh(which, sample_index, changed_index):
    ix = open_dir(sample_index if which == "sample" else changed_index)
    with ix.searcher() as searcher:
        if which == "changed":
            assert searcher.reader().has_deletions() and len(ix._segments()) > 1
        for text in QUERIES:
            for f in FILTERS:
                q = filtered(expand_query(text)[0], normalize_filters(f))
                ids, scores, cut = matches(searcher, q)
                expected_ids, expected_scores = whoosh_s(searcher, q)
                assert not cut
                assert ids.tolist() == expected_ids.tolist(), (text, f)
                assert np.allclose(scores, expected_scores, rtol=1e-9, atol=0), (text, f)


def test_past_the_deadline_it_stops_and_says_so(sample_index):
    ix = open_dir(sample_index)
    with ix.searcher() as searcher:
        q = filtered(expand_query("安洵 OR India")[0], normalize_filters(Filters()))
        every, _, cut = matches(searcher, q, math.inf)
        assert not cut and len(every)
        none, _, cut = matches(searcher, q, time.monotonic() - 1)
        assert cut and len(none) == 0


PHRASES = [
    "哈哈哈",
    "哈哈哈哈",
    "服务器密码",
    "数据库服务器",
    "远程控制服务器",
    '"server password"',
    "安洵信息",
]


@pytest.fixture(scope="module")
def phrase_index(tmp_path_factory):
    """Texts long enough for positions past 127 (several varint bytes) and common words in more
    than one block of postings, repeated words (哈哈哈), some files changed after a first build."""
    rng = random.Random(7)
    words = ["服务器", "密码", "数据库", "远程", "控制", "哈", "安洵", "信息", "server", "password"]
    words += ["的", "了", "是", "我们", "今天", "data", "the", "a"] * 6 + ["哈"] * 20
    tmp = tmp_path_factory.mktemp("phrases")
    corpus = tmp / "corpus"
    corpus.mkdir()
    for i in range(400):
        n = rng.choice([20, 200, 3000])
        picked = (rng.choice(words) for _ in range(n))
        text = "".join(f" {w} " if w.isascii() else w for w in picked)
        (corpus / f"{i}.txt").write_text(text, "utf-8")
    build_index(corpus, tmp / "ix")
    for i in range(0, 400, 37):
        (corpus / f"{i}.txt").write_text("哈哈哈 远程控制服务器密码 server password", "utf-8")
    build_index(corpus, tmp / "ix")
    return tmp / "ix"


def test_phrases_match_and_score_as_whoosh(phrase_index):
    ix = open_dir(phrase_index)
    with ix.searcher() as searcher:
        assert searcher.reader().has_deletions()
        for text in PHRASES:
            q = filtered(expand_query(text)[0], normalize_filters(Filters()))
            ids, scores, cut = matches(searcher, q)
            expected_ids, expected_scores = whoosh_s(searcher, q)
            assert len(expected_ids) > 5 and not cut, text
            assert ids.tolist() == expected_ids.tolist(), text
            assert np.allclose(scores, expected_scores, rtol=1e-9, atol=0), text


def test_many_phrases_as_one_union_match_and_score_as_whooshs_or(phrase_index):
    # AnyPhrase: pinyin initials read as hundreds of Chinese strings.
    strings = ["远程控制", "服务器密码", "哈哈哈", "数据库", "控制服务", "器密码", "我们今天"]
    strings += ["的了是", "哈哈", "密码数据", "不存在的", "安洵信息", "远程", "今天的"]
    phrases = [Q.Phrase("cjk", [s[i : i + 2] for i in range(len(s) - 1)]) for s in strings]
    ix = open_dir(phrase_index)
    with ix.searcher() as searcher:
        assert searcher.reader().has_deletions() and len(ix._segments()) > 1
        expected_ids, expected_scores = whoosh_s(searcher, Q.Or(phrases))
        assert len(expected_ids) > 20
        for ids, scores in (
            matches(searcher, AnyPhrase(phrases))[:2],
            whoosh_s(searcher, AnyPhrase(phrases)),
        ):
            assert ids.tolist() == expected_ids.tolist()
            assert np.allclose(scores, expected_scores, rtol=1e-9, atol=0)


def test_facet_postings_and_most_frequent_terms_are_whooshs(changed_index):
    with open_dir(changed_index).reader() as reader:
        assert reader.has_deletions()
        for field in ("country", "target_type", "domain", "ip", "person", "org"):
            terms = list(reader.lexicon(field))
            docs, which = term_postings(reader, field, terms)
            each = [reader.postings(field, t).all_ids() for t in terms]
            expected = sorted((d, i) for i, ids in enumerate(each) for d in ids)
            assert expected and sorted(zip(docs.tolist(), which.tolist(), strict=True)) == expected
            top = [t for _, t in reader.most_frequent_terms(field, 20)]
            assert most_frequent(reader, field, 20) == top, field
