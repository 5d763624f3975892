"""English <-> Chinese expansion through CC-CEDICT and the domain table (translate.py), and its
place in the expanded query, run over the real sample index."""

import contextlib
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import query as Q

from indexer.search import translate
from indexer.search.query import QueryError, Translated, expand_query
from indexer.search.search import Filters, get_document, search
from indexer.search.translate import DOMAIN, WHOLE, Options, Translation, choose, english, norm

DOCS = Filters(include={"kind": ("document",)})
ROOT = Path(__file__).parent.parent


def words(found) -> list[str]:
    return [t.word for t in found]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ministry of Foreign Affairs", "外交部"),
        ("public security bureau", "公安局"),
        ("trojan", "木马"),
        ("telecom operator", "运营商"),
        ("salary", "工资"),
        ("chat log", "聊天记录"),
        ("call records", "话单"),
        ("compromised host", "肉鸡"),
        ("penetration", "渗透"),
        ("remote control", "远控"),
    ],
)
def test_the_issue_examples_translate(typed, expected):
    assert expected in words(english(tuple(typed.split()), run=" " in typed))


def test_a_leading_word_matches_as_a_prefix_across_the_senses_of_one_entry():
    # 运营商: operator (of a power station ...) / carrier (telecommunications etc): neither sense
    # has both words, and telecom is the start of telecommunications.
    assert "运营商" in words(translate.english(("telecom", "operators"), run=True))
    assert "运营商" not in words(translate.english(("operator", "telecom"), run=True))


def test_a_whole_sense_ranks_before_a_word_inside_a_longer_sense():
    found = english(("hospital",))
    assert found[0].word == "医院" and found[0].tier == WHOLE
    assert all(t.tier > WHOLE for t in found[1:])  # 住院 to be in hospital, 病床 hospital bed


def test_a_lesser_sense_is_not_a_whole_match():
    # 用户: user / consumer / subscriber / customer; 客户: client / customer.
    tiers = {t.word: t.tier for t in english(("customer",))}
    assert tiers["客户"] == WHOLE and tiers["用户"] > WHOLE


def test_a_verb_sense_is_not_a_whole_match_for_a_noun():
    tiers = {t.word: t.tier for t in english(("project",))}
    assert tiers["项目"] == WHOLE and tiers["投影"] > WHOLE  # 投影: to project


@pytest.mark.parametrize("typed", ["the", "of", "and", "it", "in", "to"])
def test_stop_words_are_never_translated(typed):
    assert english((typed,)) == ()
    assert expand_query(typed)[1] == ()


def test_a_run_with_a_stop_word_only_matches_a_sense_holding_its_other_words():
    assert english(("of", "the")) == ()
    assert "外交部" in words(english(("Ministry", "of", "Foreign", "Affairs"), run=True))


def test_the_domain_table_comes_first_and_replaces_the_dictionary_for_its_words():
    found = english(("server",))
    assert words(found) == ["服务器"] and found[0].tier == DOMAIN  # not 服务生, a waiter


def test_single_characters_and_latin_headwords_are_not_translations():
    assert all(len(t.word) > 1 for t in english(("horse",)))
    assert all(not t.word.isascii() for t in english(("computer",)))


def test_plurals_fold_to_the_singular():
    assert [norm(w) for w in ("salaries", "bureaus", "Servers")] == ["salary", "bureau", "server"]
    assert [norm(w) for w in ("virus", "status", "analysis", "boss")] == [
        "virus",
        "status",
        "analysis",
        "boss",
    ]
    assert words(english(("salaries",))) == words(english(("salary",)))


def test_choose_keeps_the_best_tier_the_index_holds_most_frequent_first_and_caps():
    candidates = tuple(Translation(w, "", "", WHOLE) for w in ["甲乙", "丙丁", "戊己", "庚辛"])
    counts = {"甲乙": 3, "丙丁": 9, "戊己": 0, "庚辛": 5}
    assert words(choose(candidates, counts.__getitem__, 2)) == ["丙丁", "庚辛"]
    worse = (*candidates, Translation("壬癸", "", "", WHOLE + 1))
    assert "壬癸" not in words(choose(worse, lambda w: 1, 9))
    # the best tier the index holds, even if a better one exists in the dictionary
    assert words(choose(worse, lambda w: 4 if w == "壬癸" else 0, 3)) == ["壬癸"]


def test_choose_leaves_out_a_word_that_holds_another_chosen_one():
    found = [Translation(w, "", "", WHOLE) for w in ["木马", "木马病毒"]]
    assert words(choose(tuple(found), lambda w: 1, 3)) == ["木马"]
    phrases = [Translation(w, "", "", WHOLE) for w in ["police", "police officer"]]
    assert words(choose(tuple(phrases), lambda w: 1, 3)) == ["police"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("医院", ["hospital"]),
        ("數據", ["data"]),  # Traditional folds to the Simplified headword
        ("服务器", ["server"]),
        ("聊天记录", ["chat log", "chat record", "chat history"]),
    ],
)
def test_a_chinese_word_with_one_short_sense_finds_its_english(typed, expected):
    assert words(translate.chinese(typed)) == expected


@pytest.mark.parametrize("typed", ["资料", "大学", "项目", "邮件", "发票", "安洵", "女"])
def test_a_chinese_word_with_several_senses_is_not_translated(typed):
    # 资料 material/resources/data/...; 大学 two entries; 女 one character
    assert translate.chinese(typed) == ()


def test_translations_are_searched_below_the_typed_words(sample_index):
    q, notes = expand_query("hospital")
    assert any(isinstance(s, Translated) for s in q.subqueries)
    results = search(sample_index, "hospital", DOCS, pagelen=100)
    typed = {h.path for h in search(sample_index, '"hospital"', DOCS, pagelen=100).hits}
    ranks = [h.path in typed for h in results.hits]
    assert ranks == sorted(ranks, reverse=True) and True in ranks and False in ranks


def test_the_expansion_lists_only_what_the_index_holds(sample_index):
    results = search(sample_index, "hospital", DOCS)
    (note,) = [e for e in results.expansions if e.kind == "translation"]
    assert note.searched == ("医院",)  # not 住院, 病床 ...: the index has none of them
    assert note.translations[0].reading == "yīyuàn"
    assert note.to_json()["translations"][0] == {
        "word": "医院",
        "reading": "yīyuàn",
        "gloss": "hospital; CL:所[suo3],家[jia1],座[zuo4]",
    }


def test_a_translation_the_index_lacks_is_not_listed(sample_index):
    # 特洛伊木马 and 木马病毒 are not in the sample; 木马 is.
    results = search(sample_index, "trojan", DOCS)
    assert [e.searched for e in results.expansions] == [("木马",)]


def test_translation_off_and_dropped_translations(sample_index):
    on = {h.path for h in search(sample_index, "hospital", DOCS, pagelen=100).hits}
    off = search(sample_index, "hospital", DOCS, pagelen=100, translation=Options(on=False))
    dropped = search(
        sample_index, "hospital", DOCS, pagelen=100, translation=Options(True, frozenset({"医院"}))
    )
    assert off.expansions == () and {h.path for h in off.hits} < on
    assert {h.path for h in dropped.hits} == {h.path for h in off.hits}
    assert dropped.expansions == ()


def test_the_document_page_marks_the_translation(sample_index):
    path = "docs/4b7e2c91-6a3d-4f58-8e10-d2c6a9b5f374.md"
    doc = get_document(sample_index, path, "trojan")
    assert "<mark>木马</mark>" in str(doc.text_html)
    plain = get_document(sample_index, path, "trojan", translation=Options(on=False))
    assert "<mark>" not in str(plain.text_html)


def test_a_quoted_word_is_not_translated():
    q, notes = expand_query('"hospital"')
    assert notes == () and not any(isinstance(s, Translated) for s in q.leaves())


def test_a_chinese_query_finds_english_documents(sample_index):
    found = {h.path for h in search(sample_index, "木马", DOCS, pagelen=100).hits}
    assert "notes/analyst_note_07_tooling.txt" in found  # trojan, in English only


def test_importing_the_search_does_not_load_the_dictionary():
    code = (
        "import indexer.cli, indexer.search.query, search_web.views\n"
        "from indexer.analyse import dictionary\n"
        "assert dictionary._text.cache_info().currsize == 0\n"
        "from indexer.search.query import expand_query\n"
        "expand_query('\"安洵\" anxun wjb')\n"  # quoted, pinyin, initials: no dictionary
        "assert dictionary._text.cache_info().currsize == 0\n"
        "expand_query('salary')\n"  # the domain table knows it: no dictionary yet
        "assert dictionary._text.cache_info().currsize == 0\n"
        "expand_query('hospital')\n"
        "assert dictionary._text.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_query_is_an_or_of_typed_words_and_translations():
    q, _ = expand_query("telecom operator")
    assert isinstance(q, Q.Or)
    typed, translated = q.subqueries
    assert isinstance(translated, Translated) and translated.typed == "telecom operator"
    assert isinstance(typed, Q.And)


@pytest.mark.parametrize("text", ["''", '""', "'", "text:''"])
def test_an_empty_quoted_word_is_no_translation(text):
    # An empty word once reached the dictionary and raised IndexError (a 500 on the page).
    with contextlib.suppress(QueryError):
        expand_query(text)


@pytest.mark.parametrize("text", ["India", "印度", "Vietnam", "i-Soon"])
def test_a_known_name_is_searched_as_its_names_not_translated(text):
    # The dictionary read India as 中印, 印巴, 新德里 ... (in an index of news: 98 more documents
    # than 印度 itself); a country's or organisation's names say it precisely.
    _, notes = expand_query(text)
    assert any(n.kind == "names" for n in notes)
    assert not any(n.kind == "translation" for n in notes)
