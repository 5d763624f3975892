"""Indicators researchers pull out of leaks: IPs, domains, URLs, emails, hashes, phones, sizes.

Text is cleaned first (HTML entities, full-width forms, markdown escapes such as `\\.`, defanged
`hxxp` / `[.]` / `[at]`), then each kind's compiled regex runs once over it. Each tuple is unique
and in order of first appearance. What counts (each rule has a test row):
- ip: IPv4 (octets 0..255, no leading zeros) and IPv6, in the ipaddress module's form.
- domain: a name under a suffix of the bundled Public Suffix List (or .example/.test), lower-case,
  wherever written: URL hosts and the domain part of email addresses count too, so a search for
  a domain finds its mail. Not domains: public suffixes themselves (gov.pk), file names
  (report.docx; README.md, see FILE_TLDS), title-case TLDs (Mr.Li) and com.tencent.mm-style ids.
- url: http, https and ftp only (www.x.com/a is a domain); scheme and host lower-cased.
- hash: a whole hex run of exactly 32, 40 or 64 characters, with letters and digits, lower-case.
- phone: +CC international numbers as + and digits; Chinese mobiles as +86 and 11 digits
  whether +86 was written or not; landlines written with an area code (021-6000-0000) as digits.
- amount: data sizes as number and KB/MB/GB/TB/PB (95.2 GB, 5.49G -> 95.2GB, 5.49GB); record
  counts (1.2万条) are not sizes.
"""

import html
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

from indexer.classify.domains import domain_terms, valid_domain

__all__ = ["Indicators", "clean_text", "domain_terms", "find_indicators", "locate", "refang"]


@dataclass(frozen=True)
class Indicators:
    """Normalised indicators found in one text, each tuple unique and in order of appearance."""

    ip: tuple[str, ...]
    domain: tuple[str, ...]
    url: tuple[str, ...]
    email: tuple[str, ...]
    hash: tuple[str, ...]
    phone: tuple[str, ...]
    amount: tuple[str, ...]


# Full-width ASCII and the ideographic space, the only width folding indicators need: fold() would
# also convert Traditional Chinese, at eight times the cost.
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_REFANG = re.compile(r"h[x*]{2}p(?=s?\[?:)|\s?[\[({](\.|dot|@|at|:(?://)?)[\])}]\s?", re.I)
_FANGS = {".": ".", "dot": ".", "@": "@", "at": "@", ":": ":", "://": "://"}
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = rf"(?:{_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?"
_DOMAIN_END = r"(?![A-Za-z0-9_@-]|\.[A-Za-z0-9])"
DOMAIN_RE = re.compile(rf"(?<![A-Za-z0-9_.-]){_DOMAIN}{_DOMAIN_END}")
EMAIL_RE = re.compile(rf"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{{1,64}}@({_DOMAIN}){_DOMAIN_END}")
URL_RE = re.compile(r"(?<![A-Za-z])(?:https?|ftp)://[A-Za-z0-9\[][!#-&(-;=?-\[\]_a-z~%]*", re.I)
IPV4_RE = re.compile(r"(?<![0-9A-Za-z.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9A-Za-z]|\.[0-9])")
IPV6_RE = re.compile(
    r"(?<![0-9A-Za-z_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
    r"(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{1,4})?(?![0-9A-Za-z_:]|\.[0-9])"
)
HASH_RE = re.compile(r"(?<![0-9A-Za-z_])[0-9A-Fa-f]{32,64}(?![0-9A-Za-z_])")
# Chinese mobiles (11 digits, 1[3-9]...) and international +CC numbers; national landlines only
# with an area code set off by `-` or `()`, which keeps dates, IPs and amounts out.
PHONE_RE = re.compile(
    r"(?<![0-9A-Za-z_+.\-/])(?:"
    r"(?P<intl>\+[0-9]{1,3}[ -]?(?:\([0-9]{1,4}\)[ -]?)?[0-9]{1,11}(?:[ -][0-9]{1,11}){0,3})"
    r"|(?P<mobile>(?:(?:00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4})"
    r"|(?P<land>(?:\(0[0-9]{2,3}\) ?|0[0-9]{2,3}-)[0-9]{3,4}[ -]?[0-9]{4})"
    r")(?![0-9A-Za-z_@]|[.\-/][0-9])"
)
# Data sizes. Bare single-letter units only as G/T/P in upper case: `500M` is bandwidth or money,
# `15K` a salary, `500g` grams, and `4G`/`5G` are mobile networks (excluded below).
AMOUNT_RE = re.compile(
    r"(?<![0-9A-Za-z_.])(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))? ?"
    r"(?:(?P<unit>[KkMmGgTtPp])(?:i?[Bb])|(?P<bare>[GTP]))(?![A-Za-z]|/s)"
)
_NETWORK_GENERATIONS = frozenset({"2G", "3G", "4G", "5G", "6G"})
_URL_TRAIL = ".,;:!?'\"*"
# Section numbers that look like IPv4 addresses (4.1.4.1): in words that name a section...
_SECTION_BEFORE = re.compile(
    r"(?:第|见|参见|章节|§|\b(?:[Ss]ection|[Ss]ec\.|[Cc]hapter|[Cc]lause))\s*$"
)
_SECTION_AFTER = re.compile(r"\s?[章节条款]")
# ... or starting a line (after markdown marks) with a heading after them, in a table of contents
# (dotted leaders or a tab, then a page number) or under numbered parent headings.
_HEADING_LEAD = re.compile(r"[ \t#>*]*")
_HEADING_AFTER = re.compile(r"\.?[ \t]*[^\W\d_]")
_TOC_TAIL = re.compile(r"(?:\.{3,}|…+|·{3,}|\t)\s*[0-9]{1,4}\s*$")
_NUMBERED_LINE = re.compile(r"(?m)^[ \t#>*]*([0-9]{1,3}(?:\.[0-9]{1,3}){1,2})\.?[ \t]*[^\W\d_]")

Found = tuple[int, int, str | None]  # start, end, normalised value (None: not an indicator)


def clean_text(text: str) -> str:
    """Return text with HTML entities decoded, markdown escapes removed and widths folded."""
    if "&" in text:
        text = html.unescape(text)
    text = _WIDE.sub(lambda m: " " if m[0] == "\u3000" else chr(ord(m[0]) - 0xFEE0), text)
    return _MD_ESCAPE.sub(r"\1", text)


def refang(text: str) -> str:
    """Undo common defanging: hxxp(s), [.], (dot), [@], [at], [:], [://]."""
    return _REFANG.sub(lambda m: _FANGS[m[1].lower()] if m[1] else "http", text)


def _ip(candidate: str) -> str | None:
    if ":" in candidate and "::" not in candidate and candidate.count(":") != 7:
        return None  # times (14:03:22) and MAC addresses, cheaply
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return None
    return None if address.version == 6 and address.is_unspecified else str(address)


def _phone(m: re.Match[str]) -> str:
    groups = re.findall("[0-9]+", m[0])
    # E.164 allows 15 digits: more means an international match ran into a following number.
    while m["intl"] and sum(map(len, groups)) > 15:
        groups.pop()
    digits = "".join(groups)
    if m["intl"]:
        return "+" + digits if len(digits) >= 8 else ""
    if m["mobile"]:
        # An 11-digit 1[3-9] number is a Chinese mobile: one form whether +86 was written or not.
        return "+86" + digits[-11:]
    return digits


def _amount(m: re.Match[str]) -> str:
    number = m["int"].replace(",", "").lstrip("0") or "0"
    if m["frac"] and m["frac"].rstrip("0"):
        number += "." + m["frac"].rstrip("0")
    if m["bare"] and not m["frac"] and number + m["bare"] in _NETWORK_GENERATIONS:
        return ""
    return number + (m["unit"] or m["bare"]).upper() + "B"


def _url(raw: str) -> tuple[int, str]:
    """Length of the URL in a match, trailing punctuation left off, and its normalised form."""
    url = raw.rstrip(_URL_TRAIL)
    # Strip closing brackets that the URL did not open: markdown links, prose in parentheses.
    while url[-1] in ")]" and url.count(url[-1]) > url.count("(" if url[-1] == ")" else "["):
        url = url[:-1].rstrip(_URL_TRAIL)
    scheme, _, rest = url.partition("://")
    host_end = len(rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0])
    return len(url), f"{scheme.lower()}://{rest[:host_end].lower()}{rest[host_end:]}"


def _is_section_number(text: str, start: int, end: int, headings: set[str]) -> bool:
    """True for a dotted number that numbers a section (4.1.4.1 总体设计, 见4.1.2.3节)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if _SECTION_BEFORE.search(text, max(line_start, start - 10), start):
        return True
    if _SECTION_AFTER.match(text, end):
        return True
    if not _HEADING_LEAD.fullmatch(text, line_start, start) or not _HEADING_AFTER.match(text, end):
        return False
    # A line that starts with the number and a heading: a table of contents' line (dotted
    # leaders, a page number), or a heading under numbered parents (4.1, 4.1.4) of this text.
    parts = text[start:end].split(".")
    parents = {".".join(parts[:n]) for n in (2, 3)}
    return bool(_TOC_TAIL.search(text, end, line_end)) or bool(parents & headings)


def _ips(text: str) -> list[Found]:
    found = [(m.start(), m.end(), _ip(m[0])) for m in IPV4_RE.finditer(text)]
    if found:
        headings = set(_NUMBERED_LINE.findall(text))
        found = [f for f in found if not _is_section_number(text, f[0], f[1], headings)]
    found += [(m.start(), m.end(), _ip(m[0])) for m in IPV6_RE.finditer(text)]
    return sorted(found)


def _domains(text: str) -> list[Found]:
    return [
        (m.start(), m.end(), valid_domain(m[0], text.endswith(("://", "@"), 0, m.start())))
        for m in DOMAIN_RE.finditer(text)
    ]


def _urls(text: str) -> list[Found]:
    return [
        (m.start(), m.start() + n, url) for m in URL_RE.finditer(text) for n, url in [_url(m[0])]
    ]


def _emails(text: str) -> list[Found]:
    return [
        (m.start(), m.end(), m[0].lower() if valid_domain(m[1], is_host=True) else None)
        for m in EMAIL_RE.finditer(text)
    ]


def _hashes(text: str) -> list[Found]:
    return [
        (m.start(), m.end(), h.lower())
        for m in HASH_RE.finditer(text)
        if len(h := m[0]) in (32, 40, 64) and re.search("[a-fA-F]", h) and re.search("[0-9]", h)
    ]


def _outside_urls(text: str) -> str:
    # Phones and sizes are looked for outside URLs, whose paths and queries are full of numbers;
    # blanks of the same length keep offsets.
    return URL_RE.sub(lambda m: " " * len(m[0]), text) if "://" in text else text


def _phones(text: str) -> list[Found]:
    return [(m.start(), m.end(), _phone(m)) for m in PHONE_RE.finditer(_outside_urls(text))]


def _amounts(text: str) -> list[Found]:
    return [(m.start(), m.end(), _amount(m)) for m in AMOUNT_RE.finditer(_outside_urls(text))]


_KINDS: dict[str, Callable[[str], list[Found]]] = {
    "ip": _ips,
    "domain": _domains,
    "url": _urls,
    "email": _emails,
    "hash": _hashes,
    "phone": _phones,
    "amount": _amounts,
}


def find_indicators(text: str) -> Indicators:
    """Return the IPs, domains, URLs, emails, hashes, phone numbers and data sizes in a text."""
    text = refang(clean_text(text))
    return Indicators(
        **{
            kind: tuple(dict.fromkeys(v for _, _, v in find(text) if v))
            for kind, find in _KINDS.items()
        }
    )


def locate(text: str, kind: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised value) of each indicator of one kind where text writes it plainly.

    Offsets are into text as given: indicators written escaped or defanged are not located.
    """
    return [(s, e, v) for s, e, v in _KINDS[kind](text) if v]
