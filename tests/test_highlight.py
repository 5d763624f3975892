"""Highlighting: Chinese strings found by regex mark exactly what their bigrams would; words are
marked as tokenizing every text would."""

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import Token

from indexer.analyse import dictionary
from indexer.analyse.analysis import SKIP_HAN, StemFilter, analysed, bigram_analyzer, word_analyzer
from indexer.analyse.fold import is_cjk
from indexer.search.highlight import Pattern, _haystack, _match, _merge, _needles, spans

HAN = "哈安洵信息的國国"
TEXT = st.text(alphabet=HAN + " \u3000\nab.,", max_size=40)
STRING = st.text(alphabet=HAN, min_size=1, max_size=4)


def pattern(chars: str, glob: bool = False) -> Pattern:
    if glob:
        return Pattern("cjk", (chars[0] + "*",), glob=True)
    if len(chars) == 1:
        return Pattern("cjk", (chars,))
    return Pattern("cjk", tuple(chars[i : i + 2] for i in range(len(chars) - 1)))


@settings(max_examples=1500, deadline=None)
@given(
    TEXT,
    st.lists(st.tuples(STRING, st.booleans()), min_size=1, max_size=8),
    STRING,
    st.booleans(),
)
def test_strings_mark_what_their_bigrams_mark(text, wanted, longer, vetoed):
    pats = [pattern(chars, glob) for chars, glob in wanted]
    if vetoed:
        pats[0] = Pattern(pats[0].field, pats[0].steps, pats[0].glob, (pattern(longer),))
    by_tokens = _merge(list(_match(text, bigram_analyzer(), pats, "")))
    assert spans(text, pats, ("cjk",)) == by_tokens


def test_traditional_text_is_marked_for_simplified_strings():
    assert spans("一個國家", [pattern("国家")], ("cjk",)) == [(2, 4)]


# Marking words of the word analyzer: a text is tokenized only when a pattern's words may be in it.
WORDS = st.sampled_from(
    [
        "Government",
        "governments",
        "happy",
        "happiness",
        "capability",
        "ＧＯＶ",
        "mail.gov.in",
        "v1.2",
        "政府",
        "政 府",
        "經濟",
        "经济发展",
        "İstanbul",
        "ΟΔΟΣ",
        "the",
        "running",
        "ran",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=12), st.lists(WORDS, min_size=1, max_size=3), st.booleans())
def test_words_mark_what_tokenizing_every_text_marks(words, query, phrase):
    text = " ".join(words)
    tokens = [t for t, _, _ in analysed(word_analyzer(), " ".join(query), "")]
    steps = [(t,) for t in tokens] + ([tuple(tokens)] if phrase and tokens else [])
    pats = [Pattern("content", s) for s in steps]
    chinese = any(is_cjk(ch) for s in steps for step in s for ch in step)
    by_tokens = _merge(list(_match(text, word_analyzer(), pats, "" if chinese else SKIP_HAN)))
    assert spans(text, pats, ("content",)) == by_tokens


def _english_words() -> set[str]:
    senses = dictionary._text().decode("utf-8", "replace")
    return {w.lower() for w in re.findall(r"[A-Za-z]+", senses)}


def test_a_stem_keeps_all_but_its_last_two_letters_of_its_word():
    # What _needles relies on, over CC-CEDICT's English (tens of thousands of words).
    stem = next(f for f in word_analyzer().items if isinstance(f, StemFilter))
    for word in _english_words():
        [token] = [t.text for t in stem(iter([Token(text=word)]))]
        assert _holds(token, word), (word, token)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=string.ascii_letters, min_size=1, max_size=20))
def test_a_stem_of_any_letters_keeps_all_but_its_last_two(word):
    [(token, _, _)] = analysed(word_analyzer(), word, SKIP_HAN)
    assert _holds(token, word)


def _holds(token: str, word: str) -> bool:
    return all(n in _haystack(word) for n in _needles(Pattern("content", (token,))))


def test_a_string_cut_by_the_end_of_the_text_is_not_a_longer_one():
    # 信信 is one of the strings; the text's end cuts 信信信 to 信信 (found by the test above).
    pats = [pattern("信信"), pattern("信信信")]
    assert spans("信信", pats, ("cjk",)) == [(0, 2)]
