"""Target types (government, telecom, ...): bilingual keywords and domain suffixes found in text."""

import re
from collections import defaultdict
from functools import cache
from pathlib import Path

from indexer.analyse.fold import fold

DATA = Path(__file__).parents[1] / "data"
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_SEPARATOR_PATTERN = r"[\s\-\u2010-\u2015]+"
# Target lists are markdown exports that escape dots (mofa\.gov\.pk), so a dot may follow "\".
_DOT = r"\\?\."
_CC = "xx"  # a domain keyword's stand-in for any two-letter country code


@cache
def _rows() -> tuple[tuple[str, str, str, str, str], ...]:
    """Return (code, en_label, zh_label, keyword, language) rows of target_types.tsv."""
    lines = (DATA / "target_types.tsv").read_text(encoding="utf-8").splitlines()
    header, *rows = (line.split("\t") for line in lines if line and not line.startswith("#"))
    assert header == ["code", "en_label", "zh_label", "keyword", "language"], header
    return tuple((c, en, zh, keyword, language) for c, en, zh, keyword, language in rows)


@cache
def target_type_codes() -> tuple[str, ...]:
    """Return the target type codes in display order."""
    return tuple(dict.fromkeys(row[0] for row in _rows()))


TARGET_TYPES: tuple[str, ...] = target_type_codes()


@cache
def _labels() -> dict[str, tuple[str, str]]:
    """Return code -> (English label, Chinese label)."""
    return {code: (en, zh) for code, en, zh, _, _ in _rows()}


def _key(text: str) -> str:
    """Return the lookup key of a keyword or a matched span: folded, casefolded, one space."""
    return _SEPARATORS.sub(" ", fold(text).casefold()).strip()


def target_type_label(code: str, locale: str = "en") -> str:
    """Return a target type's display name (Chinese for zh* locales); the code itself if unknown."""
    labels = _labels().get(code)
    if labels is None:
        return code
    return labels[1] if locale.lower().startswith("zh") else labels[0]


@cache
def _names() -> dict[str, str]:
    """Return key -> code for codes, labels, and each part of a label ('police', 'security')."""
    names: dict[str, str] = {}
    for code, (en, zh) in _labels().items():
        for name in (code, en, zh, *re.split(r"[&/]", en)):
            names.setdefault(_key(name), code)
    return names


def resolve_target_type(name: str) -> str | None:
    """Return the code for a code, English or Chinese label, any case or script; None if unknown."""
    return _names().get(_key(name))


def _inflections(keyword: str) -> set[str]:
    """Return a keyword with its plural (bank/banks, ministry/ministries, church/churches)."""
    if re.search(r"[^aeiou]y$", keyword):
        return {keyword, keyword[:-1] + "ies"}
    if keyword.endswith(("s", "x", "ch", "sh")):
        return {keyword, keyword + "es"}
    return {keyword, keyword + "s"}


def _alternation(patterns: dict[str, str], guard: str = "") -> str:
    """Return one alternation of key -> pattern, longest key first, grouped by first character."""
    groups: defaultdict[str, list[str]] = defaultdict(list)
    for key in sorted(patterns, key=len, reverse=True):
        groups[key[0]].append(patterns[key][len(re.escape(key[0])) :])
    # Starting every branch with a plain character lets the regex engine skip, with one table
    # look-up, positions where no keyword can start; the guard (a lookbehind) comes after it.
    return "|".join(f"{re.escape(c)}{guard}(?:{'|'.join(rest)})" for c, rest in groups.items())


@cache
def _matchers() -> tuple[tuple[re.Pattern[str], dict[str, frozenset[str]]], ...]:
    """Return (regex, match key -> codes) for Chinese keywords, English keywords and domains."""
    tables: dict[str, dict[str, set[str]]] = {"zh": {}, "en": {}, "domain": {}}
    for code, _, _, keyword, language in _rows():
        keys = _inflections(_key(keyword)) if language == "en" else {_key(keyword)}
        for key in keys:
            tables[language].setdefault(key, set()).add(code)
    frozen = {lang: {k: frozenset(codes) for k, codes in t.items()} for lang, t in tables.items()}
    zh = re.compile(_alternation({k: re.escape(k) for k in tables["zh"]}))
    words = {k: _SEPARATOR_PATTERN.join(map(re.escape, k.split(" "))) for k in tables["en"]}
    en = re.compile(f"(?:{_alternation(words, guard='(?<![a-z0-9].)')})(?![a-z0-9])")
    suffixes = {
        k: _DOT.join(r"[a-z]{2}" if part == _CC else re.escape(part) for part in k.split("."))
        for k in tables["domain"]
    }
    # A suffix must end the host name: gov.pk in mofa.gov.pk, but not in gov.pk.example.com.
    domain = re.compile(f"[a-z0-9-]{_DOT}({_alternation(suffixes)})(?![a-z0-9-]|{_DOT}[a-z0-9])")
    return (zh, frozen["zh"]), (en, frozen["en"]), (domain, frozen["domain"])


def _domain_key(suffix: str) -> str:
    """Return a matched suffix as written in the table, its country code replaced by 'xx'."""
    return re.sub(r"\.[a-z]{2}$", "." + _CC, suffix)


def find_target_types(text: str, *, folded: bool = False) -> tuple[str, ...]:
    """Return the target types a text mentions, in display order (folded: already fold()ed)."""
    lowered = (text if folded else fold(text)).casefold()
    (zh, zh_table), (en, en_table), (domain, domain_table) = _matchers()
    found: set[str] = set()
    for match in zh.finditer(lowered):
        found |= zh_table[match[0]]
    for match in en.finditer(lowered):
        found |= en_table[_SEPARATORS.sub(" ", match[0])]
    for match in domain.finditer(lowered):
        suffix = match[1].replace("\\", "")
        found |= domain_table.get(suffix) or domain_table[_domain_key(suffix)]
    return tuple(code for code in target_type_codes() if code in found)
