"""Tests of indicator extraction: one row per rule, with the false-positive traps beside each."""

import time
from pathlib import Path

import pytest

from indexer.classify.indicators import (
    Indicators,
    clean_text,
    domain_terms,
    find_indicators,
    locate,
    refang,
)

CORPUS = Path(__file__).parent.parent / "corpus_sample"

MD5 = "d41d8cd98f00b204e9800998ecf8427e"
SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def found(text: str, kind: str) -> tuple[str, ...]:
    """Return one field of the indicators found in text."""
    return getattr(find_indicators(text), kind)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("服务器192.0.2.7已上线", ("192.0.2.7",)),
        ("出口走的198.51.100.23", ("198.51.100.23",)),
        (r"192\.0\.2\.1", ("192.0.2.1",)),  # markdown-escaped
        ("192.0.2[.]1", ("192.0.2.1",)),  # defanged
        ("１９２．０．２．１", ("192.0.2.1",)),  # full-width
        ("198.51.100.61:443/tcp", ("198.51.100.61",)),
        ("192.0.2.1-192.0.2.9", ("192.0.2.1", "192.0.2.9")),
        ("192.0.2.1 与 192.0.2.1", ("192.0.2.1",)),  # once
        ("999.1.1.1", ()),  # octet out of range
        ("192.168.01.1", ()),  # leading zero: octal or decimal is ambiguous
        ("v2.3.1.4", ()),  # version
        ("192.0.2.1.5", ()),  # five parts: an OID or version, not an IP
        ("2001:DB8:0:0:0:0:0:1", ("2001:db8::1",)),  # normalised
        ("地址2001:db8::1，端口443", ("2001:db8::1",)),
        ("fe80::1%eth0", ("fe80::1",)),
        ("http://[2001:db8::2]:8080/", ("2001:db8::2",)),
        ("2001:db8::1 then 192.0.2.1", ("2001:db8::1", "192.0.2.1")),  # order of appearance
        ("2019-03-11 09:02:14", ()),  # a time is not IPv6
        ("00:1a:2b:3c:4d:5e", ()),  # MAC address
        ("std::string a :: b", ()),  # C++ scope and a bare ::
        ("ip: 10.1.2.3", ("10.1.2.3",)),
        ("8.8.8.8:53", ("8.8.8.8",)),
        ("10.1.2.3 web服务器\n10.1.2.4 数据库", ("10.1.2.3", "10.1.2.4")),  # an asset list
        ("198.51.100.23是出口", ("198.51.100.23",)),
    ],
)
def test_ip(text: str, expected: tuple[str, ...]) -> None:
    assert found(text, "ip") == expected


@pytest.mark.parametrize(
    "text",
    [
        "4.1.4.1 系统架构 ........ 12",  # a table of contents' line: leaders and a page number
        "4.1.2.3 总体设计…………37",
        "## 4.1.4.1 Overview\t17",
        "3.2.1.1\t数据采集\t8",
        "4.1 总体设计\n正文\n4.1.4.1 系统架构\n正文",  # a heading under a numbered parent
        "4.1.4 设计\n\n4.1.4.2. Data flow",
        "见4.1.2.3节",  # section references
        "详见第2.1.1.4条",
        "as described in Section 4.1.2.3.",
    ],
)
def test_section_numbers_are_not_ips(text: str) -> None:
    assert found(text, "ip") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"mofa\.gov\.pk", ("mofa.gov.pk",)),
        ("访问MAIL.MOFA.GOV.PK。", ("mail.mofa.gov.pk",)),
        ("域名www.baidu.com已失效", ("www.baidu.com",)),
        ("example[.]com and evil(dot)example(dot)org", ("example.com", "evil.example.org")),
        ("ｅｘａｍｐｌｅ．ｃｏｍ", ("example.com",)),
        ("see example.com.", ("example.com",)),  # sentence full stop
        ("github.io", ("github.io",)),  # private-section suffixes are domains here
        ("mail.interior.gov.pk.example", ("mail.interior.gov.pk.example",)),  # RFC 2606 TLD
        ("gov.pk", ()),  # a public suffix, not a domain
        ("host.invalidtld", ()),  # TLD not in the Public Suffix List
        ("report.docx image.png archive.rar", ()),  # file names
        ("README.md setup.py main.rs logo.ai 报表.et mea_sample_0311.zip", ()),  # ext = TLD
        ("http://x.zip/ and www.point.md", ("x.zip", "www.point.md")),  # host, www.
        ("mf.gov.pl but not wp.pl", ("mf.gov.pl",)),  # longer suffix keeps a file TLD
        ("v2.3.1 and 5.49GB and 3.2.1-beta", ()),  # versions, sizes
        ("Mr.Li 和 XX Co.Ltd", ()),  # title-case TLD: prose
        ("ASP.NET", ("asp.net",)),  # all-caps TLD: a real domain
        ("com.tencent.mm", ()),  # Android package name
        ("admin@example.com", ("example.com",)),  # email domains are domains too
        ("wei.li@example.com", ("example.com",)),  # not the local part
        ("co.th、com.cn 和 gov.in", ()),  # bare public suffixes
        ("www.co.th and mail.co.th", ("www.co.th", "mail.co.th")),
        (
            "i-soon.net mail.163.com 0.pool.ntp.org",
            ("i-soon.net", "mail.163.com", "0.pool.ntp.org"),
        ),
        ("xn--fiqs8s.xn--fiqs8s 与 evil.top", ("xn--fiqs8s.xn--fiqs8s", "evil.top")),  # IDN
        ("kompas.id 和 mail.go.id", ("mail.go.id",)),  # an ambiguous ccTLD bare, a longer suffix
        ("http://kompas.id/a and ops@kompas.id", ("kompas.id",)),  # ... or as a host
    ],
)
def test_domain(text: str, expected: tuple[str, ...]) -> None:
    assert found(text, "domain") == expected


@pytest.mark.parametrize(
    "text",
    [
        "campaign.country: India\ncampaign.id: IN-MEA-2019",  # JSON key paths, flattened
        "relays.0.host: a\nrelays.1.ip: b\nitems.3.com",  # array indices
        "modules.shell: true\nuser.email=x\nuser.name=y\nconfig.data",  # members named like TLDs
        'location.href = "/selectArticleNewsById.do?id=3"',  # Struts actions
        "data.id, row.id, user.id",
        "report.app main.ms timeout.ms util.ml",
        "self.at = 1; this.to = 2; window.top.name",  # member access on the object itself
    ],
)
def test_code_is_not_domains(text: str) -> None:
    assert found(text, "domain") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hxxps://evil[.]example[.]com/a?b=1", ("https://evil.example.com/a?b=1",)),
        ("hXXp[:]//192.0.2.1/x", ("http://192.0.2.1/x",)),
        ("见http://example.com/path，谢谢", ("http://example.com/path",)),
        ("HTTP://Example.COM/Path", ("http://example.com/Path",)),  # host lower-cased only
        ("(see https://example.com/a_(b)).", ("https://example.com/a_(b)",)),
        ("[link](http://a.example/x)", ("http://a.example/x",)),  # markdown link
        (
            '<script src="http://198.51.100.61/static/hook.js">',
            ("http://198.51.100.61/static/hook.js",),
        ),
        ("http://a.example/?a=1&amp;b=2", ("http://a.example/?a=1&b=2",)),  # HTML entity
        ("ftp://files.example.org/pub/", ("ftp://files.example.org/pub/",)),
        ("http:// nothing", ()),
        ("mailto:jobs@xingyuan-net.example", ()),
    ],
)
def test_url(text: str, expected: tuple[str, ...]) -> None:
    assert found(text, "url") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("邮箱admin@example.com。", ("admin@example.com",)),
        ("Admin@Example.COM", ("admin@example.com",)),
        ("admin[at]example[.]com", ("admin@example.com",)),
        (r"first\_last@example.com", ("first_last@example.com",)),
        ('<a href="mailto:jobs@xingyuan-net.example">', ("jobs@xingyuan-net.example",)),
        ("13800000000@qq.com", ("13800000000@qq.com",)),
        ("密码Admin@123，服了", ()),  # a password, not an address
        ("user@report.docx", ()),
    ],
)
def test_email(text: str, expected: tuple[str, ...]) -> None:
    assert found(text, "email") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"样本MD5为{MD5}，", (MD5,)),
        (f"sha1:{SHA1}", (SHA1,)),
        (f"SHA256 {SHA256.upper()}", (SHA256,)),  # lower-cased
        (f"https://www.virustotal.com/gui/file/{SHA256}", (SHA256,)),
        (MD5 + "a", ()),  # 33 hex digits
        (MD5[:-1], ()),  # 31
        (SHA256 + "0", ()),  # 65: inside a longer hex run
        ("1" * 32, ()),  # a long number
        ("0f8fad5b-d9cb-469f-a165-70867728950e", ()),  # UUID
        (f"x{MD5}", ()),  # part of an identifier
    ],
)
def test_hash(text: str, expected: tuple[str, ...]) -> None:
    assert found(text, "hash") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+86 138 0000 0000", ("+8613800000000",)),
        ("手机13800000000", ("+8613800000000",)),  # a Chinese mobile gets +86
        ("电话：138-0000-0000", ("+8613800000000",)),
        ("0086 13800000000", ("+8613800000000",)),
        ("021-0000-0000", ("02100000000",)),  # national landline: digits, trunk 0 kept
        ("电话：028-0000-8100（仅内部）", ("02800008100",)),
        ("(021) 6000 0000", ("02160000000",)),
        ("+92 51 9207881", ("+92519207881",)),
        ("+1 (202) 555-0100", ("+12025550100",)),
        ("+86 13800000000 2021 年入职", ("+8613800000000",)),  # the year is not a digit group
        ("2021-05-12", ()),  # date
        ("192.0.2.1", ()),
        ("v2.3.1", ()),
        ("5.49GB 350,000 CNY", ()),
        ("1620799402000", ()),  # epoch milliseconds
        ("110101199003071234", ()),  # identity card number
        ("wxid_13800000000", ()),
        ("http://example.com/item/13800000000", ()),  # inside a URL
        ("13800000000@qq.com", ()),  # an email address
        ("+1 234", ()),  # too short for a phone number
    ],
)
def test_phone(text: str, expected: tuple[str, ...]) -> None:
    assert found(text, "phone") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("95.2 GB", ("95.2GB",)),
        ("3 TB", ("3TB",)),
        ("5.49G", ("5.49GB",)),  # bare G means gigabytes in Chinese chat
        ("3.2G，还在往回拖", ("3.2GB",)),
        ("3T数据", ("3TB",)),
        ("500mb", ("500MB",)),
        ("1,024 MB", ("1024MB",)),
        ("1.50TB and 2.0GB", ("1.5TB", "2GB")),
        ("1.5TiB", ("1.5TB",)),
        (r"3\.2GB", ("3.2GB",)),
        ("5.49GB 和 5.49G", ("5.49GB",)),  # once
        ("4G网络和5G基站", ()),  # mobile networks
        ("500M带宽", ()),  # bandwidth
        ("月薪15K", ()),  # salary
        ("500g", ()),  # grams
        ("100MB/s 和 100Mbps", ()),  # rates
        ("1.2万条", ()),  # row counts are not sizes
        ("v5.49GB", ()),
        ("Falcon-X 2.1 的dll版", ()),
    ],
)
def test_amount(text: str, expected: tuple[str, ...]) -> None:
    assert found(text, "amount") == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("mail.mofa.gov.pk", ("mail.mofa.gov.pk", "mofa.gov.pk")),  # the public suffix is not
        ("MOFA.gov.pk.", ("mofa.gov.pk",)),
        ("example.com", ("example.com",)),
        ("a.b.example.co.uk", ("a.b.example.co.uk", "b.example.co.uk", "example.co.uk")),
        (
            "mail.mofa.gov.vn.example",
            ("mail.mofa.gov.vn.example", "mofa.gov.vn.example", "gov.vn.example", "vn.example"),
        ),
        ("gov.pk", ()),
        ("co.th", ()),
        ("com", ()),
        ("report.docx", ()),
        ("", ()),
    ],
)
def test_domain_terms(domain: str, expected: tuple[str, ...]) -> None:
    assert domain_terms(domain) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"mail\.mea\-consular\.in\.example", "mail.mea-consular.in.example"),
        ("ｍａｉｌ＠ｅｘａｍｐｌｅ．ｃｏｍ　ｘ", "mail@example.com x"),
        ("a &amp; b", "a & b"),
        (r"C:\Users\admin", r"C:\Users\admin"),  # a backslash before a letter stays
    ],
)
def test_clean_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hxxp://a[.]b", "http://a.b"),
        ("hxxps[://]a[.]b", "https://a.b"),
        ("a [at] b [dot] c", "a@b.c"),
        ("a(@)b{.}c", "a@b.c"),
        ("[link](http://x)", "[link](http://x)"),
    ],
)
def test_refang(text: str, expected: str) -> None:
    assert refang(text) == expected


def test_nothing() -> None:
    assert find_indicators("") == Indicators((), (), (), (), (), (), ())


def test_target_list() -> None:
    """A real target-list table: escaped domains, sizes, and date ranges that are none of them."""
    found_ = find_indicators((CORPUS / "targets" / "south_asia_2021.md").read_text("utf-8"))
    assert found_.domain[:3] == (
        "mail.mea-consular.in.example",
        "police-hq.state.in.example",
        "mail.iit-west.ac.in.example",
    )
    assert found_.amount[:4] == ("3.2GB", "780MB", "21GB", "3TB")
    assert found_.ip == found_.phone == found_.hash == ()


def test_chat_log() -> None:
    """A real chat log: IPs typed between Chinese words, timestamps that are not IPv6."""
    found_ = find_indicators((CORPUS / "chat" / "0.md").read_text("utf-8"))
    assert "198.51.100.23" in found_.ip
    assert all("." in ip for ip in found_.ip)
    assert "3.2GB" in found_.amount
    assert "mea_sample_0311.zip" not in found_.domain


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        (
            "出口走的198.51.100.23，备用 192.0.2.1",
            "ip",
            [(4, 17, "198.51.100.23"), (21, 30, "192.0.2.1")],
        ),
        ("4.1 目录\n4.1.4.1 概述", "ip", []),
        ("见 MAIL.gov.in 与 x.json", "domain", [(2, 13, "mail.gov.in")]),
        ("(see https://a.example/x).", "url", [(5, 24, "https://a.example/x")]),
        ("手机138-0000-0000", "phone", [(2, 15, "+8613800000000")]),
        ("escaped mail\\.gov\\.in", "domain", []),  # not where the text writes it plainly
    ],
)
def test_locate(text: str, kind: str, expected: list) -> None:
    assert locate(text, kind) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        "a." * 50_000,
        ":" * 100_000,
        "f" * 100_000,
        "+1 " * 30_000,
        "1." * 50_000,
        "http://" + "a" * 100_000,
        "a@" * 50_000,
    ],
)
def test_no_catastrophic_backtracking(text: str) -> None:
    # CPU time, with room: backtracking costs minutes on such input, a loaded machine seconds.
    # (Throughput is measured by the build benchmark, not here.)
    start = time.process_time()
    find_indicators(text)
    assert time.process_time() - start < 5.0
