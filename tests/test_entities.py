"""People and organisations: the extraction rules, their precision and recall on a labelled
sample, and the person and org facets, filters and options of a real index."""

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from whoosh import index as whoosh_index

from indexer.classify.entities import (
    address_entities,
    chinese_names,
    find_entities,
    merge_pinyin,
    normalize_org,
    normalize_person,
    sender_person,
)
from indexer.cli import main
from indexer.index.build import build_index
from indexer.index.options import BuildOptions
from indexer.search.filters import Filters
from indexer.search.search import search
from search_web import create_app

LABELLED = Path(__file__).parent / "data" / "entities_labelled.tsv"
# Floors under the measured precision and recall of the whole sample (persons 0.96 / 0.93,
# organisations 0.94 / 0.94 when written): a rule change that costs more fails here.
FLOORS = {"person": (0.92, 0.88), "org": (0.90, 0.90)}


def labelled_rows() -> list[dict[str, str]]:
    lines = [line for line in LABELLED.read_text("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def scores(kind: str, prefixes: tuple[str, ...] = ("",)) -> tuple[float, float, int]:
    """Precision, recall and number of labelled names of one kind over the sample's rows."""
    hit = found_n = labelled_n = 0
    for row in labelled_rows():
        if not row["id"].startswith(prefixes):
            continue
        found = find_entities(row["text"])
        got = set(found.persons if kind == "person" else found.orgs)
        want = {n for n in (row[f"{kind}s"] or "").split("|") if n}
        hit, found_n, labelled_n = hit + len(got & want), found_n + len(got), labelled_n + len(want)
    return hit / found_n, hit / labelled_n, labelled_n


@pytest.mark.parametrize("kind", ["person", "org"])
def test_precision_and_recall_on_the_labelled_sample(kind):
    precision, recall, labelled = scores(kind)
    for language in (("zh", "hz"), ("en", "he")):
        p, r, n = scores(kind, language)
        print(f"{kind} {language[0]}: precision {p:.2f} recall {r:.2f} over {n} names")
    print(f"{kind}: precision {precision:.2f} recall {recall:.2f} over {labelled} names")
    assert labelled >= 40
    least_precision, least_recall = FLOORS[kind]
    assert precision >= least_precision
    assert recall >= least_recall


def test_the_sample_holds_both_languages_and_texts_without_names():
    rows = labelled_rows()
    assert sum(r["id"].startswith(("zh", "hz")) for r in rows) >= 25
    assert sum(r["id"].startswith(("en", "he")) for r in rows) >= 25
    assert sum(not r["persons"] and not r["orgs"] for r in rows) >= 8


@pytest.mark.parametrize(
    ("text", "persons"),
    [
        ("王总说这个项目下周交付。", ()),  # a family name alone is nobody in particular
        ("这份文明公约大家都明白，祝福各位。", ()),  # words jieba tags as names
        ("犯罪嫌疑人蔡某已被抓获。", ()),  # 某: a name withheld
        ("張志強說明天開會。", ("张志强",)),  # Traditional folded to Simplified
        ("会议由赵建国主持。", ("赵建国",)),  # jieba cuts 赵 / 建国: joined again
        ("总理李鹏出席。", ("李鹏",)),  # a two-character dictionary word beside a title
        ("Mr. Wu Haibo met Dr John Smith.", ("Wu Haibo", "John Smith")),
        ("Director General Wang Yi spoke.", ("Wang Yi",)),  # titles before the name dropped
        ("He Said he was busy; You Can see it.", ()),  # English words, not pinyin names
        ("Samples from Hong Kong and Bei Jing.", ()),  # places in the stop list
        ("Zhang Xiaoming sent the list.", ("Zhang Xiaoming",)),  # pinyin without a title
        ("Mr Smith called.", ()),  # one word after a title: a surname alone
    ],
)
def test_person_rules(text, persons):
    assert find_entities(text).persons == persons


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("上海安洵信息技术有限公司的员工", ("上海安洵信息技术有限公司",)),
        ("公安部第三研究所的王伟", ("公安部第三研究所",)),
        ("請聯繫中華人民共和國外交部", ("中华人民共和国外交部",)),
        ("请发到技术部，公司会处理。", ()),  # generic words: a department, "the company"
        ("西南地区东部有雨。", ()),  # 东部 "the east" ends like an organisation
        (
            "Sichuan Anxun Information Technology Co., Ltd. sells it.",
            ("Sichuan Anxun Information Technology Co Ltd",),
        ),
        ("Ministry of Foreign Affairs and Trade", ("Ministry of Foreign Affairs and Trade",)),
        (
            "The Chinese Academy of Sciences and Tsinghua University",
            ("Chinese Academy of Sciences", "Tsinghua University"),
        ),
        ("The Chengdu Public Security Bureau replied.", ("Chengdu Public Security Bureau",)),
        ("The Ministry said so.", ()),  # an organisation word alone names none
    ],
)
def test_org_rules(text, orgs):
    assert find_entities(text).orgs == orgs


def test_pinyin_is_written_as_the_one_chinese_name_of_the_text_that_reads_so():
    assert find_entities("Wu Haibo (吴海波) founded it.").persons == ("吴海波",)
    assert find_entities("Wu Haibo founded it.").persons == ("Wu Haibo",)
    # Two Chinese names read wu haibo: pinyin cannot tell which one it is.
    assert merge_pinyin(["吴海波", "伍海波", "Wu Haibo"]) == ("吴海波", "伍海波", "Wu Haibo")
    assert merge_pinyin(["Chen Cheng", "陈诚", "王伟"]) == ("陈诚", "王伟")


@pytest.mark.parametrize(
    ("sender", "person"),
    [
        ("阿飞", "阿飞"),
        ("吳海波", "吴海波"),
        ("wu haibo", "Wu Haibo"),
        ("wxid_q8m2x7c4n1p5z3", ""),
        ("<img src=x onerror=alert(1)>", ""),
    ],
)
def test_chat_senders_are_people_and_account_ids_are_not(sender, person):
    assert sender_person(sender) == person


def test_email_display_names():
    named = address_entities(
        ['"Wu Haibo" <wu@example.com>, 陈诚 <chen@example.cn>', "ops@example.com", ""]
    )
    assert named.persons == ("Wu Haibo", "陈诚")
    assert address_entities(["Peking University <x@pku.example>"]).orgs == ("Peking University",)


@pytest.mark.parametrize(
    ("typed", "person", "org"),
    [
        ("wu  haibo", "Wu Haibo", "Wu Haibo"),
        ("吳海波", "吴海波", "吴海波"),
        (
            "ministry of public security",
            "Ministry Of Public Security",
            "Ministry of Public Security",
        ),
        ("Anxun Co., Ltd.", "Anxun Co. Ltd.", "Anxun Co Ltd"),
    ],
)
def test_typed_names_are_normalised_as_the_index_holds_them(typed, person, org):
    assert normalize_person(typed) == person
    assert normalize_org(typed) == org


# A small corpus of fictional files: the facets must count the documents that name each value.
FILES = {
    "a.txt": "吴海波和陈诚在北京大学开会。",
    "b.txt": "吳海波負責與北京大學對接。",  # Traditional: the same values
    "c.txt": "Mr Wu Haibo (吴海波) visited the Ministry of Foreign Affairs.",
    "d.txt": "Wu Haibo wrote to the Ministry of Foreign Affairs twice.",
    "e.txt": "没有人名的文本，只有数据。",
    "f.eml": (
        'From: "Chen Cheng" <chen@example.cn>\nTo: ops@example.com\nSubject: samples\n'
        "Date: Mon, 11 Mar 2019 09:00:00 +0800\n\n北京大学的样本已经打包。\n"
    ),
    "chat/0.md": (
        "<table>\n<tr><th>Time</th><th>From</th><th>To</th><th>Message</th></tr>\n"
        "<tr><td>2019-03-11 09:02:14</td><td>阿飞</td><td>wxid_abc</td>"
        "<td>陈诚明天去北京大学</td></tr>\n"
        "<tr><td>2019-03-11 09:03:40</td><td>wxid_abc</td><td>阿飞</td><td>好的</td></tr>\n"
        "</table>\n"
    ),
}


def write_corpus(root: Path) -> Path:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("entities-corpus"))


@pytest.fixture(scope="module")
def entity_index(tmp_path_factory, corpus) -> Path:
    index_dir = tmp_path_factory.mktemp("entities-index")
    build_index(corpus, index_dir, options=BuildOptions(workers=1, ocr="off"))
    return index_dir


def stored_names(index_dir: Path, facet: str) -> dict[str, list[str]]:
    """Each document's (or message's) values of a facet, from its stored fields."""
    with whoosh_index.open_dir(index_dir).searcher() as searcher:
        return {
            f["path"] + ("#" + str(f["msg_index"]) if f.get("kind") == "message" else ""): [
                n for n in f.get(facet, "").split(",") if n
            ]
            for f in searcher.all_stored_fields()
        }


def test_each_document_holds_the_names_it_gives(entity_index):
    persons, orgs = stored_names(entity_index, "person"), stored_names(entity_index, "org")
    assert persons["a.txt"] == ["吴海波", "陈诚"] and orgs["a.txt"] == ["北京大学"]
    assert persons["b.txt"] == ["吴海波"] and orgs["b.txt"] == ["北京大学"]
    assert persons["c.txt"] == ["吴海波"] and orgs["c.txt"] == ["Ministry of Foreign Affairs"]
    assert persons["d.txt"] == ["Wu Haibo"]  # no Chinese name beside it: stays pinyin
    assert persons["e.txt"] == [] and orgs["e.txt"] == []
    assert persons["f.eml"] == ["Chen Cheng"] and orgs["f.eml"] == ["北京大学"]
    assert persons["chat/0.md#0"] == ["阿飞", "陈诚"]  # its sender, and a name in its text
    assert persons["chat/0.md#1"] == []  # an account ID sent it
    assert {"阿飞", "陈诚"} <= set(persons["chat/0.md"])


@pytest.mark.parametrize("facet", ["person", "org"])
def test_facets_count_exactly_the_documents_that_name_each_value(entity_index, facet):
    named = stored_names(entity_index, facet)
    # A pinyin name the index holds in Chinese too (one that reads so) is that name.
    every = {n for names in named.values() for n in names}
    same = chinese_names(every) if facet == "person" else {}
    expected = Counter(v for names in named.values() for v in {same.get(n, n) for n in names})
    assert search(entity_index, "", pagelen=1).facets[facet] == dict(expected)
    # Filtered by each value, a search finds exactly those documents, and counts them so.
    for value, count in expected.items():
        found = search(entity_index, "", Filters(include={facet: (value,)}), pagelen=100)
        assert found.total == count
        assert found.facets[facet][value] == count
        assert all(value in {same.get(n, n) for n in getattr(hit, facet)} for hit in found.hits)


def test_person_counts_unify_simplified_traditional_and_pinyin(entity_index):
    counts = search(entity_index, "", pagelen=1).facets["person"]
    # a.txt (Simplified), b.txt (Traditional), c.txt (pinyin beside it), d.txt (pinyin alone:
    # the index's one Chinese name that reads so); the e-mail's Chen Cheng is 陈诚 the same way
    # (a.txt, f.eml, the chat log and its message).
    assert counts["吴海波"] == 4 and "Wu Haibo" not in counts
    assert counts["陈诚"] == 4 and "Chen Cheng" not in counts


def test_a_pinyin_name_two_chinese_names_read_as_stays_apart(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("吴海波在北京开会。", "utf-8")
    (corpus / "b.txt").write_text("伍海波在上海开会。", "utf-8")
    (corpus / "c.txt").write_text("Mr Wu Haibo wrote twice.", "utf-8")
    build_index(corpus, tmp_path / "index", options=BuildOptions(workers=1, ocr="off"))
    counts = search(tmp_path / "index", "", pagelen=1).facets["person"]
    assert counts == {"吴海波": 1, "伍海波": 1, "Wu Haibo": 1}
    # Once 伍海波's file is gone, Wu Haibo is the index's 吴海波.
    (corpus / "b.txt").unlink()
    build_index(corpus, tmp_path / "index", options=BuildOptions(workers=1, ocr="off"))
    assert search(tmp_path / "index", "", pagelen=1).facets["person"] == {"吴海波": 2}
    found = search(tmp_path / "index", 'person:"wu haibo"', pagelen=10)
    assert {h.path for h in found.hits} == {"a.txt", "c.txt"}


def test_chinese_names_needs_exactly_one_reading():
    assert chinese_names(["吴海波", "Wu Haibo", "Chen Cheng"]) == {"Wu Haibo": "吴海波"}
    assert chinese_names(["吴海波", "伍海波", "Wu Haibo"]) == {}
    assert chinese_names(["Wu Haibo"]) == {}


@pytest.mark.parametrize(
    ("query", "paths"),
    [
        ("person:吳海波", {"a.txt", "b.txt", "c.txt", "d.txt"}),
        ('person:"wu haibo"', {"a.txt", "b.txt", "c.txt", "d.txt"}),
        ('org:"ministry of foreign affairs"', {"c.txt", "d.txt"}),
        ("org:北京大學 AND person:陈诚", {"a.txt", "chat/0.md", "f.eml"}),  # f: Chen Cheng
    ],
)
def test_query_syntax_filters_by_name(entity_index, query, paths):
    found = search(entity_index, query, pagelen=100, group=True)
    assert {hit.path for hit in found.hits} == paths


def test_cli_filters_by_person_and_org(entity_index, runner):
    args = ["search", "", "--index", str(entity_index), "--json", "--limit", "100"]
    out = runner.invoke(main, [*args, "--person", "吴海波", "--org", "Ministry of Foreign Affairs"])
    assert out.exit_code == 0, out.output
    hits = json.loads(out.output)["hits"]
    assert sorted(h["path"] for h in hits) == ["c.txt", "d.txt"]  # d.txt: Wu Haibo
    assert all(h["org"] == ["Ministry of Foreign Affairs"] for h in hits)


def test_no_entities_leaves_the_fields_empty(tmp_path, corpus, runner):
    index_dir = tmp_path / "index"
    out = runner.invoke(main, ["index", str(corpus), "--index", str(index_dir), "--no-entities"])
    assert out.exit_code == 0, out.output
    for facet in ("person", "org"):
        assert not any(stored_names(index_dir, facet).values())
        assert search(index_dir, "", pagelen=1).facets[facet] == {}
    # The rest of the index is the same: the text is searchable, countries still counted.
    assert search(index_dir, "吴海波", pagelen=10).total == 3


def test_web_sidebar_and_document_page_show_the_names(entity_index):
    client = create_app({"INDEX_DIR": str(entity_index), "TESTING": True}).test_client()
    page = BeautifulSoup(client.get("/?q=").get_data(as_text=True), "html.parser")
    expected = search(entity_index, "", pagelen=1).facets
    for facet in ("person", "org"):
        rows = page.select(f'section.facet[data-facet="{facet}"] li:not(.more)')
        shown = {
            r.select_one("a.toggle")["data-value"]: int(r.select_one(".count").text) for r in rows
        }
        assert shown == expected[facet]
    # A value's link filters the search to the documents that name it.
    link = page.select_one('section.facet[data-facet="person"] a.toggle[data-value="吴海波"]')
    filtered = BeautifulSoup(client.get(link["href"]).get_data(as_text=True), "html.parser")
    assert filtered.select_one(".total").text == "4"
    doc = BeautifulSoup(client.get("/doc/c.txt").get_data(as_text=True), "html.parser")
    names = {a.text: a["href"] for a in doc.select("dl.meta a.tag")}
    assert set(names) == {"吴海波", "Ministry of Foreign Affairs"}
    assert client.get(names["Ministry of Foreign Affairs"]).status_code == 200
