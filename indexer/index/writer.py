"""The Whoosh writer an indexing run uses: parallel segment writers that cannot lose documents."""

import numpy as np
from whoosh.index import Index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL, OPTIMIZE, SegmentWriter

from indexer.index.codec import PackedCodec
from indexer.index.orphans import die_with_parent
from indexer.index.pool import PackedPool

# Postings a segment writer holds in memory before it writes them out as a segment: the bound
# on each writer process's memory (its flush needs about as much again, briefly). 100,000
# documents of the benchmark make 10 segments (two writer processes).
SEGMENT_MB = 128
# A changed or deleted file's documents are only marked deleted in their segment; Whoosh's merge
# policy rewrites small segments only, so a large one kept its dead documents forever (the index
# grew at every incremental run). One whose dead share passes this is rewritten without them
# (at a fifth, 20 runs changing 1% of a corpus left its index 1.35x a fresh build's size).
PURGE_SHARE = 0.1


class _Packed:
    """A segment writer collecting postings in a PackedPool and writing them all at once; the
    postings of segments merged into it are copied at the end, term by term in bulk."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pool = PackedPool()
        self.merged: list[tuple] = []  # (segment, its documents' numbers here; -1 deleted)

    def add_postings_to_pool(self, reader, startdoc: int, docmap: dict | None) -> None:
        # Whoosh's merge (add_reader) passed every posting of a merged segment through the pool
        # one at a time: its stored fields are copied by then, its postings wait for the flush.
        if isinstance(reader, SegmentReader) and isinstance(reader.codec(), PackedCodec):
            count = reader.doc_count_all()
            if docmap is None:
                new = np.arange(startdoc, startdoc + count, dtype=np.int64)
            else:
                new = np.full(count, -1, np.int64)
                new[list(docmap)] = list(docmap.values())
            self.merged.append((reader.segment(), new))
        else:
            super().add_postings_to_pool(reader, startdoc, docmap)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        try:
            if self.merged and len(self.pool):
                self._merged_through_pool()  # documents added as well: seldom
            if self.merged:
                sources = [
                    (segment.codec().terms_reader(self.storage, segment), new)
                    for segment, new in self.merged
                ]
                try:
                    self.fieldwriter.write_merged(self.schema, lengths, sources)
                finally:
                    for terms, _ in sources:
                        terms.close()
            else:
                self.fieldwriter.write_pool(self.schema, lengths, self.pool)
        finally:
            lengths.close()
        self.fieldwriter.close()
        self.pool = PackedPool()
        self.merged = []

    def _merged_through_pool(self) -> None:
        for segment, new in self.merged:
            reader = SegmentReader(self.storage, self.schema, segment)
            try:
                docmap = {old: int(n) for old, n in enumerate(new.tolist()) if n >= 0}
                SegmentWriter.add_postings_to_pool(self, reader, 0, docmap)
            finally:
                reader.close()
        self.merged = []


class PackedSegmentWriter(_Packed, SegmentWriter):
    pass


class _Task(SubWriterTask):
    """Whoosh's writer process, writing a segment whenever its postings fill SEGMENT_MB (Whoosh's
    wrote one segment at the end, its pool spilling sorted runs to disk and merging them back)."""

    def run(self) -> None:
        die_with_parent()
        ix = self.storage.open_index(self.indexname)
        segments = []
        self.writer = PackedSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
            if self.writer.pool.memory() > SEGMENT_MB << 20:
                segments.append(self.writer._finalize_segment())
                self.writer = PackedSegmentWriter(ix, _lk=False, **self.kwargs)
        if not self.running:
            self.writer.cancel()
            return
        if self.writer.docnum:
            segments.append(self.writer._finalize_segment())
        else:
            self.writer._close_segment()
        # MpWriter expects one segment per process: _commit_toc below takes a list as well.
        self.resultqueue.put((None, set(), segments), timeout=5)


class CheckedMpWriter(_Packed, MpWriter):
    """Whoosh's MpWriter, refusing to commit when one of its segment writers failed.

    MpWriter's writer processes take documents in batches and each flush a segment of their own;
    one that dies (an exception, the OOM killer) leaves its segment out of the commit without a
    word. Here the commit is refused instead, so the run fails loudly and the last index stays;
    and the writer processes die with the run (see orphans.py).
    """

    def _new_task(self) -> SubWriterTask:
        task = _Task(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task

    def _commit_toc(self, segments):
        failed = [t.exitcode for t in self.tasks if t.exitcode != 0]
        if failed:
            raise RuntimeError(f"a segment writer process failed (exit codes {failed})")
        flat = []
        for segment in segments:
            flat.extend(segment if isinstance(segment, list) else [segment])
        super()._commit_toc(flat)


def open_writer(ix: Index, workers: int, schema_changed: bool) -> SegmentWriter:
    """A writer with one analysing process per worker, or a single one for a schema change."""
    # Segments stay separate files: a compound segment is copied into memory by every searcher.
    options = {"codec": PackedCodec(), "compound": False}
    if schema_changed or workers < 2:
        # MpWriter's processes re-read the schema from the index on disk, the old one here.
        return PackedSegmentWriter(ix, **options)
    # Analysis and Whoosh's pure-Python segment writing are most of a run: one process per core.
    return CheckedMpWriter(ix, procs=workers, multisegment=True, **options)


def merge_and_purge(writer: SegmentWriter, segments: list) -> list:
    """Whoosh's MERGE_SMALL, then every segment whose deleted documents pass PURGE_SHARE of it
    merged too (rewritten without them); the segments left as they are."""
    kept = []
    for segment in MERGE_SMALL(writer, segments):
        if segment.deleted_count() > PURGE_SHARE * segment.doc_count_all():
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        else:
            kept.append(segment)
    return kept


def compact(ix: Index) -> None:
    """Rewrite the index's segments as one. A run's writer processes leave a segment per
    SEGMENT_MB of postings each (10 for 100,000 documents), each with its own term dictionary
    (93 MB in all at 100,000 documents; one segment's, 23 MB), and a search looked up each term
    in every one."""
    with ix.reader() as reader:
        if reader.is_atomic():
            return
    PackedSegmentWriter(ix, codec=PackedCodec(), compound=False).commit(mergetype=OPTIMIZE)
