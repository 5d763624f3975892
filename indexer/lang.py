"""Document language: zh, en, mixed, another langdetect code, or unknown; the same on every run."""

import re
from functools import cache

from langdetect import DetectorFactory, LangDetectException
from langdetect.detector_factory import PROFILES_DIRECTORY

from indexer.fold import is_cjk

_WORD = re.compile(r"[^\W\d_]{2,}")
_SAMPLE_CHARS = 20_000
# One English word carries about as much as two Chinese characters; a document is mixed when
# neither script holds at least this share of it.
_DOMINANT = 0.85


@cache
def _factory() -> DetectorFactory:
    # A private factory with a fixed seed: langdetect is random unless seeded, and its module-level
    # seed is global state that other code could change.
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0
    return factory


def detect_language(text: str) -> str:
    """Classify text as zh, en, mixed, another ISO 639-1 code, or unknown."""
    sample = text[:_SAMPLE_CHARS]
    han = sum(1 for ch in sample if is_cjk(ch))
    words = [w for w in _WORD.findall(sample) if not any(is_cjk(ch) for ch in w)]
    weight = han + 2 * len(words)
    if weight == 0:
        return "unknown"
    if han / weight >= _DOMINANT:
        return "zh"
    if han / weight > 1 - _DOMINANT:
        return "mixed"
    return _detect(" ".join(words)) if words else _detect(sample)


def _detect(text: str) -> str:
    detector = _factory().create()
    detector.append(text)
    try:
        code = detector.detect()
    except LangDetectException:
        return "unknown"
    return code.split("-")[0]
