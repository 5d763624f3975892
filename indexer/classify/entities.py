"""Names of people and organisations in a text (the person and org facets).

Chinese names come from jieba's part-of-speech tagger (nr person, nt organisation) over the
Traditional->Simplified folded text, filtered: a person name must start with a family name
(entity_surnames.txt) and have a given name of one or two characters; a two-character dictionary
word is a name only beside a title (李鹏总理, 总理李鹏); known false positives are listed in
entity_stoplist.tsv. Organisations are jieba's nt words and runs of name-like words ending in an
organisation word (上海 安洵 信息技术 有限公司). English names are capitalised words after a title
(Mr, Minister) or two capitalised words that read as a Chinese name in pinyin (Wu Haibo), and
organisations capitalised words ending in, or headed by, an organisation word (Public Security
Bureau, Ministry of Foreign Affairs).

Values are written one way: Chinese folded to Simplified; English with each word capitalised
(small words such as "of" lower-case) and Co./Ltd./Inc. without their dots. A pinyin name is
written in Chinese when the same text names exactly one Chinese person with that reading
(Wu Haibo beside 吴海波); without one, it stays in pinyin (see merge_pinyin).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import getaddresses
from functools import cache
from itertools import product
from pathlib import Path

from indexer.analyse.fold import fold, is_cjk
from indexer.analyse.pinyin import split_syllables, word_readings

DATA = Path(__file__).parents[1] / "data"
_PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
# Tags of words that may stand inside a Chinese organisation's name before its last word.
_ORG_PART_TAGS = frozenset({"n", "ns", "nt", "nz", "nr", "nrt", "j", "m", "eng", "vn", "l"})
_PROPER_TAGS = frozenset({"ns", "nt", "nz", "nr", "nrt", "j", "eng"})
_NAMED_ORG_TAGS = frozenset({"ns", "nt", "nz", "j"})
# After a family name and a word, a name has ended unless a word of these tags follows (吴 海波 和).
_NAME_GOES_ON = frozenset({"n", "nr", "ng", "nz", "ns", "nt", "a", "j", "eng", "m", "q"})
# Given names jieba cuts off a family name: after one it tagged nr, a wider set of tags.
_GIVEN_TAGS = frozenset({"n", "nr", "ng", "nz", "ns", "a", "j", "z"})
_GIVEN_TAGS_STRICT = frozenset({"nr", "z"})
_LAST_CHAR_TAGS = frozenset({"nr", "ng", "z"})  # the last character of a name, cut off
_SURNAME_TAGS = frozenset({"nr", "n", "ng", "nz", "v", "vg", "a"})  # not 和 c, 向 p
# Characters jieba glues before a name (由罗斌, 人唐): a preposition or the end of 对接人.
_GLUED_BEFORE = frozenset("由和与跟被给对向把让在是人")
_MAX_ORG_WORDS = 6
_MAX_ORG_CHARS = 24
_SMALL_WORDS = frozenset({"of", "for", "and", "the", "on", "in", "at", "de", "du"})
_CAP = r"(?:[A-Z][A-Za-z0-9&'\-]*|[0-9]+[A-Za-z]*)"
_ABBREVIATED = re.compile(r"\b(Co|Inc|Ltd|Corp|Mr|Mrs|Ms|Dr|Prof)\.")
_CO_LTD = re.compile(r"\bCo,?[ \t]*Ltd\b")
_ACCOUNT = re.compile(r"[_@/\\:]|\d{3}")
_DISPLAY_NAME = re.compile(r"[A-Z][a-zA-Z'\-]+(?: [A-Z][a-zA-Z'\-]+){1,3}")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Entities:
    """People and organisations named in a text, each value once, in order of appearance."""

    persons: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Tables:
    surnames: frozenset[str]
    words: dict[str, frozenset[str]]
    stop: dict[str, frozenset[str]]
    en_person: re.Pattern
    en_org_end: re.Pattern
    en_org_head: re.Pattern
    pinyin_name: re.Pattern
    english_words: frozenset[str]
    zh_titles: tuple[str, ...]  # tuples: str.endswith takes one, and is fast
    zh_org_ends: tuple[str, ...]
    zh_org_last: frozenset[str]  # their last characters: most words are passed over on these
    en_cue: re.Pattern  # a title or organisation word: English text without one has no names


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text("utf-8").splitlines()
    header, *rows = (line.split("\t") for line in lines if line and not line.startswith("#"))
    assert header == ["kind", name.startswith("entity_words") and "word" or "value"], header
    return rows


@cache
def _tables() -> _Tables:
    lines = (DATA / "entity_surnames.txt").read_text("utf-8").splitlines()
    surnames = frozenset(w for line in lines if not line.startswith("#") for w in line.split())
    words: dict[str, set[str]] = {}
    for kind, word in _rows("entity_words.tsv"):
        words.setdefault(kind, set()).add(word)
    stop: dict[str, set[str]] = {"person": set(), "org": set(), "not_org_end": set()}
    for kind, value in _rows("entity_stoplist.tsv"):
        stop[kind].add(value)
    titles = "|".join(sorted(words["en_title"], key=len, reverse=True))
    ends = "|".join(sorted(words["en_org_end"], key=len, reverse=True))
    heads = "|".join(sorted(words["en_org_head"], key=len, reverse=True))
    name_word = r"(?:[A-Z][a-zA-Z'\-]+|[A-Z]\.)"
    # "and" joins the words of one name (Foreign Affairs and Trade), not two organisations.
    another = rf"(?!(?:{heads})\b|(?:{_CAP}[ \t]+){{0,3}}(?:{ends})\b)"
    english = (DATA / "english_pinyin.txt").read_text("utf-8").splitlines()
    return _Tables(
        surnames=surnames,
        words={k: frozenset(v) for k, v in words.items()},
        stop={k: frozenset(v) for k, v in stop.items()},
        en_person=re.compile(rf"\b(?:{titles})\.?[ \t]+({name_word}(?:[ \t]+{name_word}){{0,3}})"),
        en_org_end=re.compile(rf"\b((?:{_CAP}[ \t]+){{1,7}}(?:{ends}))\b"),
        en_org_head=re.compile(
            rf"\b((?:{_CAP}[ \t]+){{0,3}}(?:{heads})[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?"
            rf"{_CAP}(?:[ \t]+(?:(?:and|&)[ \t]+{another})?{_CAP}){{0,5}})"
        ),
        pinyin_name=re.compile(
            r"\b([A-Z][a-z]{0,5}|[A-Z]{1,6})[ \t]+([A-Z][a-z]{1,11}(?:-[a-z]+)?)\b"
        ),
        english_words=frozenset(w for w in english if w and not w.startswith("#")),
        zh_titles=tuple(sorted(words["zh_title"], key=len, reverse=True)),
        zh_org_ends=tuple(words["zh_org_end"]),
        zh_org_last=frozenset(e[-1] for e in words["zh_org_end"]),
        en_cue=re.compile(rf"\b(?:{titles}|{ends}|{heads})\b"),
    )


@cache
def _surname_pinyin() -> frozenset[str]:
    """Family names in toneless pinyin (wu, ouyang); loads pypinyin, which indexing loads anyway."""
    return frozenset("".join(alts[0] for alts in word_readings(s)) for s in _tables().surnames)


def find_entities(text: str, folded: bool = False) -> Entities:
    """People and organisations named in a text (folded: already Traditional->Simplified)."""
    simple = text if folded else fold(text)
    persons: list[str] = []
    orgs: list[str] = []
    if _HAN.search(simple):
        tokens = _tag(simple)
        persons += _chinese_persons(tokens)
        orgs += _chinese_orgs(tokens)
    latin = _CO_LTD.sub("Co Ltd", _ABBREVIATED.sub(r"\1", simple))
    if _tables().en_cue.search(latin):
        persons += _titled_persons(latin)
        orgs += _english_orgs(latin)
    persons += _pinyin_persons(latin)
    return Entities(merge_pinyin(persons), tuple(dict.fromkeys(orgs)))


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans not inside another (Chinese Academy inside Chinese Academy of Sciences), in order."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if not kept or end > kept[-1][1]:
            kept.append((start, end))
    return kept


def _tag(text: str) -> list[tuple[str, str]]:
    import rjieba  # loads its dictionary on first use (see analysis._jieba)

    return rjieba.tag(text)


def _has_word(word: str) -> bool:
    import rjieba

    return rjieba.has_word(word)


def _surname(word: str) -> str:
    """The family name a word starts with (compound ones first), or ''."""
    surnames = _tables().surnames
    return next((word[:n] for n in (2, 1) if word[:n] in surnames and len(word) > n), "")


def _chinese_persons(tokens: list[tuple[str, str]]) -> list[str]:
    t = _tables()
    stop = t.stop["person"]
    found = []
    for i, (word, tag) in enumerate(tokens):
        name = ""
        if tag in _PERSON_TAGS and len(word) >= 2:
            before = tokens[i - 1][0] if i else ""
            after, after_tag = tokens[i + 1] if i + 1 < len(tokens) else ("", "x")
            following_tag = tokens[i + 2][1] if i + 2 < len(tokens) else "x"
            if (
                len(word) == 2
                and after_tag in _LAST_CHAR_TAGS
                and len(after) == 1
                and is_cjk(after)
                and following_tag not in _NAME_GOES_ON
            ):
                word = word + after  # jieba cuts 何子 / 谦
            name = _person_word(_trimmed(word), before, after)
        elif word in t.surnames and i + 1 < len(tokens):
            name = _split_name(tokens, i)
        if name and name not in stop:
            found.append(name)
    return found


def _trimmed(word: str) -> str:
    """A tagged name without the word jieba glued to it: 由罗斌 -> 罗斌, 韩雪说 -> 韩雪."""
    t = _tables()
    if len(word) >= 3 and word[0] in _GLUED_BEFORE and _surname(word[1:]):
        word = word[1:]
    said = next((x for x in t.zh_titles if word.endswith(x) and len(word) > len(x)), "")
    return word[: len(word) - len(said)]


def _person_word(word: str, before: str, after: str) -> str:
    """The word if it is a Chinese person's full name, else ''."""
    t = _tables()
    surname = _surname(word)
    given = len(word) - len(surname)
    if not surname or not 1 <= given <= 2 or word.endswith(t.zh_org_ends):
        return ""
    if any(ch in t.words["zh_not_given"] for ch in word[len(surname) :]):
        return ""  # 蔡某 "one Cai", 王姐 "sister Wang", 李总 "boss Li": ways to address
    beside_title = after in t.words["zh_title"] or before in t.words["zh_title"]
    return word if len(word) > 2 or not _has_word(word) or beside_title else ""


def _split_name(tokens: list[tuple[str, str]], i: int) -> str:
    """A family name and the word after it as one name (jieba cuts 吴 / 海波, 马 / 俊杰)."""
    word, tag = tokens[i]
    rest, rest_tag = tokens[i + 1]
    following, following_tag = tokens[i + 2] if i + 2 < len(tokens) else ("", "x")
    given_tags = _GIVEN_TAGS if tag == "nr" else _GIVEN_TAGS_STRICT
    if (
        tag in _SURNAME_TAGS
        and 1 <= len(rest) <= 2
        and rest_tag in given_tags
        and all(is_cjk(ch) for ch in rest)
        and rest not in _tables().words["zh_title"]
        and not _has_word(word + rest)
        and (following in _tables().words["zh_title"] or following_tag not in _NAME_GOES_ON)
    ):
        return word + rest
    return ""


def _chinese_orgs(tokens: list[tuple[str, str]]) -> list[str]:
    t = _tables()
    ends, stop = t.zh_org_ends, t.stop["org"]
    spans: list[tuple[int, int]] = []
    for i, (word, tag) in enumerate(tokens):
        if tag == "nt" and len(word) >= 3:
            spans.append((i, i + 1))
        if word[-1] not in t.zh_org_last or not word.endswith(ends):
            continue
        if not all(is_cjk(ch) for ch in word):
            continue
        if word in t.stop["not_org_end"]:
            continue
        start, chars = i, len(word)
        while start > 0 and i - start + 1 < _MAX_ORG_WORDS:
            prev, prev_tag = tokens[start - 1]
            if prev_tag not in _ORG_PART_TAGS or chars + len(prev) > _MAX_ORG_CHARS:
                break
            if not all(is_cjk(ch) or ch.isalnum() for ch in prev):
                break
            if prev_tag == "m" and not prev.startswith("第"):
                break  # 公安部第三研究所, but not 一所 ("a university")
            start, chars = start - 1, chars + len(prev)
        # Drop leading common nouns: a name starts with a proper noun or an organisation word.
        while start < i and not (
            tokens[start][1] in _PROPER_TAGS or tokens[start][0].endswith(ends)
        ):
            start += 1
        # A single word is a name only when jieba took it for a proper noun (not 航空公司).
        if start < i or (tag in _NAMED_ORG_TAGS and len(word) >= 3 and word not in ends):
            spans.append((start, i + 1))
    names = ("".join(w for w, _ in tokens[a:b]) for a, b in _outermost(spans))
    return [n for n in names if n not in stop and len(n) >= 3 and "某" not in n]


def _titled_persons(text: str) -> list[str]:
    """English names after a title (Mr, Minister): two words or more."""
    t = _tables()
    titles = t.words["en_title"]
    found = []
    for match in t.en_person.finditer(text):
        words = match[1].split()
        while words and words[0].rstrip(".") in titles:
            words.pop(0)  # Director General Wang Yi
        leading = t.words["en_leading"]
        words = words[: next((k for k, w in enumerate(words) if w.lower() in leading), None)]
        if len(words) >= 2:
            found.append(normalize_person(" ".join(words)))
    return [p for p in found if p not in t.stop["person"]]


def _pinyin_persons(text: str) -> list[str]:
    """Two capitalised words that read as a Chinese family name and given name (Wu Haibo)."""
    t = _tables()
    found = (
        normalize_person(f"{m[1]} {m[2]}")
        for m in t.pinyin_name.finditer(text)
        if _is_pinyin_name(m[1], m[2])
    )
    return [p for p in found if p not in t.stop["person"]]


def _is_pinyin_name(surname: str, given: str) -> bool:
    t = _tables()
    given_key = given.replace("-", "").lower()
    if surname.lower() not in _surname_pinyin():
        return False
    if surname.lower() in t.english_words and given_key in t.english_words:
        return False  # He Said, You Can
    return any(1 <= len(split) <= 2 for split in split_syllables(given_key))


def _english_orgs(text: str) -> list[str]:
    t = _tables()
    spans = [m.span(1) for pattern in (t.en_org_head, t.en_org_end) for m in pattern.finditer(text)]
    not_first = t.words["en_leading"] | _SMALL_WORDS
    found = []
    for start, end in _outermost(spans):
        words = text[start:end].split()
        while words and words[0].lower() in not_first:
            words.pop(0)
        if len(words) >= 2:
            found.append(normalize_org(" ".join(words)))
    return [o for o in found if o not in t.stop["org"]]


def merge_pinyin(persons: Iterable[str]) -> tuple[str, ...]:
    """Names once each; a pinyin name written as the one Chinese name of the list that reads so.

    The rule needs the Chinese name in the same text: pinyin alone cannot tell 吴海波 from
    伍海波, so an English-only text keeps Wu Haibo (the index's names are compared after each
    run: chinese_names).
    """
    names = list(dict.fromkeys(persons))
    chinese = chinese_names(names)
    return tuple(dict.fromkeys(chinese.get(name, name) for name in names))


def chinese_names(names: Iterable[str]) -> dict[str, str]:
    """Each pinyin name among names (Wu Haibo) mapped to the one Chinese name among them that
    reads so (吴海波); a pinyin name two Chinese names read as, or none, is left out."""
    names = list(dict.fromkeys(names))
    typed = {name: _typed_key(name) for name in names if name.isascii()}
    if not typed:
        return {}  # no reading needed (pypinyin is loaded only when one is)
    wanted = set(typed.values())
    readings: dict[str, set[str]] = {}
    for name in names:
        if all(is_cjk(ch) for ch in name):
            for key in _pinyin_keys(name) & wanted:
                readings.setdefault(key, set()).add(name)
    found = {name: readings.get(key, set()) for name, key in typed.items()}
    return {name: next(iter(chinese)) for name, chinese in found.items() if len(chinese) == 1}


def _typed_key(name: str) -> str:
    return " ".join(w.replace("-", "").lower() for w in name.split())


def _pinyin_keys(name: str) -> set[str]:
    surname = _surname(name)
    if not surname:
        return set()
    alts = word_readings(name)
    cut = len(surname)
    return {
        "".join(r[:cut]) + " " + "".join(r[cut:]) for r in product(*alts) if len(r) == len(name)
    }


def sender_person(sender: str) -> str:
    """A chat sender as a person value, or '' for an account ID (wxid_..., a number) or a handle
    with other signs."""
    name = " ".join(sender.replace(",", " ").split())
    if not name or _ACCOUNT.search(name) or len(name) > 40:
        return ""
    if not all(ch.isalpha() or ch in " .'-·" for ch in name):
        return ""  # a handle or markup, not a name
    return normalize_person(name)


def address_entities(headers: Iterable[str]) -> Entities:
    """People and organisations in email headers' display names (From, To, Cc)."""
    persons, orgs = [], []
    for display, _ in getaddresses([h for h in headers if h]):
        display = " ".join(display.replace(",", " ").split())
        if not display or "@" in display:
            continue
        named = find_entities(display)
        if named.orgs:
            orgs += named.orgs
        elif _is_display_name(display):
            persons.append(normalize_person(display))
    return Entities(tuple(dict.fromkeys(persons)), tuple(dict.fromkeys(orgs)))


def _is_display_name(display: str) -> bool:
    """A Chinese name (a family name and one or two characters) or two to four capitalised words."""
    if _HAN.search(display):
        return len(display) <= 4 and bool(_surname(fold(display)))
    return bool(_DISPLAY_NAME.fullmatch(display))


def normalize_person(name: str) -> str:
    """A person's name as the index holds it: Simplified, words capitalised, no commas."""
    words = fold(name).replace(",", " ").split()
    return " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in words)


def normalize_org(name: str) -> str:
    """An organisation's name as the index holds it: Simplified, Co./Ltd. without dots, no
    commas, small words (of, for) lower-case and others capitalised."""
    text = _CO_LTD.sub("Co Ltd", _ABBREVIATED.sub(r"\1", fold(name).replace(",", " ")))
    words = text.split()
    return " ".join(
        w.lower() if k and w.lower() in _SMALL_WORDS else w[0].upper() + w[1:] if w.islower() else w
        for k, w in enumerate(words)
    )
