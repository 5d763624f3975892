"""Facet filters, exclusions and a date range: resolved to index codes and turned into a query."""

import datetime as dt
from dataclasses import dataclass, field

from whoosh import query as Q

from indexer.classify.countries import resolve_country
from indexer.classify.entities import normalize_org, normalize_person
from indexer.classify.target_types import resolve_target_type
from indexer.index.schema import FACETS, INDICATOR_FACETS
from indexer.search.query import QueryError, SamePerson

_EXACT = ("sender", "recipient", "kind")  # values compared as written


@dataclass(frozen=True)
class Filters:
    """Facet values to require (any of a facet's values) and exclude, and a date range."""

    include: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive


def normalize_filters(filters: Filters) -> Filters:
    """Filters with names resolved to the codes the index holds; QueryError for unknown values."""

    def codes(values: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {f: tuple(facet_code(f, v) for v in vals) for f, vals in values.items() if vals}

    return Filters(
        codes(filters.include), codes(filters.exclude), filters.date_from, filters.date_to
    )


def facet_code(facet: str, value: str) -> str:
    """The code a facet value is indexed under (India -> IN, 运营商 -> telecom)."""
    if facet == "country":
        code = resolve_country(value)
    elif facet == "target_type":
        code = resolve_target_type(value)
    elif facet == "person":
        code = normalize_person(value)
    elif facet == "org":
        code = normalize_org(value)
    elif facet in _EXACT:
        code = value.strip()
    elif facet in FACETS or facet in INDICATOR_FACETS:
        code = value.strip().lower().lstrip(".")
    else:
        raise QueryError(f"unknown facet: {facet}")
    if not code:
        raise QueryError(f"unknown {facet.replace('_', ' ')}: {value}")
    return code


def filtered(q: Q.Query, filters: Filters) -> Q.Query:
    """The query restricted by normalised filters."""
    required = [Q.Or([_value(f, v) for v in vals]) for f, vals in filters.include.items()]
    # From the first day on there is no lower bound (Whoosh cannot encode datetime.min).
    after = filters.date_from if filters.date_from != dt.date.min else None
    if after or filters.date_to:
        start = dt.datetime.combine(after, dt.time()) if after else None
        end = dt.datetime.combine(filters.date_to, dt.time.max) if filters.date_to else None
        required.append(Q.DateRange("dates", start, end))
    full = Q.And([q, *required]) if required else q
    excluded = [_value(f, v) for f, vals in filters.exclude.items() for v in vals]
    return Q.AndNot(full, Q.Or(excluded)) if excluded else full


def _value(facet: str, value: str) -> Q.Query:
    return SamePerson(facet, value) if facet == "person" else Q.Term(facet, value)
