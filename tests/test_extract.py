"""extract(): every format from real files on disk, and every way a file can fail to be read."""

import dataclasses
import json
import random
from pathlib import Path

import pytest

from indexer.extract import EXTRACTORS, Extracted, ExtractionError, extract

CHAT_MD = """# 聊天记录 0

<table>
<tr><th>Time</th><th>From</th><th>To</th><th>Message</th></tr>
<tr><td>2020-03-02 09:15:01</td><td>wxid_abc123</td><td>lengmo</td>
<td>印度那边的话单拿到了吗</td></tr>
<tr><td>2020-03-02 09:16:40</td><td>lengmo</td><td>wxid_abc123</td>
<td>拿到了，3TB，在 10.0.0.8 上</td></tr>
<tr><td>2020-03-02 09:17:03</td><td>lengmo</td><td>wxid_abc123</td><td></td></tr>
<tr><td>2020-03-02 09:17:30</td><td>lengmo</td><td>wxid_abc123</td>
<td><img src="files/0f3a_1.png"></td></tr>
<tr><td>2020-03-02 09:18:00</td><td>wxid_abc123</td><td>lengmo</td>
<td>合同见附件 <a href="./files/%E5%90%88%E5%90%8C.docx">合同.docx</a></td></tr>
<tr><td>2020-03-02 09:19:12</td><td>wxid_abc123</td><td>lengmo</td><td>a | b --- *x* \\_y</td></tr>
</table>
"""
CHAT_LINES = [
    "2020-03-02 09:15:01 wxid_abc123 -> lengmo: 印度那边的话单拿到了吗",
    "2020-03-02 09:16:40 lengmo -> wxid_abc123: 拿到了，3TB，在 10.0.0.8 上",
    "2020-03-02 09:17:03 lengmo -> wxid_abc123:",
    "2020-03-02 09:17:30 lengmo -> wxid_abc123: [image: 0f3a_1.png]",
    "2020-03-02 09:18:00 wxid_abc123 -> lengmo: 合同见附件 [file: 合同.docx]",
    "2020-03-02 09:19:12 wxid_abc123 -> lengmo: a | b --- *x* \\_y",
]
TARGETS_MD = r"""| 权限组 | 国家区域 | 目标类型 | 目标名称 | Domain | 样本数据量 | 样本时间 |
|---|:---:|---|---|---|---|---|
| 1 | 印度 | 政府 | 印度外交部 \(MEA\) | mea\.gov\.in | 5\.49GB | 2021\.04\-2021\.10 |
| 2 | 香港 | 运营商 | 某电信\_公司 \| HK | x\-y\.com\.hk | 3TB | 2020\.01 |
"""
HOSTILE_HTML = """<!DOCTYPE html><html><head><title>Report</title>
<script>alert(1)</script><style>body { color: red }</style></head>
<body><h1>Heading</h1><p onclick="steal()">visible <b>text</b></p>
<img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">click</a>
<noscript>noscript text</noscript><!-- hidden comment --><iframe src="evil.html">frame</iframe>
<svg><script>alert(4)</script></svg></body></html>"""


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def test_dispatch_table_covers_every_suffix() -> None:
    suffixes = {".txt", ".text", ".log", ".md", ".markdown", ".html", ".htm", ".csv", ".tsv"}
    containers = {".eml", ".mbox", ".zip", ".7z", ".tar", ".tar.gz"}
    assert suffixes | {".json"} | containers <= set(EXTRACTORS)
    assert all(callable(extractor) for extractor in EXTRACTORS.values())


@pytest.mark.parametrize(
    ("name", "content", "filetype", "needle"),
    [
        ("a.txt", "安洵信息\n技术有限公司", "txt", "技术有限公司"),
        ("a.text", "plain text", "txt", "plain text"),
        ("A.LOG", "2024-02-16 upload ok", "txt", "upload ok"),
        ("a.md", "# 标题\n正文 **加粗**", "md", "正文 加粗"),
        ("a.markdown", "Some *text*", "md", "Some text"),
        ("a.html", "<p>网页 <b>正文</b></p>", "html", "网页 正文"),
        ("a.htm", "<p>old page</p>", "html", "old page"),
        ("a.csv", "名称,国家\n外交部,印度\n", "csv", "外交部 | 印度"),
        ("a.tsv", "名称\t国家\n外交部\t印度\n", "csv", "外交部 | 印度"),
        ("a.json", '{"目标": "印度外交部"}', "json", "目标: 印度外交部"),
    ],
)
def test_each_extractor(
    tmp_path: Path, name: str, content: str, filetype: str, needle: str
) -> None:
    result = extract(write(tmp_path, name, content))
    assert isinstance(result, Extracted)
    assert result.filetype == filetype
    assert result.encoding == "utf-8"
    assert needle in result.text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".csv", ".json"])
def test_every_format_decodes_legacy_and_utf16_files(
    tmp_path: Path, suffix: str, encoding: str
) -> None:
    content = (
        '{"x": "四川安洵信息技术有限公司的合同"}'
        if suffix == ".json"
        else "四川安洵信息技术有限公司的合同"
    )
    result = extract(write(tmp_path, f"doc{suffix}", content, encoding))
    assert "四川安洵信息技术有限公司的合同" in result.text
    assert result.encoding == encoding


def test_big5_text_file(tmp_path: Path) -> None:
    result = extract(write(tmp_path, "tw.txt", "臺灣外交部的資料與電信公司\n第二行", "big5"))
    assert (result.text, result.title, result.encoding) == (
        "臺灣外交部的資料與電信公司\n第二行",
        "臺灣外交部的資料與電信公司",
        "big5",
    )


def test_text_newlines_and_stray_nuls(tmp_path: Path) -> None:
    result = extract(write(tmp_path, "a.log", b"line one\r\nline\x00 two\rline three\r\n"))
    assert result.text == "line one\nline two\nline three"
    assert "\x00" not in result.text and "\r" not in result.text


def test_extracted_is_frozen(tmp_path: Path) -> None:
    result = extract(write(tmp_path, "a.txt", "text"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.xyz", "text", "unsupported file type: .xyz"),
        ("noext", "text", "unsupported file type"),
        ("a.txt", "", "empty file"),
        ("a.md", " \n\t\r\n ", "empty file"),
        ("a.txt", "  \n".encode("utf-16"), "empty file"),
        ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("a.md", random.Random(1).randbytes(2048), "binary"),
        ("a.csv", b"PK\x03\x04" + bytes(range(256)) * 4, "binary"),
        ("a.json", '{"a": [1, 2', "invalid JSON"),
        ("a.json", "{'single': 'quotes'}", "invalid JSON"),
        ("a.json", "[" * 100_000, "invalid JSON"),
        ("a.json", "{}", "no text"),
        ("a.html", "<script>alert(1)</script><style>p {}</style>", "no text"),
    ],
)
def test_unreadable_files_raise_extraction_error(
    tmp_path: Path, name: str, content: str | bytes, reason: str
) -> None:
    with pytest.raises(ExtractionError, match=reason.replace(".", r"\.")):
        extract(write(tmp_path, name, content))


def test_invalid_json_chains_the_parser_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(write(tmp_path, "a.json", '{"a": }'))
    assert isinstance(caught.value.__cause__, json.JSONDecodeError)


@pytest.mark.parametrize("make_path", [lambda p: p / "missing.txt", lambda p: p / "dir.txt"])
def test_os_errors_become_extraction_errors(tmp_path: Path, make_path) -> None:
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(ExtractionError, match="cannot read file") as caught:
        extract(make_path(tmp_path))
    assert isinstance(caught.value.__cause__, OSError)


def test_chat_table_keeps_every_message(tmp_path: Path) -> None:
    result = extract(write(tmp_path, "0.md", CHAT_MD))
    assert result.title == "聊天记录 0"
    lines = result.text.splitlines()
    assert [line for line in lines if line.startswith("2020-")] == CHAT_LINES


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_chat_table_in_gbk(tmp_path: Path, suffix: str) -> None:
    result = extract(write(tmp_path, f"1{suffix}", CHAT_MD, "gb18030"))
    assert result.encoding == "gb18030"
    assert all(line in result.text for line in CHAT_LINES[:5])


def test_escaped_markdown_target_table(tmp_path: Path) -> None:
    result = extract(write(tmp_path, "targets.md", TARGETS_MD))
    assert result.text.splitlines() == [
        "权限组 | 国家区域 | 目标类型 | 目标名称 | Domain | 样本数据量 | 样本时间",
        "1 | 印度 | 政府 | 印度外交部 (MEA) | mea.gov.in | 5.49GB | 2021.04-2021.10",
        "2 | 香港 | 运营商 | 某电信_公司 | HK | x-y.com.hk | 3TB | 2020.01",
    ]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("## Heading ##", "Heading"),
        (
            "**bold** and __strong__ and *em* and _em_ and ~~gone~~",
            "bold and strong and em and em and gone",
        ),
        (
            "see [the site](https://example.com/a_b) now",
            "see the site (https://example.com/a_b) now",
        ),
        ("<https://example.com/x>", "https://example.com/x"),
        ("![截图](images/0f3a_2.png)", "截图 [image: 0f3a_2.png]"),
        ("![](0-6c1e.png)", "[image: 0-6c1e.png]"),
        ("[![logo](l.png)](https://x.org)", "logo [image: l.png] (https://x.org)"),
        ("wxid_abc_def and snake_case_name stay", "wxid_abc_def and snake_case_name stay"),
        ("`__init__` and `a*b*c`", "__init__ and a*b*c"),
        (r"\*not em\* 1\. \# \[x\]", "*not em* 1. # [x]"),
        ("> quoted\n- item\n* [x] done\n1. first", "quoted\nitem\ndone\n1. first"),
        ("Title\n=====\ntext\n\n---\nmore", "Title\ntext\n\nmore"),
        (
            "mail <admin@example.com> and <wxid_zz> and a < b",
            "mail admin@example.com and <wxid_zz> and a < b",
        ),
        ("```\n<script>x</script> **raw**\n```", "<script>x</script> **raw**"),
        ("<div>inline <b>html</b></div><script>alert(1)</script>", "inline html"),
        ("AT&amp;T &lt;tag&gt;", "AT&T <tag>"),
    ],
)
def test_markdown_syntax_is_stripped(tmp_path: Path, markdown: str, expected: str) -> None:
    assert extract(write(tmp_path, "doc.md", markdown)).text == expected


@pytest.mark.parametrize(
    ("markdown", "title"),
    [
        ("intro line\n\n# 安洵 *产品* 手册\n\n## 第二章", "安洵 产品 手册"),
        ("Setext title\n============\nbody", "Setext title"),
        ("no heading here\nsecond line", "no heading here"),
        ("<h1>HTML heading</h1>\nbody", "HTML heading"),
        ("![](0a5d_1.png)\n\n安洵信息 技术中心 组织架构\n正文", "安洵信息 技术中心 组织架构"),
    ],
)
def test_markdown_title(tmp_path: Path, markdown: str, title: str) -> None:
    assert extract(write(tmp_path, "doc.md", markdown)).title == title


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_hostile_html_leaves_no_code(tmp_path: Path, suffix: str) -> None:
    result = extract(write(tmp_path, f"evil{suffix}", HOSTILE_HTML))
    for forbidden in ("alert", "onerror", "onclick", "steal", "javascript", "color: red", "<", ">"):
        assert forbidden not in result.text
    for forbidden in ("hidden comment", "noscript text", "frame"):
        assert forbidden not in result.text
    assert "visible text" in result.text
    assert "[image: x.png]" in result.text
    assert "click" in result.text


def test_html_title_and_tables(tmp_path: Path) -> None:
    page = """<html><head><title> 价格表
    2023 </title></head><body><h1>Other</h1>
    <table><thead><tr><th>产品</th><th>价格</th></tr></thead>
    <tbody><tr><td>远控 <br>木马</td><td>5万</td></tr>
    <tr><td colspan=2>合计</td></tr></tbody></table>
    <p>see <a href="https://x.com/p">site</a> and
    <a href="doc/报价.xlsx">报价</a></p></body></html>"""
    result = extract(write(tmp_path, "p.html", page))
    assert result.title == "价格表 2023"
    assert "产品 | 价格\n远控 木马 | 5万\n合计" in result.text
    assert "see site (https://x.com/p) and 报价 [file: 报价.xlsx]" in result.text


def test_html_title_falls_back_to_h1_then_first_line(tmp_path: Path) -> None:
    assert extract(write(tmp_path, "a.html", "<h1>Main</h1><p>x</p>")).title == "Main"
    assert extract(write(tmp_path, "b.html", "<p>first</p><p>second</p>")).title == "first"


@pytest.mark.parametrize(
    ("meta", "encoding", "text"),
    [
        ('<meta charset="gb2312">', "gb18030", "四川安洵信息技术有限公司"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=big5">',
            "big5",
            "臺灣外交部",
        ),
        ('<meta charset="utf-8">', "gb18030", "安洵信息技术有限公司的合同"),  # a lying label
        ('<meta charset="no-such-codec">', "gb18030", "安洵信息技术有限公司的合同"),
    ],
)
def test_html_meta_charset(tmp_path: Path, meta: str, encoding: str, text: str) -> None:
    page = f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"
    result = extract(write(tmp_path, "p.html", page, encoding))
    assert result.encoding == encoding
    assert text in result.text


def test_deeply_nested_html_is_text_not_a_crash(tmp_path: Path) -> None:
    result = extract(write(tmp_path, "deep.html", "<div>" * 20_000 + "深处" + "</div>" * 20_000))
    assert result.text == "深处"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "a.csv",
            '名称,说明\n印度外交部,"政府, 外交"\n"引号""内","多\n行"\n',
            '名称 | 说明\n印度外交部 | 政府, 外交\n引号"内 | 多 行',
        ),
        ("a.csv", "a;b;c\n1;2;3\n4;5;6\n", "a | b | c\n1 | 2 | 3\n4 | 5 | 6"),
        ("a.tsv", "a\tb,c\n1\t2,3\n", "a | b,c\n1 | 2,3"),
        ("a.csv", 'a,"b\n1,2,3\n"unterminated', "a | b 1,2,3 unterminated"),
        ("a.csv", "single column\nvalue\n", "single column\nvalue"),
        (
            "a.csv",
            "Time,From,To,Message\n2020-01-01,wxid_a,张三,你好\n2020-01-02,张三,wxid_a,\n",
            "2020-01-01 wxid_a -> 张三: 你好\n2020-01-02 张三 -> wxid_a:",
        ),
    ],
)
def test_csv(tmp_path: Path, name: str, content: str, expected: str) -> None:
    assert extract(write(tmp_path, name, content)).text == expected


def test_gbk_csv(tmp_path: Path) -> None:
    result = extract(
        write(tmp_path, "staff.csv", "姓名,部门,工资\n张三,渗透测试,8000\n", "gb18030")
    )
    assert (result.text, result.encoding) == (
        "姓名 | 部门 | 工资\n张三 | 渗透测试 | 8000",
        "gb18030",
    )


def test_json_leaves_become_key_path_lines(tmp_path: Path) -> None:
    doc = {
        "title": "目标清单",
        "targets": [{"国家": "印度", "size_gb": 5.49}, {"国家": "泰国", "ok": True}],
    }
    result = extract(write(tmp_path, "t.json", json.dumps(doc, ensure_ascii=True)))
    assert result.title == "目标清单"
    assert result.text.splitlines() == [
        "title: 目标清单",
        "targets.0.国家: 印度",
        "targets.0.size_gb: 5.49",
        "targets.1.国家: 泰国",
        "targets.1.ok: true",
    ]


@pytest.mark.parametrize("jsonl", [False, True])
def test_json_chat_export_reads_like_chat_lines(tmp_path: Path, jsonl: bool) -> None:
    messages = [
        {"time": "2021-05-01 10:00", "from": "wxid_a", "to": "张三", "message": "你好"},
        {"time": "2021-05-01 10:01", "from": "张三", "to": "wxid_a", "message": ""},
        {
            "time": "2021-05-01 10:02",
            "from": "张三",
            "to": "wxid_a",
            "content": "看图",
            "file": "a.png",
        },
    ]
    lines = [json.dumps(m, ensure_ascii=False) for m in messages]
    content = "\n".join(lines) if jsonl else json.dumps({"messages": messages}, ensure_ascii=False)
    assert extract(write(tmp_path, "chat.json", content)).text.splitlines() == [
        "2021-05-01 10:00 wxid_a -> 张三: 你好",
        "2021-05-01 10:01 张三 -> wxid_a:",
        "2021-05-01 10:02 张三 -> wxid_a: 看图 | file: a.png",
    ]
