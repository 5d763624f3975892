"""Language of a unit of text: zh, en, mixed, another langdetect code, or und; same on every run.

Only prose counts: URLs, email addresses, dotted names (domains, files, versions), identifiers
with digits or underscores and attachment markers say nothing about the language. A text too
short for langdetect to judge (a chat line such as `ok`, `[file: a.xlsx]`, a name) is `und`
(ISO 639-2 undetermined), or the language of the text around it when the caller knows it (a chat
message takes its log's): langdetect gives such lines a confident wrong answer (pt, sw, cy ...).
"""

import re
from functools import cache, lru_cache
from pathlib import Path

from langdetect import DetectorFactory, LangDetectException
from langdetect.detector_factory import PROFILES_DIRECTORY

from indexer.analyse.fold import HAN_CHAR, is_cjk

UNDETERMINED = "und"
_NOT_PROSE = re.compile(
    r"\[(?:file|image|page|link)[^\]\n]*\]"  # attachment markers of the chat extractors
    r"|[a-z][a-z0-9+.-]*://[!-~]*|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+"  # URLs, email addresses
    r"|[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+"  # dotted names: domains, files, versions, key paths
    r"|[A-Za-z0-9_]*[0-9_][A-Za-z0-9_]*",  # identifiers and numbers: wxid_q8m2x7, v2, 2019
    re.I,
)
_WORD = re.compile(r"[^\W\d_]{2,}")
# Words in a run of at least this many are a phrase of the language; fewer between Chinese
# characters are names and terms (Falcon-X的Windows端, 数据库是SQL Server).
_PHRASE_WORDS = 3
_RUN_BREAK = re.compile(r"[\n\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
_SAMPLE_CHARS = 20_000
# One English word carries about as much as two Chinese characters; a text is mixed when
# neither script holds at least this share of it.
_DOMINANT = 0.85
# Below this many letters of words langdetect's answer is no better than a guess.
_MIN_LETTERS = 40
_MIN_PROBABILITY = 0.9
_DETECT_CHARS = 2_000
# English prose is a fifth function words (a median of 21% over the benchmark's English texts);
# another language written in Latin letters has almost none of these. Prose of this many words
# with this share of them is English: langdetect (6-10 ms a text) is not asked.
FUNCTION_WORDS = Path(__file__).parents[1] / "data" / "english_function_words.txt"
_ENGLISH_WORDS = 20
_ENGLISH_SHARE = 0.1


def detect_language(text: str, fallback: str = UNDETERMINED) -> str:
    """Classify text as zh, en, mixed, another ISO 639-1 code, or fallback when it cannot tell."""
    prose = _NOT_PROSE.sub(" ", text[:_SAMPLE_CHARS])
    han = len(HAN_CHAR.findall(prose))
    runs = [[w for w in _WORD.findall(run) if not is_cjk(w[0])] for run in _RUN_BREAK.split(prose)]
    words = [w for run in runs if len(run) >= _PHRASE_WORDS or not han for w in run]
    weight = han + 2 * len(words)
    if weight == 0:
        return fallback
    if han / weight >= _DOMINANT:
        return "zh"
    if han / weight > 1 - _DOMINANT:
        return "mixed"
    if sum(map(len, words)) < _MIN_LETTERS:
        return fallback
    if len(words) >= _ENGLISH_WORDS and _english_share(words) >= _ENGLISH_SHARE:
        return "en"
    return _detect(" ".join(words)) or fallback


def message_language(text: str, log_text: str) -> str:
    """A chat message's language; one too short to judge takes its whole log's."""
    return detect_language(text, fallback="") or _log_language(log_text)


@lru_cache(maxsize=4)
def _log_language(log_text: str) -> str:
    # Every short message of a log asks for the same log's language: worked out once.
    return detect_language(log_text)


def _english_share(words: list[str]) -> float:
    function = _function_words()
    return sum(1 for w in words if w.lower() in function) / len(words)


@cache
def _function_words() -> frozenset[str]:
    lines = FUNCTION_WORDS.read_text("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    # A private factory with a fixed seed: langdetect is random unless seeded, and its module-level
    # seed is global state that other code could change.
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0
    return factory


def _detect(text: str) -> str | None:
    detector = _factory().create()
    # Its per-character Python loops took a tenth of an indexing run at langdetect's default
    # (10,000 characters); a few lines of prose are as decisive.
    detector.set_max_text_length(_DETECT_CHARS)
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None
    return best.lang.split("-")[0] if best.prob >= _MIN_PROBABILITY else None
