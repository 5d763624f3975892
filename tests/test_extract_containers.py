"""Containers: email (.eml), mailboxes (.mbox) and archives (.zip, .tar.*, .7z) on real files."""

import base64
import io
import random
import struct
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import py7zr
import pytest

from indexer.extract.archive import (
    MAX_MEMBERS,
    clean_name,
    extract_7z,
    extract_tar,
    extract_zip,
    suffix_of,
    unique_name,
)
from indexer.extract.base import Extracted, ExtractionError
from indexer.extract.email import extract_eml
from indexer.extract.mbox import extract_mbox

SAMPLES = Path(__file__).parent.parent / "corpus_sample" / "containers"
Extractor = Callable[[bytes], Extracted]


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def children(result: Extracted) -> dict[str, bytes]:
    return {child.name: child.data for child in result.children}


def renamed_zip(raw_name: bytes, content: bytes) -> bytes:
    """A zip member named by raw bytes without the UTF-8 flag (zipfile always sets it itself)."""
    placeholder = "~" * len(raw_name)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(placeholder, content)
    # The name appears in the local header and the central directory, and in no checksum.
    return buf.getvalue().replace(placeholder.encode(), raw_name)


def mail(body: bytes, content_type: str = "text/plain", extra: str = "") -> bytes:
    head = f"From: a@mail.example\nSubject: test\nContent-Type: {content_type}\n{extra}\n"
    return head.encode() + body


# --------------------------------------------------------------------------- email


def test_eml_headers_decoded_from_rfc2047() -> None:
    result = extract_eml(sample("project_mail.eml"))
    assert result.meta == {
        "from": "李喆 <li.zhe@mail.example>",
        "to": "王磊 <wang.lei@mail.example>",
        "cc": "ops@mail.example",
        "date": "Tue, 14 Jun 2022 09:30:00 +0800",
        "subject": "关于泰国航空公司项目的进度",
    }
    assert result.title == "关于泰国航空公司项目的进度"
    assert result.filetype == "eml"
    assert result.text.splitlines()[:5] == [
        "From: 李喆 <li.zhe@mail.example>",
        "To: 王磊 <wang.lei@mail.example>",
        "Cc: ops@mail.example",
        "Date: Tue, 14 Jun 2022 09:30:00 +0800",
        "Subject: 关于泰国航空公司项目的进度",
    ]


def test_eml_gbk_body_labelled_gb2312_is_read_as_gb18030() -> None:
    result = extract_eml(sample("project_mail.eml"))
    # 喆 is in GBK but not in GB2312: only the superset decodes the body the mailer labelled.
    assert "泰国航空公司项目本周进展如下" in result.text
    assert "李喆\n2022年6月14日" in result.text
    assert result.encoding == "gb18030"
    assert "网页版" not in result.text  # the HTML alternative is the same body again


def test_eml_attachments_become_children_with_decoded_names() -> None:
    result = extract_eml(sample("project_mail.eml"))
    found = children(result)
    # RFC 2231 (gb2312), RFC 2047 in a quoted filename (UTF-8), and an unnamed forwarded mail.
    assert list(found) == ["航空公司名单.txt", "会议纪要.md", "attachment-3.eml"]
    assert found["航空公司名单.txt"].decode("gbk").startswith("泰国 航空公司名单")
    assert found["会议纪要.md"].decode("utf-8").startswith("# 会议纪要")
    assert "Attachment: 航空公司名单.txt" in result.text
    forwarded = extract_eml(found["attachment-3.eml"])
    assert forwarded.title == "排期确认"
    assert "排期没有问题" in forwarded.text


SIMPLIFIED = "尼泊尔大学的邮箱系统已经完成测试，喆"  # 喆 is GBK, not GB2312
TRADITIONAL = "臺灣大學的郵件系統已經完成測試"


@pytest.mark.parametrize(
    ("charset", "codec", "text"),
    [
        ("gb2312", "gbk", SIMPLIFIED),
        ("GBK", "gbk", SIMPLIFIED),
        ("x-gbk", "gbk", SIMPLIFIED),
        ("gb18030", "gb18030", SIMPLIFIED),
        ("big5", "big5", TRADITIONAL),
        ("utf-8", "utf-8", SIMPLIFIED),
        ("us-ascii", "gbk", SIMPLIFIED),  # mislabelled: the bytes decide
        ("iso-8859-1", "gbk", SIMPLIFIED),
        ("no-such-charset", "gbk", SIMPLIFIED),
        (None, "gbk", SIMPLIFIED),
        (None, "utf-8", SIMPLIFIED),
    ],
)
def test_eml_body_charsets(charset: str | None, codec: str, text: str) -> None:
    label = f"; charset={charset}" if charset else ""
    result = extract_eml(mail(text.encode(codec), f"text/plain{label}"))
    assert result.text.endswith(text)


def test_eml_raw_8bit_gbk_headers_and_filenames() -> None:
    body = "--x\nContent-Type: text/plain\n\n正文\n--x\n"
    body += 'Content-Disposition: attachment; filename="医院名单.txt"\n\nabc\n--x--\n'
    head = "From: 王磊 <wang@mail.example>\nSubject: 原始编码的主题\n"
    data = (head + "Content-Type: multipart/mixed; boundary=x\n\n" + body).encode("gbk")
    result = extract_eml(data)
    assert result.meta["subject"] == "原始编码的主题"
    assert result.meta["from"] == "王磊 <wang@mail.example>"
    assert list(children(result)) == ["医院名单.txt"]


def test_eml_html_only_body_is_rendered_without_scripts() -> None:
    html = "<html><head><style>p {}</style><script>steal()</script></head><p>航空公司名单</p>"
    result = extract_eml(mail(html.encode(), "text/html; charset=utf-8"))
    assert result.text == "From: a@mail.example\nSubject: test\n\n航空公司名单"
    assert "steal" not in result.text and "p {}" not in result.text


def test_eml_unnamed_attachment_named_from_mime_type() -> None:
    body = b"--x\nContent-Type: text/plain\n\nsee image\n--x\nContent-Type: image/png\n"
    body += (
        b"Content-Transfer-Encoding: base64\n\n" + base64.b64encode(b"\x89PNG....") + b"\n--x--\n"
    )
    result = extract_eml(mail(body, "multipart/mixed; boundary=x"))
    assert children(result) == {"attachment-1.png": b"\x89PNG...."}
    assert result.text.endswith("see image")


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary\xff" * 50, "只有正文，没有信头".encode()])
def test_eml_without_headers_fails(data: bytes) -> None:
    with pytest.raises(ExtractionError, match="no headers"):
        extract_eml(data)


# --------------------------------------------------------------------------- mbox


def test_mbox_messages_become_children() -> None:
    result = extract_mbox(sample("mailbox.mbox"))
    assert result.filetype == "mbox"
    assert result.title == ""  # the indexer titles it by file name
    assert result.text.splitlines() == [
        "Mon, 09 May 2022 10:00:00 +0800 | chen.ming@mail.example | 蒙古国航空公司项目",
        (
            "Tue, 10 May 2022 08:15:00 +0700 | Nguyen Van An <an.nguyen@mail.example>"
            " | University webmail in Hanoi"
        ),
        "Wed, 11 May 2022 16:40:00 +0800 | 小陈 <xiao.chen@mail.example> | 医院网站清单",
    ]
    found = children(result)
    assert list(found) == ["message-0001.eml", "message-0002.eml", "message-0003.eml"]
    second = extract_eml(found["message-0002.eml"])
    # ">From" was mboxrd quoting; "From here on" is prose, not a separator.
    assert "\nFrom the portal logs" in second.text and "From here on" in second.text
    assert extract_eml(found["message-0003.eml"]).text.endswith("共十二个站点。")


def test_not_an_mbox_fails() -> None:
    with pytest.raises(ExtractionError, match="not an mbox"):
        extract_mbox(b"Subject: a lone message\n\nbody\n")


# --------------------------------------------------------------------------- archives


def test_zip_gbk_names_without_utf8_flag_are_decoded() -> None:
    data = sample("gbk_names.zip")
    assert not any(info.flag_bits & 0x800 for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    result = extract_zip(data)
    found = children(result)
    assert list(found) == ["尼泊尔项目/会议纪要.txt", "尼泊尔项目/进度说明.md"]
    assert found["尼泊尔项目/会议纪要.txt"].decode("gbk").startswith("尼泊尔项目 周例会纪要")
    assert result.encoding == "gb18030"
    assert result.text.splitlines()[0] == "尼泊尔项目/会议纪要.txt (238 bytes)"
    assert result.meta == {"members": "2"}


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("臺灣大學會議記錄.txt", "big5"),
        ("Café résumé.txt", "cp437"),
        ("报告/名单.txt", "utf-8"),  # UTF-8 bytes without the flag, as old macOS wrote them
        ("plain.txt", "ascii"),
    ],
)
def test_zip_legacy_names(name: str, codec: str) -> None:
    result = extract_zip(renamed_zip(name.encode(codec), b"content"))
    assert list(children(result)) == [name]


def test_zip_utf8_flagged_names() -> None:
    result = extract_zip(sample("utf8_names.zip"))
    assert list(children(result)) == ["蒙古国/航空公司名单.txt", "readme.txt"]
    assert result.encoding == "utf-8"


def test_tar_gz_members() -> None:
    result = extract_tar(sample("vietnam_notes.tar.gz"))
    found = children(result)
    assert list(found) == ["越南/大学名单.txt", "越南/notes_en.txt"]
    assert found["越南/notes_en.txt"].startswith(b"Field notes")
    assert result.filetype == "tar"


def test_tar_gbk_names_are_decoded() -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT, encoding="gbk") as tar:
        info = tarfile.TarInfo("项目/会议纪要.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    assert list(children(extract_tar(buf.getvalue()))) == ["项目/会议纪要.txt"]


def test_truncated_tar_gz_keeps_the_members_before_the_cut() -> None:
    rng = random.Random(7)  # incompressible content, so the cut lands inside the second member
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name in ("first.bin", "second.bin"):
            info = tarfile.TarInfo(name)
            info.size = 50_000
            tar.addfile(info, io.BytesIO(rng.randbytes(50_000)))
    result = extract_tar(buf.getvalue()[:75_000])
    assert list(children(result)) == ["first.bin"]
    assert "damaged" in result.meta


def test_7z_members() -> None:
    result = extract_7z(sample("thailand_notes.7z"))
    found = children(result)
    assert list(found) == ["泰国/医院名单.txt", "泰国/summary.txt"]
    assert found["泰国/summary.txt"].startswith(b"Summary:")


def test_nested_zip_unwraps_six_levels() -> None:
    data, names = sample("nested.zip"), []
    while True:
        ((name, data),) = children(extract_zip(data)).items()
        names.append(name)
        if not name.endswith(".zip"):
            break
    assert names == ["level2.zip", "level3.zip", "level4.zip", "level5.zip", "level6.zip"] + [
        "innermost.txt"
    ]
    assert data == b"innermost text, level 6\n"


def test_zip_bomb_is_refused_by_ratio() -> None:
    with pytest.raises(ExtractionError, match=r"refused: expands 1,\d{3}x, looks like a zip bomb"):
        extract_zip(sample("zip_bomb.zip"))


def test_zip_declaring_more_than_a_gibibyte_is_refused() -> None:
    data = bytearray(sample("utf8_names.zip"))
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<L", data, central + 24, 0xFFFF_FFF0)  # a lying uncompressed size
    with pytest.raises(ExtractionError, match="over 1 GiB"):
        extract_zip(bytes(data))


def test_zip_with_too_many_members_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for i in range(MAX_MEMBERS + 1):
            archive.writestr(f"{i}.txt", b"")
    with pytest.raises(ExtractionError, match="more than 10,000 members"):
        extract_zip(buf.getvalue())


def test_fully_encrypted_zip_fails_saying_encrypted() -> None:
    with pytest.raises(ExtractionError, match=r"accounts\.txt \(encrypted\)"):
        extract_zip(sample("encrypted.zip"))


def test_partly_encrypted_zip_keeps_the_readable_members() -> None:
    result = extract_zip(sample("partly_encrypted.zip"))
    assert list(children(result)) == ["readme.txt"]
    assert result.meta["not_extracted"] == "accounts.txt (encrypted)"
    assert "accounts.txt (not extracted: encrypted)" in result.text


@pytest.mark.parametrize("header_encryption", [False, True])
def test_encrypted_7z_fails_saying_encrypted(header_encryption: bool) -> None:
    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w", password="pw", header_encryption=header_encryption) as out:
        out.writestr(b"secret", "secret.txt")
    with pytest.raises(ExtractionError, match="encrypted"):
        extract_7z(buf.getvalue())


@pytest.mark.parametrize(
    ("extractor", "name", "reason"),
    [
        (extract_zip, "corrupt.zip", "corrupt or unsupported zip archive"),
        (extract_tar, "corrupt.tar.gz", "could be read: Compressed file ended"),
        (extract_7z, "corrupt.7z", "corrupt 7z archive"),
    ],
)
def test_truncated_archives_fail(extractor: Extractor, name: str, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extractor(sample(name))


@pytest.mark.parametrize("extractor", [extract_zip, extract_tar, extract_7z, extract_mbox])
@pytest.mark.parametrize("data", [random.Random(3).randbytes(4096), "纯文本，不是压缩包".encode()])
def test_not_a_container_fails(extractor: Extractor, data: bytes) -> None:
    with pytest.raises(ExtractionError):
        extractor(data)


def test_empty_zip_fails() -> None:
    with pytest.raises(ExtractionError, match="empty archive"):
        extract_zip(b"PK\x05\x06" + bytes(18))


def test_traversal_names_are_normalised() -> None:
    result = extract_zip(sample("traversal.zip"))
    assert list(children(result)) == [
        "outside.txt",
        "etc/absolute.txt",
        "Users/chen/notes.txt",
        "docs/plan.txt",
    ]
    assert "outside.txt (29 bytes; stored as '../../outside.txt')" in result.text


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../etc/passwd", "etc/passwd"),
        ("/abs/file.txt", "abs/file.txt"),
        ("C:\\Users\\a\\b.doc", "Users/a/b.doc"),
        ("./a/./b/../c.txt", "a/b/c.txt"),
        ("..", ""),
        ("正常/名字.txt", "正常/名字.txt"),
    ],
)
def test_clean_name(name: str, cleaned: str) -> None:
    assert clean_name(name) == cleaned


def test_unique_name_numbers_before_the_suffix() -> None:
    taken: set[str] = set()
    names = [unique_name(n, taken) for n in ("a.txt", "a.txt", "b.tar.gz", "b.tar.gz", "c")]
    assert names == ["a.txt", "a (2).txt", "b.tar.gz", "b (2).tar.gz", "c"]


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("x.zip", ".zip"),
        ("dir/X.TAR.GZ", ".tar.gz"),
        ("a.b.tar.bz2", ".tar.bz2"),
        ("a.tar.xz", ".tar.xz"),
        ("a.tgz", ".tgz"),
        ("a.gz", ".gz"),
        ("report.tar", ".tar"),
        ("mail.eml", ".eml"),
        ("README", ""),
    ],
)
def test_suffix_of(name: str, suffix: str) -> None:
    assert suffix_of(name) == suffix
