"""Regional vocabulary: a Taiwan or Hong Kong word finds the mainland's and the reverse, marked,
listed among the expansions, the word typed scored first."""

import json
import re

import pytest
from bs4 import BeautifulSoup

from indexer.analyse.fold import fold
from indexer.analyse.regional import regional_variants
from indexer.index.build import build_index
from indexer.search.query import expand_query
from indexer.search.search import Filters, get_document, search
from search_web import create_app
from tests.ui_text import LABELS

# (Taiwan or Hong Kong word, the mainland's word for the same thing)
PAIRS = [
    # computing
    ("伺服器", "服务器"),
    ("軟體", "软件"),
    ("網路", "网络"),
    ("資料庫", "数据库"),
    ("程式", "程序"),
    ("滑鼠", "鼠标"),
    ("簡訊", "短信"),
    ("硬碟", "硬盘"),
    ("記憶體", "内存"),
    ("印表機", "打印机"),
    ("螢幕", "屏幕"),
    ("網際網路", "互联网"),
    ("資訊", "信息"),
    ("影片", "视频"),
    ("部落格", "博客"),
    ("光碟", "光盘"),
    ("作業系統", "操作系统"),
    ("應用程式", "应用程序"),
    ("原始碼", "源代码"),
    ("寬頻", "宽带"),
    ("駭客", "黑客"),
    ("韌體", "固件"),
    ("晶片", "芯片"),
    ("筆記型電腦", "笔记本电脑"),
    ("解析度", "分辨率"),
    ("登入", "登录"),
    ("搜尋", "搜索"),
    ("快取", "缓存"),
    ("選單", "菜单"),
    ("位元組", "字节"),
    ("資料夾", "文件夹"),
    ("程式語言", "编程语言"),
    ("人工智慧", "人工智能"),
    # daily life
    ("計程車", "出租车"),
    ("泡麵", "方便面"),
    ("腳踏車", "自行车"),
    ("列印", "打印"),
    ("雷射", "激光"),
    ("市場行銷", "市场营销"),
    ("機率", "概率"),
    ("私隱權", "隐私权"),  # Hong Kong
    # places and institutions
    ("紐澤西州", "新泽西州"),
    ("麻薩諸塞州", "马萨诸塞州"),
    ("密西根州", "密歇根州"),
    ("密芝根州", "密歇根州"),  # Hong Kong
    ("維珍尼亞州", "弗吉尼亚州"),  # Hong Kong
    ("德拉瓦州", "特拉华州"),
    ("奧勒岡州", "俄勒冈州"),
    ("寶僑公司", "宝洁公司"),
    ("嬌生公司", "强生公司"),
    ("好市多", "开市客"),
    ("視訊會議", "视频会议"),
]
BOTH_WAYS = [(a, b) for a, b in PAIRS] + [(b, a) for a, b in PAIRS]
IDS = [f"{typed}->{other}" for typed, other in BOTH_WAYS]


def test_pairs_are_distinct_words():
    assert len(PAIRS) >= 30
    assert all(fold(a) != fold(b) for a, b in PAIRS)


@pytest.mark.parametrize(("typed", "other"), BOTH_WAYS, ids=IDS)
def test_a_regional_word_gives_the_other_regions_word(typed, other):
    variants = regional_variants(typed)
    assert fold(other) in variants
    assert fold(typed) not in variants


@pytest.mark.parametrize(
    "typed",
    [
        "台湾",  # 臺灣 is its Traditional form, found by folding
        "臺灣",
        "随着",  # 随著: Taiwan's form of one character
        "银行",  # the same word everywhere
        "数据",  # Taiwan's 資料 is also the mainland's 资料 (materials): listed as too broad
        "資料",
        "文件",  # the mainland's 档案 (dossier) is another thing
        "项目",  # the mainland's 专案 is a police case
        "查询",  # 查找 is a mainland word too
        "安全局",  # a phrase rule on its part 全局 made 安全域性
        "生活资料",  # means of living, not 生活数据
        "网",  # one character
        "U盘",  # one Han character
        "server",
        "1234",
        "",
    ],
)
def test_words_that_are_not_widened(typed):
    assert regional_variants(typed) == ()


@pytest.mark.parametrize(
    ("typed", "wrong"),
    [
        ("程序", "进程"),  # Taiwan's 程序 is a process: a mainland word is read as the mainland's
        ("程序员", "进程员"),
        ("尼日利亚", "尼日尔利亚"),  # Taiwan's 尼日 is Niger
        ("应用程序", "应用进程"),
        ("文件夹", "文档夹"),
        ("安全局长", "安全域性长"),  # 安全 局长, not 安 + Taiwan's 全局 (global) + 长
    ],
)
def test_a_phrase_rule_on_part_of_a_word_does_not_change_it(typed, wrong):
    assert wrong not in regional_variants(typed)


def test_variants_are_folded_as_the_index_folds():
    for typed, other in PAIRS:
        assert all(v == fold(v) for v in regional_variants(typed) + regional_variants(other))


@pytest.fixture(scope="module")
def regional_index(tmp_path_factory):
    """Two files per pair, one with each region's word, in the same sentence."""
    corpus = tmp_path_factory.mktemp("regional")
    for i, (regional, mainland) in enumerate(PAIRS):
        for side, word in (("r", regional), ("m", mainland)):
            (corpus / f"{i:02d}{side}.txt").write_text(f"第{i}份说明：{word}，附后。\n", "utf-8")
    index_dir = tmp_path_factory.mktemp("regional-index")
    build_index(corpus, index_dir)
    return index_dir


def _file(typed: str, other: str) -> tuple[str, str]:
    """The files holding the typed word and the other region's word."""
    i, pair = next((i, p) for i, p in enumerate(PAIRS) if {typed, other} == set(p))
    typed_side = "r" if pair[0] == typed else "m"
    other_side = "m" if typed_side == "r" else "r"
    return f"{i:02d}{typed_side}.txt", f"{i:02d}{other_side}.txt"


def _marked(html: str) -> set[str]:
    return {fold(m) for m in re.findall(r"<mark>(.*?)</mark>", html)}


@pytest.mark.parametrize(("typed", "other"), BOTH_WAYS, ids=IDS)
def test_either_word_finds_both_marked_and_the_typed_one_first(regional_index, typed, other):
    results = search(regional_index, typed, Filters(), pagelen=200)
    hits = {h.path: h for h in results.hits}
    own, others = _file(typed, other)
    assert own in hits and others in hits
    assert fold(other) in _marked(str(hits[others].snippet))
    assert fold(typed) in _marked(str(hits[own].snippet))
    assert hits[own].score > hits[others].score
    regional = [e for e in results.expansions if e.kind == "regional"]
    assert [e.typed for e in regional] == [typed]
    assert fold(other) in regional[0].searched


@pytest.mark.parametrize(("typed", "other"), [("伺服器", "服务器"), ("软件", "軟體")])
def test_the_document_page_marks_the_other_regions_word(regional_index, typed, other):
    _, others = _file(typed, other)
    doc = get_document(regional_index, others, typed)
    assert doc is not None and doc.matches >= 1
    assert fold(other) in _marked(str(doc.text_html))


def test_a_quoted_word_is_searched_as_written(regional_index):
    results = search(regional_index, '"伺服器"', Filters(), pagelen=200)
    assert {h.path for h in results.hits} == {_file("伺服器", "服务器")[0]}
    assert results.expansions == ()


@pytest.mark.parametrize("typed", ["臺灣", "随着", "数据", "网", "server", "伺服*"])
def test_no_regional_expansion_is_listed(typed):
    _, notes = expand_query(typed)
    assert all(e.kind != "regional" for e in notes)


def test_a_country_name_is_listed_once_among_its_names():
    # CLDR's names hold Taiwan's 寮國 for 老挝: not listed a second time as a regional word.
    _, notes = expand_query("老挝")
    assert [e.kind for e in notes] == ["names"]
    assert "寮國" in notes[0].searched


def test_api_and_page_list_the_regional_expansion(regional_index):
    client = create_app({"INDEX_DIR": str(regional_index), "TESTING": True}).test_client()
    data = client.get("/api/search", query_string={"q": "伺服器"}).get_json()
    assert {"typed": "伺服器", "kind": "regional", "searched": ["服务器"]} in data["expansions"]
    labels = json.loads(LABELS.read_text("utf-8"))
    for ui, strings in labels.items():
        page = client.get("/", query_string={"q": "伺服器", "ui": ui}).get_data(as_text=True)
        shown = BeautifulSoup(page, "html.parser").select_one("p.expansions")
        assert shown is not None and "服务器" in shown.text
        assert f"({strings['expansion_regional']})" in shown.text


def test_a_rare_variant_does_not_outrank_the_common_word_typed(tmp_path):
    # 服务器 in ten files, 伺服器 in one: the rare word's idf is higher, its score is scaled down.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(10):
        (corpus / f"m{i}.txt").write_text("机房的服务器。\n", "utf-8")
    (corpus / "r.txt").write_text("机房的伺服器。\n", "utf-8")
    build_index(corpus, tmp_path / "index")
    hits = search(tmp_path / "index", "服务器", Filters(), pagelen=20).hits
    assert len(hits) == 11
    assert hits[-1].path == "r.txt"
    assert hits[-1].score < min(h.score for h in hits[:-1])
