"""Which dotted names are domains, and the names a domain is indexed under.

A name is a domain when it sits under a suffix of the bundled Public Suffix List (or .example /
.test) and is not the suffix itself. Code and data are full of dotted names that pass that test:
JSON key paths (campaign.country, relays.0.host), members (user.email, modules.shell), Struts
actions (selectArticleNewsById.do) and file names (README.md). Hundreds of TLDs are English words
or file extensions, so a bare name counts only under a TLD people write domains in (COMMON_GTLDS
and the ccTLDs, less AMBIGUOUS_CCTLDS); under any other it counts where it is plainly a host: a
URL, an email address, behind `www.`, or under a longer public suffix (mf.gov.pl).
"""

from functools import cache

from publicsuffixlist import PublicSuffixList

# Generic TLDs whose bare names are domains: the original ones, and the new ones most used by
# the infrastructure leaks talk about. Word TLDs that are also code members (.online, .email,
# .host, .data, .name, .app, .shell ...) stay out.
COMMON_GTLDS = frozenset({"com", "net", "org", "edu", "gov", "mil", "int", "info", "biz"})
COMMON_GTLDS |= {"xyz", "top"}
# ccTLDs that are also file extensions or identifiers: README.md, setup.py, logo.ai, 报表.et,
# data.id, list.do (Struts), timeout.ms, main.ml. `.cc` and `.mo` stay out: Chinese
# infrastructure and Macao use them far more than C++ sources or gettext catalogues appear.
AMBIGUOUS_CCTLDS = frozenset({"ai", "do", "et", "id", "md", "ml", "ms", "pl", "ps", "py", "rs"})
AMBIGUOUS_CCTLDS |= {"sh", "so"}
# RFC 2606 names, not in the PSL, used by documentation and by our synthetic sample corpus.
RESERVED_TLDS = frozenset({"example", "test"})
# First labels of names that are not hosts: reverse-DNS identifiers (`com.tencent.mm`, Android
# packages) start with a generic TLD, and member access in code with the object (self.id).
NOT_HOST_HEADS = frozenset({"com", "org", "net", "self", "this", "cls", "super", "window"})


@cache
def _psl() -> PublicSuffixList:
    # The bundled snapshot only; ICANN section, so `github.io` and `blogspot.com` are domains.
    return PublicSuffixList(accept_unknown=False, only_icann=True)


def public_suffix(domain: str) -> str | None:
    """The lower-case domain's public suffix (gov.pk, com, example), or None for an unknown TLD."""
    tld = domain.rsplit(".", 1)[-1]
    return tld if tld in RESERVED_TLDS else _psl().publicsuffix(domain)


def needs_host_context(suffix: str) -> bool:
    """True for a one-label suffix whose bare names are more often code or files than domains."""
    if "." in suffix or suffix in RESERVED_TLDS or suffix.startswith("xn--"):
        return False
    return suffix in AMBIGUOUS_CCTLDS or (len(suffix) > 2 and suffix not in COMMON_GTLDS)


def valid_domain(name: str, is_host: bool = False) -> str | None:
    """Return name lower-cased if it is a domain; is_host when written as a URL host or after @."""
    labels = name.split(".")
    tld = labels[-1]
    # Domains are written with a lower-case or all-caps TLD; `Mr.Li` and `Co.Ltd` are prose.
    if tld[0].isupper() and not tld.isupper() or len(name) > 253:
        return None
    domain = name.lower()
    suffix = public_suffix(domain)
    if suffix is None or suffix == domain or labels[0].lower() in NOT_HOST_HEADS:
        return None
    # A one-digit label after another is an array index in a key path (relays.0.host); the NTP
    # pool's 0.pool.ntp.org starts with its digit.
    if any(len(label) == 1 and label.isdigit() for label in labels[1:-1]):
        return None
    if needs_host_context(suffix) and not (is_host or domain.startswith("www.")):
        return None
    return domain


def domain_terms(domain: str) -> tuple[str, ...]:
    """Return the domain and each parent down to its registrable one: a.mofa.gov.pk, mofa.gov.pk.

    mail.mofa.gov.pk gives (mail.mofa.gov.pk, mofa.gov.pk): a search for mofa.gov.pk finds the
    mail server by one term. The public suffix (gov.pk, com.cn) is not a domain and is left out;
    a search for it scans the field's terms (indexer.search.indicator_query.DomainTree). The
    input is lower-cased and stripped of a trailing dot; a public suffix, or a name whose TLD is
    unknown to the Public Suffix List (and is not example/test), gives ().
    """
    domain = domain.strip().rstrip(".").lower()
    suffix = public_suffix(domain) if "." in domain else None
    if suffix is None or suffix == domain:
        return ()
    labels = domain.split(".")
    return tuple(".".join(labels[i:]) for i in range(len(labels) - suffix.count(".") - 1))
