"""Classification of a text by the countries and target types it names (the search facets)."""

from dataclasses import dataclass

from indexer.analyse.fold import fold
from indexer.classify.countries import find_countries
from indexer.classify.target_types import find_target_types


@dataclass(frozen=True)
class Classification:
    """Facet values of a text: ISO country codes (sorted), target type codes (display order)."""

    countries: tuple[str, ...]
    target_types: tuple[str, ...]


def classify(text: str) -> Classification:
    """Return the countries and target types named in a text."""
    folded = fold(text)  # folded once: it costs more than both scans together
    return Classification(
        countries=find_countries(folded, folded=True),
        target_types=find_target_types(folded, folded=True),
    )
