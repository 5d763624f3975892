"""Indexing runs: parallel workers, time limits, nothing lost, atomic updates, kill -9."""

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.matching import ListMatcher

from indexer.extract import EXTRACTORS
from indexer.index.build import Progress, build_index, read_failures
from indexer.index.pipeline import BuildOptions
from indexer.index.progress import progress_reporter
from indexer.index.writer import PURGE_SHARE
from indexer.search.search import Filters, search
from tests.chatgen import chat_log
from tests.conftest import CORPUS, copy_text_corpus


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def indexed_roots(index_dir: Path) -> set[str]:
    docs = Filters(include={"kind": ("document",)})
    first = search(index_dir, "", docs, pagelen=100)
    hits = list(first.hits)
    for page in range(2, first.pages + 1):
        hits += search(index_dir, "", docs, page=page, pagelen=100).hits
    return {h.path.split("!/")[0] for h in hits}


def test_every_file_is_indexed_or_listed(sample_index):
    failures = read_failures(sample_index)
    failed = {f.path for f in failures if "!/" not in f.path}
    assert indexed_roots(sample_index) | failed == files_under(CORPUS)
    assert not indexed_roots(sample_index) & failed
    assert all(f.reason for f in failures)


def test_workers_give_the_same_index_as_one(tmp_path):
    corpus, one, two = copy_text_corpus(tmp_path / "corpus"), tmp_path / "one", tmp_path / "two"
    build_index(corpus, one, options=BuildOptions(workers=1))
    build_index(corpus, two, options=BuildOptions(workers=2))
    for q in ("安洵", "India", "anxun", ""):
        a, b = search(one, q, pagelen=100), search(two, q, pagelen=100)
        assert a.total == b.total and a.facets == b.facets


def test_writer_processes_write_a_segment_per_memory_budget_then_one(tmp_path, monkeypatch):
    # Writer processes are forked: they see the budget set here (0: a segment per batch).
    monkeypatch.setattr("indexer.index.writer.SEGMENT_MB", 0)
    corpus, one, many = copy_text_corpus(tmp_path / "corpus"), tmp_path / "one", tmp_path / "many"
    build_index(corpus, one, options=BuildOptions(workers=1))
    build_index(corpus, many, options=BuildOptions(workers=2))
    assert len(whoosh_index.open_dir(many)._segments()) == 1  # the run's segments made one
    kept = tmp_path / "kept"
    monkeypatch.setattr("indexer.index.build.compact", lambda ix: None)
    build_index(corpus, kept, options=BuildOptions(workers=2))
    assert len(whoosh_index.open_dir(kept)._segments()) > 2
    for q in ("安洵", "India", "anxun", "", '"remote access"', "zg", "的"):
        a, b, c = (search(ix, q, pagelen=100) for ix in (one, many, kept))
        assert a.total == b.total == c.total and a.facets == b.facets == c.facets
        assert a.timeline == b.timeline == c.timeline
        if q:  # the empty query's first page is a tie of its 338 documents
            assert sorted(h.path for h in a.hits) == sorted(h.path for h in b.hits)
        if q not in ("", "的"):  # 的: a log's hit gathers its messages of the page, near ties
            # Whoosh's merge keeps the field lengths it copies as their one-byte approximations,
            # so the average lengths BM25 divides by move a little.
            scores = [{(h.path, h.title): h.score for h in r.hits} for r in (b, c)]
            assert scores[0].keys() == scores[1].keys()
            kept_scores = pytest.approx([scores[1][k] for k in scores[0]], rel=0.02)
            assert list(scores[0].values()) == kept_scores


def _hang(data: bytes):
    time.sleep(60)


def test_a_hung_extractor_is_stopped_and_the_run_goes_on(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "stuck.hang").write_bytes(b"never finishes")
    (corpus / "fine.txt").write_text("安洵 fine", encoding="utf-8")
    monkeypatch.setitem(EXTRACTORS, ".hang", _hang)  # workers fork and inherit the table
    started = time.monotonic()
    report = build_index(corpus, tmp_path / "ix", options=BuildOptions(workers=2, timeout=5))
    assert time.monotonic() - started < 30
    assert (report.added, report.failed) == (1, 1)
    [failure] = read_failures(tmp_path / "ix")
    assert failure.path == "stuck.hang" and "longer than 5 s" in failure.reason


def test_large_files_are_listed_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with (corpus / "huge.txt").open("wb") as f:  # sparse: no disk used
        f.truncate(3 * 2**20)
    build_index(corpus, tmp_path / "ix", options=BuildOptions(max_file_mb=1))
    [failure] = read_failures(tmp_path / "ix")
    assert "larger than 1 MB" in failure.reason


def test_search_during_reindex_answers_from_the_previous_index(tmp_path):
    corpus = copy_text_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "ix"
    build_index(corpus, index_dir)
    before = search(index_dir, "安洵").total
    for i in range(40):
        (corpus / f"new-{i}.txt").write_text(f"安洵 新文件 {i} " * 200, encoding="utf-8")
    errors, totals = [], []
    worker = threading.Thread(target=lambda: build_index(corpus, index_dir))
    worker.start()
    while worker.is_alive():
        try:
            totals.append(search(index_dir, "安洵").total)
        except Exception as e:  # noqa: BLE001 - any error here is the failure under test
            errors.append(e)
    worker.join()
    assert errors == []
    assert set(totals) <= {before, before + 40}
    assert search(index_dir, "安洵").total == before + 40


def _bulk_corpus(root: Path, copies: int) -> None:
    for i in range(copies):
        copy_text_corpus(root / f"copy{i:03d}")
        for path in (root / f"copy{i:03d}").rglob("*.md"):
            path.write_bytes(path.read_bytes() + f"\n\nunique-{i}-{path.name}\n".encode())


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_kill_9_leaves_a_usable_index_and_the_next_run_completes(tmp_path, delay):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "ix"
    _bulk_corpus(corpus, 4)
    cmd = [sys.executable, "-m", "indexer.cli", "index", str(corpus), "--index", str(index_dir)]
    build_index(copy_text_corpus(tmp_path / "small"), index_dir)  # must survive the kill
    proc = subprocess.Popen(
        [*cmd, "--rebuild"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    search(index_dir, "安洵")  # still opens and answers
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "added" in done.stdout
    failed = {f.path for f in read_failures(index_dir) if "!/" not in f.path}
    assert indexed_roots(index_dir) | failed == files_under(corpus)


def test_progress_is_plain_log_lines_when_not_on_a_terminal():
    stream = io.StringIO()
    update, close = progress_reporter(stream)
    update(Progress(1, 4, 2**20, 4 * 2**20))  # too soon after the start for a line
    update(Progress(4, 4, 4 * 2**20, 4 * 2**20))  # the last file always gets one
    close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("indexed 4/4 files, 4.0/4.0 MB")
    assert "elapsed" in lines[0] and "ETA" in lines[0]


ROUNDS = "一二三四五六七八九十"


def test_many_incremental_runs_keep_the_index_free_of_dead_documents(tmp_path):
    # Files arrive and change between runs. A changed file's old documents are only marked
    # deleted: without a purge they stayed forever (the index grew at every run), and Whoosh's
    # merge of small segments, reached around the seventh run, crashed on the codec's inlined
    # postings (ListMatcher gave "" for a value, indexer/index/whoosh_fixes.py).
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    (corpus / "chat").mkdir(parents=True)
    for n in range(4):
        (corpus / "chat" / f"{n}.md").write_text(chat_log(40, n), "utf-8")
    build_index(corpus, index_dir)
    for run in range(10):
        (corpus / "chat" / f"{run % 4}.md").write_text(
            chat_log(40, 100 + run) + f"第{ROUNDS[run]}轮", "utf-8"
        )
        build_index(corpus, index_dir)
        with whoosh_index.open_dir(index_dir).searcher() as searcher:
            reader = searcher.reader()
            assert reader.doc_count() == 4 * 41
            assert reader.doc_count_all() <= reader.doc_count() * (1 + PURGE_SHARE)
        found = search(index_dir, f"第{ROUNDS[run]}轮", Filters(include={"kind": ("document",)}))
        assert found.total == 1


def test_a_short_posting_list_gives_bytes_values():
    assert ListMatcher([1, 5], [1.0, 1.0]).value() == b""
