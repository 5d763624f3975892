"""A text as HTML with its query marks and every Chinese word glossed, for hover, focus and ruby.

A word is `<span class="w" tabindex="0" data-gloss="...">`: the stylesheet shows the attribute's
text (pinyin, then senses) on hover and on keyboard focus, with no script. With ruby, each
character also carries its syllable in `<rt>`. Marks stay whole, one `<mark>` per match: a word
a mark's edge cuts is split in two elements with the same gloss, the second one hover-only so
the keyboard stops at each word once. Text, readings and senses are all escaped.
"""

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache

from markupsafe import Markup, escape

from indexer.analyse.fold import is_cjk
from indexer.analyse.glosses import Gloss, Segment, gloss, segments

# How a text's Chinese is shown: not glossed, glossed on hover and focus, or also as ruby.
PLAIN, HOVER, RUBY = "", "hover", "ruby"
# A long document's words are glossed this many characters at a time: a page stays quick and
# small (each word carries its gloss), and its whole text is still on it for the browser's find.
GLOSSED_CHARS = 10_000
GLOSSED_ID = "glossed"
ANCHOR = f'<span id="{GLOSSED_ID}"></span>'


def glossed(
    text: str,
    marked: list[tuple[int, int]],
    how: str = HOVER,
    within: tuple[int, int] | None = None,
) -> Markup:
    """The whole text escaped, each span of marked (sorted, disjoint) in <mark>, its Chinese
    words glossed (how: HOVER or RUBY): only those of text[lo:hi] if within is (lo, hi), with
    an empty element whose id is GLOSSED_ID at lo, where links to that part lead."""
    lo, hi = within or (0, len(text))
    words = [replace(w, start=w.start + lo) for w in segments(text[lo:hi]) if w.gloss is not None]
    page = _Page(text, words, [w.end for w in words], how, lo if within and lo else -1)
    last = 0
    for s, e in marked:
        page.piece(last, s)
        page.out.append("<mark>")
        page.piece(s, e)
        page.out.append("</mark>")
        last = e
    page.piece(last, len(text))
    return Markup("".join(page.out))  # every piece of text in out was escaped on its way in


def window(text: str, start: int, size: int = GLOSSED_CHARS) -> tuple[int, int]:
    """About `size` characters of text from the start of the line holding `start` (unless the
    line is very long), ending at a line end where one is near."""
    start = min(max(start, 0), len(text))
    line = text.rfind("\n", max(0, start - size // 4), start)
    lo = line + 1 if line >= 0 else (0 if start <= size // 4 else start)
    end = min(len(text), lo + size)
    cut = text.rfind("\n", lo + size // 2, end)
    return lo, (cut + 1 if end < len(text) and cut >= 0 else end)


@dataclass
class _Page:
    """The HTML being written, and what writing a piece of the text needs."""

    text: str
    words: list[Segment]
    ends: list[int]
    how: str
    anchor: int  # where the GLOSSED_ID element goes, -1 for nowhere
    out: list[str] = field(default_factory=list)

    def piece(self, lo: int, hi: int) -> None:
        """text[lo:hi] escaped, the words in it (or cut by its edges) glossed."""
        at = lo
        # Indexed, not sliced: a page of many marks would copy the words' list for each.
        for k in range(bisect_right(self.ends, lo), len(self.words)):
            w = self.words[k]
            if w.start >= hi:
                break
            start, end = max(w.start, lo), min(w.end, hi)
            self.plain(at, start)
            self.out.append(
                _element(w.text, start - w.start, end - w.start, w.start >= lo, self.how)
            )
            at = end
        self.plain(at, hi)

    def plain(self, a: int, b: int) -> None:
        # The anchor follows the text before it: the piece ending at or running over it. (lo
        # is never inside a word: words are found in text[lo:hi] only.)
        if a < self.anchor <= b:
            self.out += [_escaped(self.text[a : self.anchor]), ANCHOR]
            a = self.anchor
        self.out.append(_escaped(self.text[a:b]))


def _escaped(text: str) -> str:
    return str(escape(text))


@lru_cache(maxsize=100_000)
def _element(word: str, i: int, j: int, first: bool, how: str) -> str:
    # Built as a string and cached: a page repeats its words, and Markup.format per word was
    # most of the time a long document took.
    found = gloss(word.replace(" ", "").replace("\u3000", ""))
    part = word[i:j]
    inner = _ruby(part, _syllables_from(word, i, found)) if how == RUBY else _escaped(part)
    focus = ' tabindex="0"' if first else ""
    return f'<span class="w"{focus} data-gloss="{_escaped(found.text)}">{inner}</span>'


def _syllables_from(word: str, i: int, found: Gloss) -> list[str]:
    # Syllables belong to Han characters only: a space inside a word (泰国 航空) has none.
    before = sum(1 for ch in word[:i] if is_cjk(ch))
    return list(found.syllables[before:])


def _ruby(part: str, syllables: list[str]) -> str:
    out = ["<ruby>"]
    for ch in part:
        out.append(_escaped(ch))
        if is_cjk(ch):
            reading = syllables.pop(0) if syllables else ""
            out += ["<rt>", _escaped(reading), "</rt>"]
    out.append("</ruby>")
    return "".join(out)
