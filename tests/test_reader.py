"""Searchers kept open between searches: reused while the index is unchanged, never stale."""

import shutil
import threading
from pathlib import Path

import pytest

from indexer.index import reader
from indexer.index.build import build_index
from indexer.search.search import search


def _corpus(root: Path, files: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        (root / f"f{i}.txt").write_text(f"安洵 样本文件 number{i}", encoding="utf-8")
    return root


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """The index folders opened from disk (rather than reused from the pool)."""
    calls = []
    original = reader.open_index

    def counting(index_dir):
        calls.append(index_dir)
        return original(index_dir)

    monkeypatch.setattr(reader, "open_index", counting)
    return calls


def test_a_searcher_is_reused_while_the_index_is_unchanged(tmp_path, opened):
    index_dir = tmp_path / "ix"
    build_index(_corpus(tmp_path / "c", 3), index_dir)
    totals = [search(index_dir, "安洵").total for _ in range(5)]
    assert totals == [3] * 5
    assert opened == [index_dir]


def test_a_new_commit_is_searched_at_once(tmp_path, opened):
    corpus, index_dir = _corpus(tmp_path / "c", 3), tmp_path / "ix"
    build_index(corpus, index_dir)
    assert search(index_dir, "安洵").total == 3
    _corpus(corpus, 5)
    build_index(corpus, index_dir)
    assert search(index_dir, "安洵").total == 5
    assert search(index_dir, "number4").total == 1
    (corpus / "f0.txt").unlink()
    build_index(corpus, index_dir)
    assert search(index_dir, "安洵").total == 4
    assert len(opened) == 3


def test_an_index_rebuilt_from_scratch_is_not_mistaken_for_the_old_one(tmp_path):
    # A new index in the same folder starts again at the same generation: the pool must tell
    # the two apart by the file.
    index_dir = tmp_path / "ix"
    build_index(_corpus(tmp_path / "a", 3), index_dir)
    assert search(index_dir, "安洵").total == 3
    shutil.rmtree(index_dir)
    other = tmp_path / "b"
    other.mkdir()
    (other / "x.txt").write_text("另一个 语料", encoding="utf-8")
    build_index(other, index_dir)
    assert search(index_dir, "安洵").total == 0
    assert search(index_dir, "语料").total == 1


def test_concurrent_searches_each_get_their_own_searcher(tmp_path):
    corpus, index_dir = _corpus(tmp_path / "c", 40), tmp_path / "ix"
    build_index(corpus, index_dir)
    queries = ["安洵", "样本", "number7", "anxun", "yangben"]
    expected = {q: search(index_dir, q).total for q in queries}
    errors, seen = [], []

    def run():
        try:
            for _ in range(15):
                for q in queries:
                    seen.append((q, search(index_dir, q).total))
        except Exception as e:  # noqa: BLE001 - any error here is the failure under test
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(total == expected[q] for q, total in seen)
    assert len(reader._POOL._idle[index_dir]) <= reader._Pool.PER_INDEX


def test_a_searcher_that_failed_is_closed_not_kept(tmp_path):
    index_dir = tmp_path / "ix"
    build_index(_corpus(tmp_path / "c", 2), index_dir)
    search(index_dir, "安洵")
    [(_, used)] = reader._POOL._idle[index_dir]

    def broken(searcher):
        raise OSError("disk went away")

    with pytest.raises(OSError):
        reader.read_index(index_dir, broken)
    assert used.is_closed
    assert reader._POOL._idle[index_dir] == []
    assert search(index_dir, "安洵").total == 2
