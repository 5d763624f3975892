"""The segment format's lengths: read at once, the same as Whoosh reads them one by one."""

from whoosh import index
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.fields import TEXT, Schema

from indexer.index.codec import PackedCodec


def test_field_lengths_read_at_once_are_whoosh_s(tmp_path):
    ix = index.create_in(tmp_path, Schema(a=TEXT, b=TEXT))
    writer = ix.writer(codec=PackedCodec(), compound=False)  # as indexing runs write them
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
