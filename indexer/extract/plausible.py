"""Score how much decoded text reads as real writing, so mojibake loses to the right encoding.

GB18030 decodes almost any byte sequence, so strict decoding alone cannot choose between legacy
CJK code pages. Real Chinese is mostly dictionary words of two or more characters; mojibake is a
scatter of rare single characters, private-use code points and stray symbols.
"""

import unicodedata
from functools import cache

import rjieba

from indexer.analyse.fold import fold, is_cjk

# Hangul syllables that make up most of real Korean; mojibake spreads over all 2,350 KS X 1001 ones.
_COMMON_HANGUL = set(
    "가각간갈감갑강같개거건걸검겁것게겠겨결경계고곡곳공과관광교구국군권귀규그극근글금기긴길김까께"
    "꼬끝나날남낮내낸너널넣네녕년념노논놓누는늘니님다단달담당대더던덕데도독돌동되된될됐됩두둘뒤드"
    "득든들듯등디따때떤또라락란람랑래략량러럼럽렇레려력련렬렵령례로록론롭료루류르른를름리린림립마"
    "막만많말맞매머먹면명모목몸못무문물뭐므미민밀바박반받발방배백버번벌범법벽변별병보복본볼봐부"
    "북분불비빠사산살삼상새색생서석선설성세셨소속손송수숙순술쉽스슬습승시식신실심십싸써쓰씨아악안"
    "않알았암압앞애야약양어억언얼업없었에여역연열염였영예오온올와완왕왜외요용우운울움원월위유육으"
    "은을음응의이인일임입있자작잘장재저적전절점접정제조족존종주죽준줄중즈즉지직진질집짜째쪽차참찾"
    "창채책처천철청체초총최추축출충취치친칙카커코크큰타탄태터토통투트특티팀파판패편평포표품프피필"
    "하학한할함합항해했행향허현형혹호화확환활황회효후흥희히힘"
)
_PROSE_EDGE = set(" \t\n\r0123456789.,;:!?()\"'-/")
_WESTERN_MARKS = set("“”‘’–—…•€£°©®±×«»¿¡§·\u00a0™")


def plausibility(text: str, script: str) -> float:
    """Score text as writing in script ("zh", "ja", "ko", "latin"): mean credit per non-ASCII."""
    credit, count = 0.0, 0
    folded = fold(text)
    in_word = _han_in_words(folded)
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")
    letters = sum(1 for ch in text if not ch.isascii() and ch.isalpha())
    korean = script == "ko" and hangul >= 0.8 * letters
    for i, ch in enumerate(text):
        if ch.isascii():
            continue
        count += 1
        credit += _char_credit(text, i, folded[i], script, in_word, korean)
    return credit / count if count else 0.0


def _han_in_words(folded: str) -> list[bool]:
    """Mark Han characters that jieba puts in a dictionary word of two or more characters."""
    marks = [False] * len(folded)
    pos = 0
    # HMM off: it would glue unknown characters together, and mojibake is nothing but unknowns.
    for token in rjieba.cut(folded, hmm=False):
        if len(token) > 1 and all(is_cjk(ch) for ch in token):
            marks[pos : pos + len(token)] = [True] * len(token)
        pos += len(token)
    return marks


def _char_credit(text: str, i: int, folded: str, script: str, words: list[bool], ko: bool) -> float:
    ch = text[i]
    category = unicodedata.category(ch)
    if category in ("Co", "Cn", "Cc", "Cs"):
        return -2.0  # private-use, unassigned and control characters are what mojibake looks like
    if is_cjk(ch):
        return 1.0 if words[i] else _single_credit(folded)
    if "\uff61" <= ch <= "\uff9f":
        return -1.0  # half-width katakana: Shift-JIS single bytes, almost never real text today
    if script == "latin":
        return _latin_credit(text, i, ch)
    if "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e" or ch in "“”‘’…—·":
        return 1.0
    if script == "ja" and "\u3041" <= ch <= "\u30ff":
        return 1.0
    if script == "ko" and "\uac00" <= ch <= "\ud7a3":
        return 1.0 if ko and ch in _COMMON_HANGUL else 0.0
    return 0.0


@cache
def _single_credit(ch: str) -> float:
    """Partial credit for a Han character common on its own (的, 们); mojibake draws rare ones."""
    freq = rjieba.suggest_freq(ch)
    return 0.6 if freq >= 3000 else 0.3 if freq >= 300 else 0.0


def _latin_credit(text: str, i: int, ch: str) -> float:
    """Accents and typographic marks count only where real Western text puts them."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    # ASCII below 0x40 (space, digits, prose punctuation) is never the second byte of a CJK
    # double-byte character, so a mark touching it is not half of CJK mojibake.
    loose = any(n in _PROSE_EDGE for n in (before, after))
    if ch in _WESTERN_MARKS:
        return 1.0 if loose else 0.0
    if not ch.isalpha() or "LATIN" not in unicodedata.name(ch, ""):
        return 0.0
    # A Latin letter touches an ASCII letter of its word, or stands alone (French "à").
    if not any(n.isascii() and n.isalpha() for n in (before, after)):
        return 1.0 if before in _PROSE_EDGE and after in _PROSE_EDGE else 0.0
    if ch.islower():  # after a capital ("São") or inside a word, never before a capital
        fits = before.isalpha() or before in _PROSE_EDGE
        fits = fits and (after.islower() or after in _PROSE_EDGE)
        return 1.0 if fits else 0.0
    # Capitals: the start of a word, or inside an all-capitals word.
    if before in _PROSE_EDGE and after.isalpha():
        return 1.0
    return 1.0 if before.isupper() and (after.isupper() or after in _PROSE_EDGE) else 0.0
