"""Language names for the interface: a detected language code as a word of the UI language."""

from collections.abc import Callable
from functools import cache

from babel import Locale, UnknownLocaleError

_OWN = ("mixed", "unknown")  # leaksearch's own values, not ISO codes: named in labels.json


@cache
def _locale(ui: str) -> Locale:
    return Locale.parse(ui)


def language_name(code: str, ui: str, t: Callable[[str], str]) -> str:
    """zh -> 中文 or Chinese, und -> 未知语言; an unknown code stays as it is."""
    if code in _OWN:
        return t(f"lang_{code}")
    try:
        return _locale(ui).languages.get(code) or code
    except (UnknownLocaleError, ValueError):
        return code
