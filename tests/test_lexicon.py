"""The pinyin lexicon beside the index: what indexing runs write to it, and what typed pinyin
reads in it (real indexes, real SQLite)."""

import re
import sqlite3

import pytest

from indexer.analyse.analysis import PAIR
from indexer.index import lexicon
from indexer.index.build import build_index
from indexer.search.search import Filters, search


def found(index_dir, typed: str) -> set[str]:
    return {h.path for h in search(index_dir, typed, Filters(), pagelen=100).hits}


def files_of(index_dir, term: str) -> int:
    db = sqlite3.connect(index_dir / lexicon.FILE)
    [(n,)] = db.execute(
        "SELECT MAX(files) FROM readings WHERE kind = ? AND term = ?", (PAIR, term)
    ).fetchall()
    db.close()
    return n or 0


@pytest.fixture
def corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {
        "bank.txt": "他在银行工作，行长姓王。",
        "pay.txt": "这个月发工资了，出事了。",
        "files.txt": "把资料发给安洵信息的人。",
        "apart.txt": "安洵的同事说信息已经收到。",
        "green.txt": "绿色的网站",
    }
    for name, text in texts.items():
        (corpus / name).write_text(text, "utf-8")
    return corpus


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("yinhang", {"bank.txt"}),
        ("hangzhang", {"bank.txt"}),  # 行长 read in its word: hang zhang, not xing chang
        ("ziliao", {"files.txt"}),  # not 工资了: 了 alone is le
        ("anxunxinxi", {"files.txt"}),  # a chain of bigrams, not 安洵 and 信息 apart
        ("anxun", {"files.txt", "apart.txt"}),
        ("lvse", {"green.txt"}),
        ("luse", {"green.txt"}),
        ("ax", {"files.txt", "apart.txt"}),
        ("axxx", {"files.txt"}),
        ("xun", {"files.txt", "apart.txt"}),  # one syllable: any character that reads so
    ],
)
def test_typed_pinyin_finds_the_chinese_that_reads_so(corpus, tmp_path, typed, expected):
    build_index(corpus, tmp_path / "index")
    assert found(tmp_path / "index", typed) == expected


def test_a_match_is_marked_on_the_characters_it_was_read_as(corpus, tmp_path):
    build_index(corpus, tmp_path / "index")
    [hit] = search(tmp_path / "index", "anxunxinxi", Filters()).hits
    assert re.findall("<mark>(.*?)</mark>", str(hit.snippet)) == ["安洵信息"]


def test_incremental_runs_add_readings_and_a_rebuild_recounts_them(corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    assert files_of(index_dir, "安洵") == 2
    (corpus / "new.txt").write_text("渗透测试由安洵负责", "utf-8")
    build_index(corpus, index_dir)
    assert found(index_dir, "shentou") == {"new.txt"}
    assert files_of(index_dir, "安洵") == 3
    build_index(corpus, index_dir)  # unchanged: nothing counted twice
    assert files_of(index_dir, "安洵") == 3
    (corpus / "new.txt").unlink()
    build_index(corpus, index_dir)
    # A reading of a term no longer in the index stays, and matches nothing.
    assert found(index_dir, "shentou") == set()
    build_index(corpus, index_dir, rebuild=True)
    assert files_of(index_dir, "安洵") == 2
    assert files_of(index_dir, "渗透") == 0
    assert not (index_dir / "readings.new").exists()


def test_a_failed_rebuild_keeps_the_readings_of_the_index_it_leaves(corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    (corpus / "files.txt").write_text("完全不同的内容", "utf-8")
    added = []

    def crash_on_the_second_file(self, entries):
        added.append(entries)
        if len(added) == 2:
            raise KeyboardInterrupt  # the user stops the run

    monkeypatch.setattr(lexicon.LexiconWriter, "add", crash_on_the_second_file)
    with pytest.raises(KeyboardInterrupt):
        build_index(corpus, index_dir, rebuild=True)
    monkeypatch.undo()
    assert found(index_dir, "anxunxinxi") == {"files.txt"}  # the old index, read as before
    assert not (index_dir / "readings.new").exists()


def test_an_index_without_its_lexicon_finds_no_pinyin_and_does_not_fail(corpus, tmp_path):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    assert found(index_dir, "xinxi") == {"files.txt", "apart.txt"}
    (index_dir / lexicon.FILE).unlink()
    assert found(index_dir, "xinxi") == set()
    assert found(index_dir, "信息") == {"files.txt", "apart.txt"}


def test_expansions_are_capped_to_the_terms_in_most_files(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # 是 shi begins many bigrams; the cap keeps those seen in the most files.
    for i, tail in enumerate("一二三四五六七八九十"):
        (corpus / f"{i}.txt").write_text(f"是{tail}是的", "utf-8")
    build_index(corpus, tmp_path / "index")
    top = lexicon.terms(tmp_path / "index", PAIR, "shi_", 1, prefix=True)
    assert top == ["是的"]


def test_a_reading_of_many_words_is_matched_as_one_union_and_marked(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    tails = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"
    for i, tail in enumerate(tails):
        (corpus / f"{i:02}.txt").write_text(f"他说是{tail}。", "utf-8")
    (corpus / "other.txt").write_text("没有那个字", "utf-8")
    build_index(corpus, tmp_path / "index")
    hits = search(tmp_path / "index", "shi", Filters(), pagelen=100).hits
    assert {h.path for h in hits} == {f"{i:02}.txt" for i in range(len(tails))}
    assert all("<mark>是" in str(h.snippet) for h in hits)
