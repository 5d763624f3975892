"""decode(): real encoded bytes of realistic text must come back exactly, with the codec named."""

import random

import pytest

from indexer.extract import ExtractionError
from indexer.extract.decode import decode
from indexer.extract.plausible import plausibility

SIMPLIFIED = [
    "安洵信息技术有限公司的合同",
    "今天下午三点开会，讨论印度运营商的话单数据。",
    "这个远控木马支持Windows和Linux平台，可以绕过杀毒软件。",
    "样本数据量5.49GB，时间范围2021.04-2021.10，数据类型为用户表。",
    "这个IP地址192.168.1.10是内网的吗",
    "请把推特账号的登录凭证发到 admin@example.com 邮箱里。",
    "上海安洵与四川安洵的员工名单和薪资表\n第二行：工资晚几天发\n",
]
TRADITIONAL = [
    "臺灣外交部的資料與電信公司",
    "香港民主派團體的成員名單已經整理好了。",
    "請確認伺服器的帳號與密碼是否正確，否則無法登入系統。",
    "請登入 https://mail.example.tw 並確認 IP 10.0.0.1 的帳號",
]
# One-line chat messages: the corpus averages about 13 characters a message, many far shorter.
SHORT_CHAT = [
    "好的",
    "收到",
    "明天见",
    "哈哈哈",
    "谢谢",
    "在吗",
    "知道了",
    "没问题",
    "辛苦了",
    "晚安",
]
WESTERN = [
    "Café crème and a résumé for Müller's naïve coöperation.",
    "Größere Änderungen an der Übersetzung müssen geprüft werden.",
    "El niño comió jamón en la montaña, ¿verdad? ¡Sí!",
    "The price was £50 — “quite good” — or 60€…",
    "São Paulo",
    "déjà vu",
]


def _cases():
    for text in SIMPLIFIED + SHORT_CHAT:
        yield text, "gb18030", "gb18030"
        yield text, "utf-8", "utf-8"
    for text in TRADITIONAL:
        yield text, "big5", "big5"
        yield text, "gb18030", "gb18030"  # Traditional characters written in GBK
        yield text, "utf-8", "utf-8"
    for text in ["謝謝", "臺灣", "資料", "會議", "沒問題"]:
        yield text, "big5", "big5"
    for text in WESTERN:
        yield text, "cp1252", "cp1252"
        yield text, "utf-8", "utf-8"
    for text in SIMPLIFIED[:4] + TRADITIONAL[:2]:
        yield text, "utf-8-sig", "utf-8-sig"
        yield text, "utf-16", "utf-16"  # with BOM, platform byte order
        yield text, "utf-16-le", "utf-16-le"  # no BOM: told apart by NULs or by reading as Chinese
        yield text, "utf-16-be", "utf-16-be"
    yield "안녕하세요, 오늘 회의는 오후 세 시에 시작합니다.", "euc_kr", "euc_kr"
    yield "東京都の天気予報によると、明日は雨が降るそうです。", "shift_jis", "shift_jis"
    yield "hello world\r\nline two\r\n", "utf-16-le", "utf-16-le"
    yield "plain ascii text", "ascii", "utf-8"


@pytest.mark.parametrize(("text", "encoding", "expected"), list(_cases()))
def test_round_trip(text: str, encoding: str, expected: str) -> None:
    assert decode(text.encode(encoding)) == (text, expected)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_both_byte_orders(codec: str) -> None:
    bom = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
    assert decode(bom + "安洵 i-Soon 合同".encode(codec)) == ("安洵 i-Soon 合同", "utf-16")


def test_utf32_with_bom() -> None:
    assert decode("hello 中文".encode("utf-32")) == ("hello 中文", "utf-32")


def test_long_gbk_document() -> None:
    text = "\n".join(SIMPLIFIED * 200)
    assert decode(text.encode("gb18030")) == (text, "gb18030")


def test_truncated_utf8_keeps_the_broken_bytes_visible() -> None:
    data = "安洵信息技术有限公司的合同".encode() * 3 + "安".encode()[:2]
    text, codec = decode(data)
    assert codec == "utf-8"
    assert text.endswith("合同\\xe5\\xae")


def test_one_corrupt_byte_late_in_a_long_utf8_file() -> None:
    data = "四川安洵信息技术有限公司\n".encode() * 20_000 + b"\xff" + "合同".encode()
    text, codec = decode(data)
    assert codec == "utf-8"
    assert text.endswith("公司\n\\xff合同")


def test_stray_nuls_and_nul_padding_are_text() -> None:
    text, codec = decode(b"log line one\nlog line two\x00\n" + b"\x00" * 500)
    assert codec == "utf-8"
    assert text.startswith("log line one\nlog line two")


def test_hive_style_field_separators_are_text() -> None:
    data = "张三\x01北京\x01123\n李四\x01上海\x01456\n".encode("gb18030") * 5
    assert decode(data)[1] == "gb18030"


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(4096),
        random.Random(8).randbytes(64),
        random.Random(9).randbytes(512).translate(bytes(range(128, 256)) * 2),  # high bytes only
        b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"PK\x03\x04" + bytes(range(256)),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\x7fELF\x02\x01\x01" + b"\x00" * 64,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
        bytes(range(32)) * 20,
    ],
    ids=["random-4k", "random-64", "random-high", "png", "zip", "pdf", "elf", "ole", "controls"],
)
def test_binary_is_rejected(data: bytes) -> None:
    with pytest.raises(ExtractionError, match="binary"):
        decode(data)


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n", "  \n".encode("utf-16"), b"\xef\xbb\xbf \n", b"\x00" * 10]
)
def test_empty_is_rejected(data: bytes) -> None:
    with pytest.raises(ExtractionError, match="empty"):
        decode(data)


@pytest.mark.parametrize(("text", "wrong"), [(s, "big5") for s in SIMPLIFIED[:4]])
def test_real_chinese_outscores_its_mojibake(text: str, wrong: str) -> None:
    mojibake = text.encode("gb18030").decode(wrong, errors="replace")
    assert plausibility(text, "zh") > plausibility(mojibake, "zh") + 0.5
