"""Groups of names that mean the same thing: countries from CLDR plus the synonyms data file."""

import re
from functools import cache
from pathlib import Path

from indexer.classify.countries import alias_index, country_names, normalize_name

DATA = Path(__file__).parents[1] / "data" / "synonyms.tsv"
MAX_WORDS = 5
_ACRONYM = re.compile(
    r"[A-Z]{1,3}"
)  # the longest name, in space-separated words, a query run is matched against


@cache
def _groups() -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for line in DATA.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names = tuple(n.strip() for n in line.split("\t") if n.strip())
            for name in names:
                groups[normalize_name(name)] = names
    return groups


def synonyms(name: str) -> tuple[str, ...]:
    """Every name of the thing `name` names (itself included), or () if it is not a known name."""
    key = normalize_name(name)
    if not key or re.fullmatch(r"[a-z]{1,2}", key):
        # Two-letter strings are country codes or words (in, us, it), not names people search for.
        return ()
    code = alias_index().get(key)
    # Short capitalised acronyms (US, HK, PRC) would match as plain words once lower-cased.
    found = {n for n in country_names(code) if not _ACRONYM.fullmatch(n)} if code else set()
    found.update(_groups().get(key, ()))
    return tuple(sorted(found))
