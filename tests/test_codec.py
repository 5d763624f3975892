"""leaksearch's segment format reads back what Whoosh's own W3 format reads back, term by term."""

import random

import pytest
from whoosh import index
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.query import Phrase, Term
from whoosh.writing import SegmentWriter

from indexer.index.codec import PackedCodec
from indexer.index.postings import BLOCK
from indexer.index.writer import PackedSegmentWriter

WORDS = [f"w{i}" for i in range(400)]


def _schema():
    return Schema(
        path=ID(stored=True, unique=True),
        body=TEXT(phrase=True),
        tags=KEYWORD(scorable=False),
        n=NUMERIC(stored=True),
    )


def _documents(count, seed):
    rng = random.Random(seed)
    for i in range(count):
        # Zipf-like: a few words in most documents (lists of many blocks), most words rare.
        words = [
            WORDS[min(int(rng.paretovariate(0.8)) - 1, 399)] for _ in range(rng.randint(0, 60))
        ]
        yield {
            "path": f"/d/{i}",
            "body": " ".join(words),
            "tags": " ".join(rng.sample(["a", "b", "c", "longer-tag"], rng.randint(0, 3))),
            "n": rng.randint(0, 10**6),
        }


def _build(path, writer_of, documents, deleted=()):
    path.mkdir()
    ix = index.create_in(path, _schema())
    writer = writer_of(ix)
    for doc in documents:
        writer.add_document(**doc)
    writer.commit()
    if deleted:
        writer = writer_of(ix)
        for i in deleted:
            writer.delete_by_term("path", f"/d/{i}")
        writer.commit()
    return ix


def _postings(ix):
    """Every term's statistics and postings, with each posting's value decoded."""
    found = {}
    with ix.searcher() as s:
        reader = s.reader()
        for field, text in reader.all_terms():
            info = reader.term_info(field, text)
            m = reader.postings(field, text)
            fmt = ix.schema[field].format
            postings = []
            while m.is_active():
                value = m.value()
                decoded = fmt.decode_positions(value) if field == "body" else value or b""
                postings.append((m.id(), m.weight(), decoded))
                m.next()
            stats = (
                info.doc_frequency(),
                info.weight(),
                info.min_id(),
                info.max_id(),
                info.max_weight(),
                info.min_length(),
                info.max_length(),
            )
            found[field, text] = (stats, postings)
    return found


WRITERS = {
    "packed pool": lambda ix: PackedSegmentWriter(ix, codec=PackedCodec(), compound=False),
    "whoosh pool": lambda ix: ix.writer(codec=PackedCodec(), compound=False),
}


@pytest.mark.parametrize("route", sorted(WRITERS))
def test_every_term_reads_back_as_whoosh_s_own_format(tmp_path, route):
    docs = list(_documents(700, seed=7))
    ours = _build(tmp_path / "ours", WRITERS[route], docs)
    w3 = _build(tmp_path / "w3", lambda ix: ix.writer(codec=W3Codec(), compound=False), docs)
    expected = _postings(w3)
    assert _postings(ours) == expected
    assert max(len(p) for _, p in expected.values()) > 3 * BLOCK  # lists of several blocks


def test_merged_segments_with_deletions_read_back_as_whoosh_s(tmp_path):
    docs = list(_documents(500, seed=3))
    parts, gone = [slice(0, 250), slice(250, 500)], range(0, 500, 7)
    ours = _segments_then_merged(
        tmp_path / "ours", PackedCodec(), PackedSegmentWriter, docs, parts, gone
    )
    w3 = _segments_then_merged(tmp_path / "w3", W3Codec(), SegmentWriter, docs, parts, gone)
    assert len(ours._segments()) == 1
    assert _postings(ours) == _postings(w3)


def _segments_then_merged(path, codec, writer_class, docs, parts, gone, added=()):
    """An index of one segment per part of docs, then merged into one by a writer that deletes
    the gone documents and adds the added ones."""
    path.mkdir()
    ix = index.create_in(path, _schema())
    for part in parts:
        writer = writer_class(ix, codec=codec, compound=False)
        for doc in docs[part]:
            writer.add_document(**doc)
        writer.commit(merge=False)
    writer = writer_class(ix, codec=codec, compound=False)
    for i in gone:
        writer.delete_by_term("path", f"/d/{i}")
    for doc in added:
        writer.add_document(**doc)
    writer.commit(optimize=True)
    return ix


@pytest.mark.parametrize("with_documents", [False, True])
def test_many_segments_merged_read_back_as_whoosh_s(tmp_path, with_documents):
    """Segments that only move (their terms copied as they are) and segments with deletions
    (decoded and renumbered), a term in one of them or in several, documents deleted down to
    none of some terms; and a writer that adds documents as it merges (through its pool)."""
    docs = list(_documents(1200, seed=17))
    parts = [slice(0, 300), slice(300, 310), slice(310, 800), slice(800, 1100)]
    gone = [*range(300, 310), *range(320, 800, 3)]  # all of a segment, a third of another
    added = docs[1100:] if with_documents else ()
    built = {
        name: _segments_then_merged(tmp_path / name, codec, cls, docs, parts, gone, added)
        for name, codec, cls in (
            ("ours", PackedCodec(), PackedSegmentWriter),
            ("w3", W3Codec(), SegmentWriter),
        )
    }
    assert len(built["ours"]._segments()) == 1
    expected = _postings(built["w3"])
    assert _postings(built["ours"]) == expected
    assert max(len(p) for _, p in expected.values()) > 3 * BLOCK
    with built["ours"].searcher() as a, built["w3"].searcher() as b:
        assert list(a.documents()) == list(b.documents())


def test_skipping_phrases_and_scores_agree_with_whoosh_s(tmp_path):
    docs = list(_documents(900, seed=11))
    ours = _build(tmp_path / "ours", WRITERS["packed pool"], docs, deleted=range(5, 900, 13))
    w3 = _build(
        tmp_path / "w3",
        lambda ix: ix.writer(codec=W3Codec(), compound=False),
        docs,
        deleted=range(5, 900, 13),
    )
    queries = [
        Term("body", "w0"),
        Term("body", "w3"),
        Term("tags", "b"),
        Phrase("body", ["w0", "w1"]),
        Phrase("body", ["w2", "w0", "w0"]),
    ]
    for q in queries:
        with ours.searcher() as a, w3.searcher() as b:
            ra, rb = a.search(q, limit=None), b.search(q, limit=None)
            assert [(h.docnum, round(h.score, 4)) for h in ra] == [
                (h.docnum, round(h.score, 4)) for h in rb
            ], q
            # Top 10 by block-quality skipping (Whoosh's optimised collector) as by scoring all.
            assert [h.docnum for h in a.search(q, limit=10)] == [h.docnum for h in ra[:10]], q
    with ours.reader() as reader:
        every = list(reader.postings("body", "w0").all_ids())
        for target in (0, 130, 450, 899):
            m = reader.postings("body", "w0")
            m.skip_to(target)
            assert m.id() == min(d for d in every if d >= target)


def test_terms_iterate_and_look_up_in_order(tmp_path):
    ix = _build(tmp_path / "ix", WRITERS["packed pool"], list(_documents(300, seed=5)))
    with ix.reader() as reader:
        terms = list(reader.all_terms())
        assert terms == sorted(terms)
        assert [t for t in reader.lexicon("body")] == sorted(t for f, t in terms if f == "body")
        assert list(reader.expand_prefix("body", "w1")) == sorted(
            t for f, t in terms if f == "body" and t.startswith(b"w1")
        )
        assert ("body", b"w0") in reader._terms and ("body", b"nope") not in reader._terms
        assert reader.doc_frequency("body", "nope") == 0
        cursor = reader.cursor("body")
        assert cursor.find("w2") == "w2" and cursor.next() > "w2"


def test_field_lengths_read_at_once_are_whoosh_s(tmp_path):
    ix = index.create_in(tmp_path, Schema(a=TEXT, b=TEXT))
    writer = PackedSegmentWriter(ix, codec=PackedCodec(), compound=False)
    for i in range(300):
        # b is left out of the last documents: its column stops before the segment's end.
        fields = {"a": " ".join(["word"] * (i % 40 + 1))}
        if i < 200:
            fields["b"] = "text " * (i % 7 + 1)
        writer.add_document(**fields)
    writer.commit()
    [segment] = ix._segments()
    ours = PackedCodec().per_document_reader(ix.storage, segment)
    whoosh = W3PerDocReader(ix.storage, segment)
    try:
        for field in ("a", "b"):
            expected = [whoosh.doc_field_length(n, field) for n in range(300)]
            assert [ours.doc_field_length(n, field) for n in range(300)] == expected
            assert isinstance(ours._lengths[field], list)  # read at once after the first few
    finally:
        ours.close()
        whoosh.close()
