"""Country names in English and Chinese (CLDR's, from Babel, and an alias table), found in text."""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path

from indexer.analyse.fold import fold, is_cjk

DATA = Path(__file__).parents[1] / "data"
# Babel's CLDR names of the countries, written by tools/make_country_data.py: read from Babel,
# they took every search 40 ms to load.
CLDR_DATA = DATA / "cldr_countries.tsv"
NO_COUNTRY = "-"
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_SEPARATOR_PATTERN = r"[\s\-\u2010-\u2015]+"
_APOSTROPHE_PATTERN = "['\u2019]"
# Latin letters and digits: a name must not touch one on either side ("Niger" in "Nigeria"), but
# may touch Chinese characters, because chat mixes the two without spaces ("India政府").
_LATIN = "0-9A-Za-z\u00c0-\u024f"


def normalize_name(name: str) -> str:
    """Return a name's lookup key: folded, casefolded, runs of spaces and hyphens made one space."""
    key = fold(name).casefold().replace("\u2019", "'")
    return _SEPARATORS.sub(" ", key).strip()


def _english_variants(name: str) -> list[str]:
    """Return a CLDR English name and the spellings people type: no brackets, "and", no accents."""
    forms = [name]
    if match := re.fullmatch(r"(.+) \((.+)\)", name):  # "Myanmar (Burma)"
        forms += [match[1], match[2]]
    forms.append(re.sub(r"\s*\(.*?\)", "", name))  # "Cocos (Keeling) Islands"
    forms += [form.replace(" & ", " and ") for form in forms]
    forms += [re.sub(r"\bSt\. ", prefix, form) for form in forms for prefix in ("Saint ", "St ")]
    forms += [_without_accents(f) for f in forms]
    return list(dict.fromkeys(forms))


def _without_accents(text: str) -> str:
    if text.isascii():  # most names: nothing to take off, and every search reads them all
        return text
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def _rows(path: Path, columns: list[str]) -> list[list[str]]:
    """Return the rows of a data table, checking its header."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header, *rows = (line.split("\t") for line in lines if line and not line.startswith("#"))
    assert header == columns, header
    return rows


@cache
def _cldr_names() -> dict[str, tuple[str, ...]]:
    """Return every CLDR name of every real country by ISO code, the English label first."""
    return {
        code: tuple(dict.fromkeys([*_english_variants(english), *chinese]))
        for code, english, *chinese in _rows(CLDR_DATA, ["code", "en", "zh_Hans", "zh_Hant"])
    }


@cache
def _alias_rows() -> tuple[tuple[str, str, str], ...]:
    """Return (code, alias, language) rows of country_aliases.tsv."""
    rows = _rows(DATA / "country_aliases.tsv", ["code", "alias", "language"])
    return tuple((code, alias, language) for code, alias, language in rows)


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Return every name and alias by ISO code."""
    names = {code: list(forms) for code, forms in _cldr_names().items()}
    for code, alias, _ in _alias_rows():
        if code != NO_COUNTRY:
            names[code].append(alias)  # a KeyError here is a typo in the table
    return {code: tuple(dict.fromkeys(forms)) for code, forms in names.items()}


@cache
def _index() -> dict[str, str]:
    """Return normalised name -> ISO code for every name and alias."""
    return {normalize_name(name): code for code, names in _names().items() for name in names}


def alias_index() -> dict[str, str]:
    """Return normalised name -> ISO code for every country name and alias (a fresh copy)."""
    return dict(_index())


def resolve_country(name: str) -> str | None:
    """Return the ISO code for a code, an English or Chinese name, or an alias; None if unknown."""
    text = name.strip()
    if len(text) == 2 and text.isascii() and text.upper() in _names():
        return text.upper()
    key = normalize_name(text)
    return _index().get(key) or _index().get(key.removeprefix("the "))


def country_names(code: str) -> tuple[str, ...]:
    """Return every name and alias of a country in every language; empty if the code is unknown."""
    return _names().get(code.upper(), ())


@cache
def _territories(locale: str) -> Mapping[str, str]:
    """Return Babel's territory names for a locale tag ('zh', 'zh-TW', 'fr'); English if unknown."""
    # Imported here: only the web UI's labels need Babel, and loading it slowed every search.
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        return Locale("en").territories


def country_label(code: str, locale: str = "en") -> str:
    """Return a country's display name in a locale; the code itself if unknown, so facets render."""
    code = code.upper()
    return _territories(locale).get(code) or _territories("en").get(code) or code


def _text_pattern(name: str) -> str:
    """Return a regex for a name that lets spaces and hyphens vary and accepts both apostrophes."""
    parts = _SEPARATORS.split(name.replace("\u2019", "'"))
    return _SEPARATOR_PATTERN.join(re.escape(p).replace("'", _APOSTROPHE_PATTERN) for p in parts)


def _grouped(alternatives: Iterable[tuple[str, str]], guard: str = "") -> str:
    """Join (first character, pattern for the rest) pairs, in order, grouped by first character."""
    groups: defaultdict[str, list[str]] = defaultdict(list)
    for first, rest in alternatives:
        groups[first].append(rest)
    # Starting every branch with a plain character lets the regex engine skip, with one table
    # look-up, positions where no name can start; the guard (a lookbehind) comes after it.
    return "|".join(f"{re.escape(c)}{guard}(?:{'|'.join(rests)})" for c, rests in groups.items())


def _english_regex(names: Iterable[str]) -> re.Pattern[str]:
    """Compile one alternation of English names, longest first, each starting with its capital."""
    alternatives = [
        # An all-capitals alias is matched as written ("US", never "us"); other names need only
        # their capital, so "Hong kong" and "INDIA" match but "turkey sandwich" does not.
        (name[0], rest if name.isupper() else f"(?i:{rest})")
        for name in sorted(names, key=len, reverse=True)
        for rest in [_text_pattern(name[1:])]
    ]
    guard = f"(?<![{_LATIN}].)"  # the character before the capital is not a Latin letter
    return re.compile(f"(?:{_grouped(alternatives, guard)})(?![{_LATIN}])")


@cache
def _scanner() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Return the English regex, the Chinese regex, and match -> code (or NO_COUNTRY) for both."""
    table, english = _table()
    chinese = sorted((key for key in table if any(is_cjk(ch) for ch in key)), key=len, reverse=True)
    chinese_regex = re.compile(_grouped((name[0], re.escape(name[1:])) for name in chinese))
    return _english_regex(english), chinese_regex, table


# Apart from the regexes: a search for a country's name reads only the table (longer_names).
@cache
def _table() -> tuple[dict[str, str], set[str]]:
    """Return match -> code (or NO_COUNTRY) for the scanner's regexes, and its English names."""
    table: dict[str, str] = {}
    english: set[str] = set()
    named = [(c, n) for c, names in _cldr_names().items() for n in names]
    for code, name in named + [(code, alias) for code, alias, _ in _alias_rows()]:
        # Alias rows come last and override CLDR. Chinese names are keyed by their folded form,
        # which is exactly what the Chinese regex matches, so a match needs no normalising.
        if any(is_cjk(ch) for ch in name):
            # Single characters (美, 英) are abbreviations inside words, never names on their own.
            if len(name) > 1:
                table[fold(name)] = code
        else:
            table[normalize_name(name)] = code
            if not name.lower().startswith("the "):  # the article would fail the capital check
                english.add(name)
    return table, english


def find_countries(text: str, *, folded: bool = False) -> tuple[str, ...]:
    """Return the sorted ISO codes of the countries named in a text (folded: already fold()ed)."""
    english, chinese, table = _scanner()
    text = text if folded else fold(text)
    # Ambiguous names written as-is do match: "Georgia" (also the US state), "Jordan" and "Chad"
    # (also given names), "Turkey" at the start of a sentence. Their false positives are accepted:
    # dropping them would lose the countries, and lower-case uses ("turkey", "china") never match.
    found = {table[normalize_name(m[0])] for m in english.finditer(text)}
    found |= {table[m[0]] for m in chinese.finditer(text)}
    found.discard(NO_COUNTRY)
    return tuple(sorted(found))


@lru_cache(maxsize=4096)
def longer_names(name: str) -> tuple[str, ...]:
    """Names of other places that contain a country's name (印度 -> 印度尼西亚, 印度洋), as the
    classifier matches them: Chinese folded, English lower-cased; () if name is no country's.

    Text that names one of them does not name the shorter country there, so neither the
    classifier nor a search counts it.
    """
    code = resolve_country(name)
    if code is None:
        return ()
    table = _table()[0]
    if any(is_cjk(ch) for ch in name):
        key = fold(name)
        inside = [k for k in table if len(k) > len(key) and key in k]
    else:
        key = normalize_name(name)
        word = re.compile(rf"(?<![{_LATIN}]){re.escape(key)}(?![{_LATIN}])")
        inside = [k for k in table if len(k) > len(key) and word.search(k)]
    return tuple(sorted(k for k in inside if table[k] != code))
