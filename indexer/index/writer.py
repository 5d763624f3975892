"""The Whoosh writer an indexing run uses: parallel segment writers that cannot lose documents."""

from whoosh.index import Index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL, SegmentWriter

from indexer.index.codec import LeakCodec
from indexer.index.orphans import die_with_parent

_POOL_MB = 128  # posting buffer of each segment writer before it spills a sorted run to disk
# A changed or deleted file's documents are only marked deleted in their segment; Whoosh's merge
# policy rewrites small segments only, so a large one kept its dead documents forever (the index
# grew at every incremental run). One whose dead share passes this is rewritten without them
# (at a fifth, 20 runs changing 1% of a corpus left its index 1.35x a fresh build's size).
PURGE_SHARE = 0.1


class _Task(SubWriterTask):
    def run(self) -> None:
        die_with_parent()
        super().run()


class CheckedMpWriter(MpWriter):
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
        super()._commit_toc(segments)


def open_writer(ix: Index, workers: int, schema_changed: bool) -> SegmentWriter:
    """A writer with one analysing process per worker, or a single one for a schema change."""
    # Segments stay separate files: a compound segment is copied into memory by every searcher.
    options = {"limitmb": _POOL_MB, "codec": LeakCodec(), "compound": False}
    if schema_changed or workers < 2:
        # MpWriter's processes re-read the schema from the index on disk, the old one here.
        return SegmentWriter(ix, **options)
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
