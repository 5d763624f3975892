#!/usr/bin/env python3
"""Regenerate the byte-exact container files (archives, email) of the fictional sample corpus.

Writes, under corpus_sample/containers/ (all content invented):
  gbk_names.zip            Chinese member names stored as GBK bytes without the UTF-8 flag
  utf8_names.zip           Chinese member names with the UTF-8 flag (as zipfile writes them)
  vietnam_notes.tar.gz     two text files
  thailand_notes.7z        two text files
  nested.zip               zip in zip, six levels deep, the innermost holding one .txt
  zip_bomb.zip             200 MiB of zeros deflated to about 200 KB
  encrypted.zip            every member ZipCrypto-encrypted (password nepal2022)
  partly_encrypted.zip     one plain member, one encrypted
  traversal.zip            member names "../../", "/abs", "C:\\..." and "./"
  corrupt.zip, corrupt.tar.gz, corrupt.7z   valid archives cut short
  project_mail.eml         GB2312 subject, GBK body labelled gb2312, HTML alternative,
                           attachments named in RFC 2231 and RFC 2047, a forwarded message
  mailbox.mbox             three messages, one with a quoted ">From " body line

Zips with legacy names or encryption are written byte by byte here, because zipfile always
flags non-ASCII names as UTF-8 and cannot encrypt. Timestamps are fixed and random bytes seeded,
so the output is identical on every run. Usage:  python tools/make_sample_containers.py
"""

import base64
import gzip
import io
import random
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

import py7zr
from py7zr.helpers import ArchiveTimestamp

OUT = Path(__file__).resolve().parents[1] / "corpus_sample" / "containers"
# Words other tests label: the container samples must not add documents that match them.
FORBIDDEN = (
    "安洵", "印度", "India", "香港", "Hong Kong", "资料", "資料", "银行", "外交部", "电信",
    "数据", "绿色", "女", "重庆", "长安", "话单", "政府", "Pakistan", "巴基斯坦", "Turkey",
)  # fmt: skip
DATE = (2022, 5, 9, 10, 0, 0)
EPOCH = 1652061600  # 2022-05-09 10:00:00 UTC

NEPAL_MINUTES = """尼泊尔项目 周例会纪要

时间：2022年5月9日 上午十点
参会：老周、阿明、小陈

1. 加德满都某大学的邮件系统已完成登录页面分析，入口 mail.ktm-uni.example。
2. 当地一家航空公司的值机系统暂未找到入口。
3. 下周二前整理医院网站清单，交给阿明复核。
"""
NEPAL_PROGRESS = "# 进度说明\n\n- 大学邮箱：已完成\n- 航空公司：进行中\n- 医院：未开始\n"
MONGOLIA_LIST = (
    "蒙古国 航空公司名单\n\n1. 乌兰巴托某航空公司（官网 air-ub.example）\n2. 某支线航空公司\n"
)
VIETNAM_UNIS = "越南 大学名单\n\n河内某理工大学 webmail.hn-tech.example\n岘港某大学 203.0.113.25\n"
VIETNAM_EN = "Field notes: two universities in Hanoi still run an outdated webmail portal.\n"
THAI_HOSPITALS = (
    "泰国 医院名单\n\n曼谷某私立医院 portal.bkk-care.example\n清迈某医院 198.51.100.30\n"
)
THAI_EN = "Summary: hospital portals in Bangkok and Chiang Mai, none patched since 2020.\n"


def check(text: str) -> str:
    bad = [word for word in FORBIDDEN if word in text]
    assert not bad, f"sample text uses labelled words {bad}"
    return text


def write(name: str, data: bytes) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_bytes(data)
    print(f"containers/{name}: {len(data):,} bytes")


def _crc_byte(crc: int, byte: int) -> int:
    """PKWARE's CRC step without zlib's pre- and post-inversion."""
    return zlib.crc32(bytes([byte]), crc ^ 0xFFFFFFFF) ^ 0xFFFFFFFF


def zipcrypto(data: bytes, password: bytes, crc: int, rng: random.Random) -> bytes:
    """Encrypt data the traditional PKWARE way, behind its 12-byte header."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(byte: int) -> None:
        keys[0] = _crc_byte(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = _crc_byte(keys[2], keys[1] >> 24)

    for byte in password:
        update(byte)
    out = bytearray()
    for byte in bytes(rng.getrandbits(8) for _ in range(11)) + bytes([crc >> 24]) + data:
        temp = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ ((temp * (temp ^ 1)) >> 8) & 0xFF)
        update(byte)
    return bytes(out)


def raw_zip(members: list[tuple[bytes, bytes, bytes | None]]) -> bytes:
    """Write a zip of (name bytes, content, password or None): deflated, names stored as given."""
    rng = random.Random(20220509)
    dos_time = (DATE[3] << 11) | (DATE[4] << 5) | DATE[5] // 2
    dos_date = ((DATE[0] - 1980) << 9) | (DATE[1] << 5) | DATE[2]
    body, central = bytearray(), bytearray()
    for name, content, password in members:
        crc = zlib.crc32(content)
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = packer.compress(content) + packer.flush()
        flags = 0  # no UTF-8 flag (bit 11): the names are whatever bytes the caller gives
        if password:
            packed, flags = zipcrypto(packed, password, crc, rng), 0x1
        fields = (20, flags, 8, dos_time, dos_date, crc, len(packed), len(content), len(name))
        central += struct.pack("<4s2H", b"PK\x01\x02", 20, 20) + struct.pack("<4H3LH", *fields[1:])
        central += struct.pack("<4HLL", 0, 0, 0, 0, 0x20, len(body)) + name  # 0x20: archive bit
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + name + packed
    count = len(members)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(body), 0)
    return bytes(body + central + end)


def std_zip(members: dict[str, bytes]) -> bytes:
    """Write a zip with zipfile, as most tools do: UTF-8 flag on non-ASCII names."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, content in members.items():
            archive.writestr(_info(name), content)
    return buf.getvalue()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, DATE)
    info.create_system = 3  # Unix, whatever platform runs this script
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def zip_bomb(mebibytes: int = 200) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive, archive.open(_info("disk_image.bin"), "w") as out:
        for _ in range(mebibytes):
            out.write(bytes(2**20))
    return buf.getvalue()


def nested_zip(levels: int = 6) -> bytes:
    data = std_zip({"innermost.txt": f"innermost text, level {levels}\n".encode()})
    for level in range(levels - 1, 0, -1):
        data = std_zip({f"level{level + 1}.zip": data})
    return data


def tar_gz(members: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(content), EPOCH, 0o644
            archive.addfile(info, io.BytesIO(content))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=EPOCH) as packed:
        packed.write(raw.getvalue())
    return out.getvalue()


def seven_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w") as archive:
        for name, content in members.items():
            archive.writestr(content, name)
        # writestr stamps the current time; fixed stamps keep the bytes reproducible.
        stamp = ArchiveTimestamp.from_datetime(EPOCH)
        for info in archive.header.files_info.files:
            info.update(creationtime=stamp, lastwritetime=stamp, lastaccesstime=stamp)
    return buf.getvalue()


def word(text: str, charset: str) -> str:
    """An RFC 2047 encoded word; the codec is strict, so GB2312 text must really be GB2312."""
    codec = {"GB2312": "gb2312", "GBK": "gbk", "UTF-8": "utf-8"}[charset]
    return f"=?{charset}?B?{base64.b64encode(check(text).encode(codec)).decode()}?="


def b64(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return "\n".join(text[i : i + 76] for i in range(0, len(text), 76))


MAIL_BODY = """王磊：

泰国航空公司项目本周进展如下：
1. 曼谷机场值机系统的测试账号已拿到；
2. 航空公司内部邮箱的登录页面已截图；
3. 名单见附件，会议纪要也一并附上。

李喆
2022年6月14日
"""
MAIL_HTML = (
    "<html><head><style>p { color: #333 }</style><script>alert(1)</script></head>"
    "<body><p>王磊：</p><p>泰国航空公司项目本周进展如下（网页版）。</p><p>李喆</p></body></html>"
)
THAI_AIRLINES = (
    "泰国 航空公司名单\n\n1. 曼谷某航空公司 check-in.bkk-air.example\n2. 普吉某包机公司\n"
)
MINUTES_MD = "# 会议纪要\n\n- 讨论泰国项目排期\n- 下次会议：6月21日\n"
FORWARDED = f"""From: {word("王磊", "UTF-8")} <wang.lei@mail.example>
To: li.zhe@mail.example
Date: Mon, 13 Jun 2022 18:05:00 +0800
Subject: {word("排期确认", "UTF-8")}
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

排期没有问题，按计划推进。
"""


def project_mail() -> bytes:
    """A GBK mail as Chinese clients send it: gb2312 labels, GBK-only characters (喆) inside."""
    filename = "".join(f"%{b:02X}" for b in "航空公司名单.txt".encode("gb2312"))
    head = f"""From: {word("李喆", "GBK")} <li.zhe@mail.example>
To: {word("王磊", "UTF-8")} <wang.lei@mail.example>
Cc: ops@mail.example
Date: Tue, 14 Jun 2022 09:30:00 +0800
Subject: {word("关于泰国航空公司项目的进度", "GB2312")}
Message-ID: <20220614093000.4711@mail.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="==mix"

This is a multi-part message in MIME format.

--==mix
Content-Type: multipart/alternative; boundary="==alt"

--==alt
Content-Type: text/plain; charset="gb2312"
Content-Transfer-Encoding: base64

{b64(check(MAIL_BODY).encode("gbk"))}
--==alt
Content-Type: text/html; charset="gb2312"
Content-Transfer-Encoding: base64

{b64(check(MAIL_HTML).encode("gbk"))}
--==alt--

--==mix
Content-Type: text/plain; charset="gbk"
Content-Disposition: attachment;
 filename*=gb2312''{filename}
Content-Transfer-Encoding: base64

{b64(check(THAI_AIRLINES).encode("gbk"))}
--==mix
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="{word("会议纪要.md", "UTF-8")}"
Content-Transfer-Encoding: base64

{b64(check(MINUTES_MD).encode())}
--==mix
Content-Type: message/rfc822

{check(FORWARDED)}
--==mix--
"""
    return head.replace("\n", "\r\n").encode("utf-8")  # Windows mailers write CRLF


MBOX = [
    (
        "Mon May  9 10:00:00 2022",
        f"""From: chen.ming@mail.example
To: team@mail.example
Date: Mon, 09 May 2022 10:00:00 +0800
Subject: {word("蒙古国航空公司项目", "UTF-8")}
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

乌兰巴托的航空公司名单已更新，请查收。
""",
    ),
    (
        "Tue May 10 08:15:00 2022",
        """From: Nguyen Van An <an.nguyen@mail.example>
To: team@mail.example
Date: Tue, 10 May 2022 08:15:00 +0700
Subject: University webmail in Hanoi

Quick update on the webmail portal.
>From the portal logs: 12 accounts still use default passwords.
From here on we use the new relay.
""",
    ),
    (
        "Wed May 11 16:40:00 2022",
        f"""From: {word("小陈", "GB2312")} <xiao.chen@mail.example>
To: team@mail.example
Date: Wed, 11 May 2022 16:40:00 +0800
Subject: {word("医院网站清单", "GB2312")}
Content-Type: text/plain; charset=gb2312
Content-Transfer-Encoding: 8bit

医院网站清单已整理完毕，共十二个站点。
""",
    ),
]


def mbox() -> bytes:
    out = b""
    for stamp, message in MBOX:
        body = check(message).encode("gbk" if "gb2312" in message else "utf-8")
        out += f"From {stamp.split()[0].lower()}@mail.example {stamp}\n".encode() + body + b"\n"
    return out


def main() -> None:
    gbk = {"尼泊尔项目/会议纪要.txt": NEPAL_MINUTES, "尼泊尔项目/进度说明.md": NEPAL_PROGRESS}
    write(
        "gbk_names.zip",
        raw_zip([(n.encode("gbk"), check(t).encode("gbk"), None) for n, t in gbk.items()]),
    )
    utf8 = {"蒙古国/航空公司名单.txt": MONGOLIA_LIST, "readme.txt": "Airline list, Mongolia.\n"}
    write("utf8_names.zip", std_zip({n: check(t).encode() for n, t in utf8.items()}))
    vietnam = {"越南/大学名单.txt": VIETNAM_UNIS, "越南/notes_en.txt": VIETNAM_EN}
    write("vietnam_notes.tar.gz", tar_gz({n: check(t).encode() for n, t in vietnam.items()}))
    thai = {"泰国/医院名单.txt": THAI_HOSPITALS, "泰国/summary.txt": THAI_EN}
    write("thailand_notes.7z", seven_zip({n: check(t).encode() for n, t in thai.items()}))
    write("nested.zip", nested_zip())
    write("zip_bomb.zip", zip_bomb())
    secret = check("尼泊尔某大学邮箱账号清单（加密）\n").encode()
    write("encrypted.zip", raw_zip([(b"accounts.txt", secret, b"nepal2022")]))
    plain = check("This member is not encrypted.\n").encode()
    both = [(b"readme.txt", plain, None), (b"accounts.txt", secret, b"nepal2022")]
    write("partly_encrypted.zip", raw_zip(both))
    names = [b"../../outside.txt", b"/etc/absolute.txt", b"C:\\Users\\chen\\notes.txt"]
    names.append(b"./docs/./plan.txt")
    write("traversal.zip", raw_zip([(n, b"name test: " + n + b"\n", None) for n in names]))
    filler = "\n".join(f"第{i}行 越南大学邮箱测试" for i in range(400)).encode()
    write("corrupt.zip", std_zip({"a.txt": filler})[:300])
    write("corrupt.tar.gz", tar_gz({"a.txt": filler})[:600])
    write("corrupt.7z", seven_zip({"a.txt": filler})[:200])
    write("project_mail.eml", project_mail())
    write("mailbox.mbox", mbox())


if __name__ == "__main__":
    main()
