"""Classification of a text by the countries, target types, people and organisations it names
(the search facets)."""

from dataclasses import dataclass

from indexer.analyse.fold import folded
from indexer.classify.countries import find_countries
from indexer.classify.entities import Entities, find_entities
from indexer.classify.target_types import find_target_types


@dataclass(frozen=True)
class Classification:
    """Facet values of a text: ISO country codes (sorted), target type codes (display order),
    people and organisations (empty unless asked for)."""

    countries: tuple[str, ...]
    target_types: tuple[str, ...]
    entities: Entities = Entities()


def classify(text: str, entities: bool = False) -> Classification:
    """Return the countries and target types named in a text, and its people and organisations
    if entities is set."""
    same = folded(text)  # folded once: it costs more than the scans together
    return Classification(
        countries=find_countries(same, folded=True),
        target_types=find_target_types(same, folded=True),
        entities=find_entities(same, folded=True) if entities else Entities(),
    )
