"""Typed English searched as the Chinese words whose dictionary senses it matches, and typed
Chinese as its English sense where a single short sense leaves no doubt.

The senses come from CC-CEDICT (analyse/dictionary.py) and, first, from this project's own
table of the domain's terms (data/translations.tsv). A dictionary maps `server` or `police` to
dozens of words, so candidates are ranked in tiers: a sense the query's words make up whole, the
words inside a short sense, inside a longer one, then spread over the senses of one entry (a
leading word may be a prefix: telecom operator -> 运营商, carrier (telecommunications)). Only the
best tier the index holds is searched, its words most frequent in the index first, a few at most;
stop words are never translated. Which of them the index holds is decided when the query runs
(query.Translated), so the expansion itself needs no index.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from whoosh.analysis import STOP_WORDS

from indexer.analyse import dictionary
from indexer.analyse.fold import fold

DATA = Path(__file__).parents[1] / "data" / "translations.tsv"
DOMAIN, WHOLE, SHORT, INSIDE, ACROSS = range(5)  # tiers, best first
MAX_CHINESE = 3  # Chinese words an English word or run is searched as
MAX_ENGLISH = 3  # English phrases a Chinese word is searched as
MAX_REVERSE_WORDS = 3  # a Chinese word's one sense is searched only if it is this short
MIN_PREFIX = 4  # a leading word shorter than this must match a sense word whole
LATE = 2  # a sense listed after this many is a lesser meaning (用户: user, ..., customer)
BOOST = 0.5  # a translation's score stays under this: below the words the user typed
_CANDIDATES = 30
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")
_PARENTHESES = re.compile(r"\([^()]*\)")
_REFERENCES = re.compile(r"\S*\[[^\]]*\]")  # 个[ge4], 統一發票|统一发票[tong3 yi1 fa1 piao4]
# Senses that say how a word is written or counted, not what it means.
_NOT_MEANING = re.compile(
    r"^(cl:|(old |archaic |japanese |erhua )?variant of|abbr\. (for|of|to)|surname |see |"
    r"used in|also written|pr\. )"
)
_LEADING = re.compile(r"^(to |a |an |the |lit\. |fig\. |\(\w+\.?\) )+")


@dataclass(frozen=True)
class Translation:
    """A word a typed word or run is also searched as, with what it means."""

    word: str  # 外交部, or an English phrase for a Chinese word
    reading: str  # wàijiāobù, or "" for English
    gloss: str  # the senses that matched, or the Chinese word an English phrase translates
    tier: int  # DOMAIN ... ACROSS: lower is a better match

    def to_json(self) -> dict:
        """The translation as the CLI and API print it."""
        return {"word": self.word, "reading": self.reading, "gloss": self.gloss}


@dataclass(frozen=True)
class Options:
    """Whether typed words are translated (?translate=0 turns it off), and which translations
    the user removed (?drop=外交部)."""

    on: bool = True
    dropped: frozenset[str] = frozenset()


def norm(word: str) -> str:
    """An English word without case and plural (salaries -> salary, bureaus -> bureau)."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    # virus, status, analysis and boss are singular; bureaus is not.
    latin = w.endswith(("ss", "is")) or (w.endswith("us") and w[-3:-2] not in "aeiou")
    if len(w) > 3 and w.endswith("s") and not latin:
        return w[:-1]
    return w


def words(text: str) -> tuple[str, ...]:
    """The normalised English words of a text."""
    return tuple(norm(w) for w in _WORD.findall(text.lower()))


def _content(ws: Iterable[str]) -> tuple[str, ...]:
    return tuple(w for w in ws if w not in STOP_WORDS)


@dataclass(frozen=True)
class _Meaning:
    """One meaning of an entry, as the matching sees it."""

    text: str  # the sense without parentheses and a leading "to": police officer
    main: tuple[str, ...]  # its words
    every: tuple[str, ...]  # its words and those of its parentheses
    verb: bool  # to project: a typed word is more often the noun


def _meanings(senses: tuple[str, ...]) -> list[_Meaning]:
    """Each meaning of an entry (a sense is split at semicolons; senses that say how a word is
    written or counted are left out)."""
    out = []
    for sense in senses:
        for part in sense.split(";"):
            part = _REFERENCES.sub(" ", part).strip()
            if not part or _NOT_MEANING.match(part.lower()):
                continue
            bare = " ".join(_PARENTHESES.sub(" ", part).split())
            text = _LEADING.sub("", bare.lower())
            text = bare[len(bare) - len(text) :]  # the original case, the leading words cut
            verb = bare.lower().startswith("to ")
            out.append(_Meaning(text, words(text), words(part), verb))
    return out


@cache
def _domain() -> dict[str, tuple[str, ...]]:
    """The domain table: a Chinese word -> its English senses."""
    table = {}
    for line in DATA.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            chinese, senses = line.split("\t")
            table[chinese.strip()] = tuple(s.strip() for s in senses.split("/") if s.strip())
    return table


@cache
def _domain_english() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The domain table the other way: an English sense's words -> the Chinese words."""
    table: dict[tuple[str, ...], list[str]] = {}
    for chinese, senses in _domain().items():
        for sense in senses:
            table.setdefault(words(sense), []).append(chinese)
    return {ws: tuple(found) for ws, found in table.items()}


@lru_cache(maxsize=4096)
def _reading(word: str) -> str:
    found = dictionary.entries(word)
    return " / ".join(dict.fromkeys(e.marked_pinyin for e in found))


def _matches(query: tuple[str, ...], sense: tuple[str, ...]) -> bool:
    """Every query word is a word of the sense, a leading one possibly its start."""
    last = len(query) - 1
    return all(
        w in sense or (i < last and len(w) >= MIN_PREFIX and any(s.startswith(w) for s in sense))
        for i, w in enumerate(query)
    )


def _tier(typed: tuple[str, ...], query: tuple[str, ...], senses: tuple[str, ...]) -> tuple:
    """How well an entry's senses match the typed words (query: their content words), as
    (tier, which meaning)."""
    best = (ACROSS + 1, 0)
    meanings = _meanings(senses)
    for i, m in enumerate(meanings):
        content = _content(m.main)
        if m.main == typed and not m.verb and i < LATE:
            tier = WHOLE
        elif _matches(query, content):
            tier = SHORT if len(content) <= len(query) + 1 else INSIDE
        elif _matches(query, _content(m.every)):
            tier = INSIDE
        else:
            continue
        best = min(best, (tier, i))
    spread = tuple(w for m in meanings for w in m.every)
    if best[0] > ACROSS and len(query) > 1 and _matches(query, spread):
        best = (ACROSS, 0)
    return best


@lru_cache(maxsize=4096)
def english(typed: tuple[str, ...], run: bool = False) -> tuple[Translation, ...]:
    """The Chinese words an English word or run (several typed words) may mean, best first;
    () for stop words. A run must be found inside one sense, or spread over the senses of one
    entry when it is two words."""
    every = words(" ".join(typed))
    query = _content(every)
    if not query or len(query) != len([w for w in typed if w.lower() not in STOP_WORDS]):
        return ()
    domain = _domain_english().get(every)
    if domain:
        return tuple(Translation(w, "", "; ".join(_domain()[w]), DOMAIN) for w in domain)
    if any(len(w) < 2 for w in query):
        return ()
    # The rarest-looking word (the longest) narrows the dictionary to a few hundred entries.
    key = max(query, key=len)
    ranked = []
    for entry in dictionary.containing(key):
        if len(entry.simplified) < 2 or _HAN.fullmatch(entry.simplified) is None:
            continue  # one character is a part of many words; Latin headwords are no help
        tier, at = _tier(every, query, entry.senses)
        if tier > ACROSS or (run and tier == ACROSS and len(query) > 2):
            continue
        ranked.append((tier, min(at, 2), len(entry.simplified), entry))
    ranked.sort(key=lambda r: r[:3])
    found: dict[str, Translation] = {}
    for tier, _, _, entry in ranked[:_CANDIDATES]:
        if entry.simplified not in found:
            gloss = "; ".join(entry.senses[:3])
            found[entry.simplified] = Translation(
                entry.simplified, entry.marked_pinyin, gloss, tier
            )
    return tuple(found.values())


@lru_cache(maxsize=4096)
def chinese(typed: str) -> tuple[Translation, ...]:
    """The English a typed Chinese word means, where that is precise enough to search: the
    domain table's senses, or the one short sense of the dictionary's entries."""
    word = fold(typed)
    if len(word) < 2 or _HAN.fullmatch(word) is None:
        return ()
    if word in _domain():
        return tuple(Translation(s, "", word, DOMAIN) for s in _domain()[word])
    found = dictionary.entries(word)
    senses = {s for e in found for s in e.senses if not _NOT_MEANING.match(s.lower())}
    meanings = {m.text: m for e in found for m in _meanings(e.senses) if m.main}
    if len(senses) != 1 or not meanings:
        return ()
    if any(len(m.main) > MAX_REVERSE_WORDS for m in meanings.values()):
        return ()
    return tuple(Translation(text, "", word, WHOLE) for text in meanings)


def choose(
    candidates: tuple[Translation, ...], frequency: Callable[[str], int], limit: int
) -> tuple[Translation, ...]:
    """The candidates of the best tier the index holds, at most limit: Chinese words the most
    frequent first, English phrases in the order their senses are listed. A word holding
    another chosen word is left out (木马病毒 beside 木马, police officer beside police)."""
    held = [(t, n) for t in candidates if (n := frequency(t.word)) > 0]
    if not held:
        return ()
    best = min(t.tier for t, _ in held)
    ranked = [p for p in held if p[0].tier == best]
    if all(_HAN.match(t.word) for t, _ in ranked):
        ranked.sort(key=lambda p: -p[1])
    kept = [t.word for t, _ in ranked[:limit]]
    return tuple(
        _with_reading(t)
        for t, _ in ranked[:limit]
        if not any(o != t.word and _inside(o, t.word) for o in kept)
    )


def _with_reading(t: Translation) -> Translation:
    """The domain table's Chinese words with the dictionary's reading, looked up only for the
    few chosen."""
    if t.reading or not _HAN.match(t.word):
        return t
    return Translation(t.word, _reading(t.word), t.gloss, t.tier)


def _inside(short: str, long: str) -> bool:
    if _HAN.match(short):
        return short in long
    return f" {short.lower()} " in f" {long.lower()} "
