"""Queries matching many values of an indicator field: an IP network, a domain and its subdomains.

Both are Whoosh multi-term queries, like Prefix and Wildcard: `_btexts` yields the field's indexed
terms that the query accepts, and `accepts` says the same of one value, so the highlighter marks
in a document's text exactly the indicators that made it match.
"""

import ipaddress
import os
from collections.abc import Iterator

from whoosh import query as Q

IPNet = ipaddress.IPv4Network | ipaddress.IPv6Network


class _IndicatorSet(Q.MultiTerm):
    """A set of values of one field, given by a predicate over the field's terms."""

    constantscore = True

    def __init__(self, fieldname: str, text: str, boost: float = 1.0) -> None:
        self.fieldname = fieldname
        self.text = text
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (other.fieldname, other.text, other.boost) == (
            self.fieldname,
            self.text,
            self.boost,
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.fieldname, self.text, self.boost))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {self.text!r})"

    def __str__(self) -> str:
        return f"{self.fieldname}:{self.text}"

    def accepts(self, value: str) -> bool:
        """True if an indicator value (as the index holds it) is in the set."""
        raise NotImplementedError

    def _prefix(self) -> str:
        return ""  # every accepted term starts with this; "" reads the whole lexicon

    def _btexts(self, ixreader) -> Iterator[bytes]:
        if self.fieldname not in ixreader.schema:
            return
        prefix = self._prefix()
        terms = (
            ixreader.expand_prefix(self.fieldname, prefix)
            if prefix
            else ixreader.lexicon(self.fieldname)
        )
        for btext in terms:
            if self.accepts(btext.decode("utf-8")):
                yield btext


class IPNetwork(_IndicatorSet):
    """The addresses of an IPv4 or IPv6 network (ip:8.218.0.0/16, ip:2001:db8::/32)."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0) -> None:
        self.network: IPNet = ipaddress.ip_network(text, strict=False)
        super().__init__(fieldname, str(self.network), boost)

    def accepts(self, value: str) -> bool:
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return False
        return address.version == self.network.version and address in self.network

    def _prefix(self) -> str:
        net = self.network
        if net.version == 4:
            # Octets are written without leading zeros, so every address between the first and
            # the last shares the text both start with (8.218.0.0 .. 8.218.255.255: "8.218.").
            return os.path.commonprefix([str(net.network_address), str(net.broadcast_address)])
        # IPv6 text compresses the longest run of zero groups wherever it falls, so only leading
        # groups that are fixed and not zero are written the same in every address.
        groups = net.network_address.exploded.split(":")[: net.prefixlen // 16]
        lead = []
        for group in groups:
            if int(group, 16) == 0:
                break
            lead.append(f"{int(group, 16):x}:")
        return "".join(lead)


class DomainTree(_IndicatorSet):
    """A domain and every name under it (domain:gov.in finds mail.mea.gov.in)."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0) -> None:
        super().__init__(fieldname, text.strip().rstrip(".").lower(), boost)

    def accepts(self, value: str) -> bool:
        return value == self.text or value.endswith("." + self.text)


def network(text: str) -> IPNet | None:
    """The network a typed a.b.c.d/n or v6::/n means, or None if text is not one."""
    if "/" not in text:
        return None
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
