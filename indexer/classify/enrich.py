"""Fields derived from a document's text for the index: indicators and dates."""

import datetime as dt

from indexer.classify.domains import domain_terms
from indexer.classify.indicators import find_indicators

INDICATORS = ("ip", "domain", "email", "url", "hash", "phone", "amount")
_MAX_MONTHS = 36  # a range is indexed month by month so a date filter finds any overlap


def indicator_fields(text: str) -> dict[str, str]:
    """Space-separated values per indicator field; a domain with its parents (a.b.gov.in, b.gov.in).

    Public suffixes (gov.in) are not domains and are not indexed: domain:gov.in finds the names
    under it through indexer.search.indicator_query.DomainTree.
    """
    found = find_indicators(text)
    fields = {name: " ".join(getattr(found, name)) for name in INDICATORS}
    fields["domain"] = " ".join(dict.fromkeys(t for d in found.domain for t in domain_terms(d)))
    return fields


def date_fields(text: str, timestamp: str = "") -> dict:
    """`dates`: every month the text mentions (for range filters); `date`: the one to sort by.

    A document's own time (a chat message's, an email's Date) is its date; otherwise the earliest
    date its text mentions.
    """
    # Imported here: searches import this module for INDICATORS, and the date patterns took
    # 20 ms of every `leaksearch search` start-up that never reads a date.
    from indexer.classify.dates import find_dates, parse_timestamp

    when = parse_timestamp(timestamp) if timestamp else None
    spans = find_dates(text)
    days = [_naive(when)] if when else []
    for span in spans:
        month = dt.datetime(span.start.year, span.start.month, 1)
        days.append(dt.datetime.combine(span.start, dt.time()))
        for _ in range(_MAX_MONTHS):
            if month.date() > span.end:
                break
            days.append(month)
            month = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1)
        days.append(dt.datetime.combine(span.end, dt.time()))
    if not days:
        return {}
    first = _naive(when) if when else min(days)
    return {"dates": sorted(set(days)), "date": first}


def _naive(when: dt.datetime) -> dt.datetime:
    # Whoosh compares naive datetimes; an aware one is converted to UTC first.
    if when.tzinfo is not None:
        return when.astimezone(dt.UTC).replace(tzinfo=None)
    return when
