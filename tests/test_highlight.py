"""Highlighting: Chinese strings found by regex mark exactly what their bigrams would."""

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analyse.analysis import bigram_analyzer
from indexer.search.highlight import Pattern, _match, _merge, spans

HAN = "哈安洵信息的國国"
TEXT = st.text(alphabet=HAN + " \u3000\nab.,", max_size=40)
STRING = st.text(alphabet=HAN, min_size=1, max_size=4)


def pattern(chars: str, glob: bool = False) -> Pattern:
    if glob:
        return Pattern("cjk", (chars[0] + "*",), glob=True)
    if len(chars) == 1:
        return Pattern("cjk", (chars,))
    return Pattern("cjk", tuple(chars[i : i + 2] for i in range(len(chars) - 1)))


@settings(max_examples=400, deadline=None)
@given(TEXT, st.lists(st.tuples(STRING, st.booleans()), min_size=1, max_size=3), STRING)
def test_strings_mark_what_their_bigrams_mark(text, wanted, longer):
    pats = [pattern(chars, glob) for chars, glob in wanted]
    pats[0] = Pattern(pats[0].field, pats[0].steps, pats[0].glob, (pattern(longer),))
    by_tokens = _merge(list(_match(text, bigram_analyzer(), pats, "")))
    assert spans(text, pats, ("cjk",)) == by_tokens


def test_traditional_text_is_marked_for_simplified_strings():
    assert spans("一個國家", [pattern("国家")], ("cjk",)) == [(2, 4)]
