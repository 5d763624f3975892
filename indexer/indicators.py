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
from dataclasses import dataclass
from functools import cache

from publicsuffixlist import PublicSuffixList


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


# TLDs that are also common file extensions: `README.md`, `setup.py`, `wps.et`, `logo.ai`.
# A domain ending in one counts only as a URL host, an email domain, behind `www.`, or under a
# longer public suffix (`mf.gov.pl`). `.cc` and `.mo` stay out: Chinese infrastructure and Macao
# use them far more than C++ sources or gettext catalogues appear in leaks.
FILE_TLDS = frozenset(
    {"ai", "app", "cab", "et", "java", "map", "md", "mobi", "mov", "one", "pl", "ps", "pub"}
    | {"py", "rs", "run", "sh", "so", "zip"}
)
# RFC 2606 names, not in the PSL, used by documentation and by our synthetic sample corpus.
RESERVED_TLDS = frozenset({"example", "test"})
# Reverse-DNS identifiers (`com.tencent.mm`, Android packages) start with a generic TLD.
REVERSE_DNS_HEADS = frozenset({"com", "org", "net"})

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


@cache
def _psl() -> PublicSuffixList:
    # The bundled snapshot only; ICANN section, so `github.io` and `blogspot.com` are domains.
    return PublicSuffixList(accept_unknown=False, only_icann=True)


def clean_text(text: str) -> str:
    """Return text with HTML entities decoded, markdown escapes removed and widths folded."""
    if "&" in text:
        text = html.unescape(text)
    text = _WIDE.sub(lambda m: " " if m[0] == "\u3000" else chr(ord(m[0]) - 0xFEE0), text)
    return _MD_ESCAPE.sub(r"\1", text)


def refang(text: str) -> str:
    """Undo common defanging: hxxp(s), [.], (dot), [@], [at], [:], [://]."""
    return _REFANG.sub(lambda m: _FANGS[m[1].lower()] if m[1] else "http", text)


def _suffix(domain: str) -> str | None:
    tld = domain.rsplit(".", 1)[-1]
    return tld if tld in RESERVED_TLDS else _psl().publicsuffix(domain)


def _valid_domain(name: str, prefix: str) -> str | None:
    """Return name lower-cased if it is a registrable domain or below one, else None."""
    labels = name.split(".")
    tld = labels[-1]
    # Domains are written with a lower-case or all-caps TLD; `Mr.Li` and `Co.Ltd` are prose.
    if tld[0].isupper() and not tld.isupper() or len(name) > 253:
        return None
    domain = name.lower()
    suffix = _suffix(domain)
    if suffix is None or suffix == domain or labels[0].lower() in REVERSE_DNS_HEADS:
        return None
    is_host = prefix.endswith(("://", "@")) or domain.startswith("www.")
    if suffix in FILE_TLDS and not is_host:
        return None
    return domain


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


def _url(raw: str) -> str:
    url = raw.rstrip(_URL_TRAIL)
    # Strip closing brackets that the URL did not open: markdown links, prose in parentheses.
    while url[-1] in ")]" and url.count(url[-1]) > url.count("(" if url[-1] == ")" else "["):
        url = url[:-1].rstrip(_URL_TRAIL)
    scheme, _, rest = url.partition("://")
    host_end = len(rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0])
    return f"{scheme.lower()}://{rest[:host_end].lower()}{rest[host_end:]}"


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def find_indicators(text: str) -> Indicators:
    """Return the IPs, domains, URLs, emails, hashes, phone numbers and data sizes in a text."""
    text = refang(clean_text(text))
    urls = [_url(m[0]) for m in URL_RE.finditer(text)]
    ips = [(m.start(), _ip(m[0])) for m in IPV4_RE.finditer(text)]
    ips += [(m.start(), _ip(m[0])) for m in IPV6_RE.finditer(text)]
    domains = [
        _valid_domain(m[0], text[max(0, m.start() - 3) : m.start()])
        for m in DOMAIN_RE.finditer(text)
    ]
    emails = [m[0].lower() for m in EMAIL_RE.finditer(text) if _valid_domain(m[1], "@")]
    hashes = [
        h.lower()
        for h in HASH_RE.findall(text)
        if len(h) in (32, 40, 64) and re.search("[a-fA-F]", h) and re.search("[0-9]", h)
    ]
    # Phones and sizes are looked for outside URLs, whose paths and queries are full of numbers.
    rest = URL_RE.sub(" ", text) if urls else text
    return Indicators(
        ip=_unique([ip for _, ip in sorted(ips, key=lambda p: p[0]) if ip]),
        domain=_unique(domains),
        url=_unique(urls),
        email=_unique(emails),
        hash=_unique(hashes),
        phone=_unique([_phone(m) for m in PHONE_RE.finditer(rest)]),
        amount=_unique([_amount(m) for m in AMOUNT_RE.finditer(rest)]),
    )


def domain_terms(domain: str) -> tuple[str, ...]:
    """Return the domain and each parent with at least two labels, e.g. a.gov.pk, gov.pk.

    mail.mofa.gov.pk gives (mail.mofa.gov.pk, mofa.gov.pk, gov.pk): every name from the domain
    down to its public suffix, the suffix included when it has two or more labels (gov.pk,
    com.cn) and left out when it is a bare TLD (com, pk), a term that would match too much.
    The input is lower-cased and stripped of a trailing dot; a name whose TLD is unknown to the
    Public Suffix List (and is not example/test) gives ().
    """
    domain = domain.strip().rstrip(".").lower()
    if "." not in domain or _suffix(domain) is None:
        return ()
    labels = domain.split(".")
    return tuple(".".join(labels[i:]) for i in range(len(labels) - 1))
