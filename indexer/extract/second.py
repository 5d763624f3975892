"""Tesseract's second reading of the lines RapidOCR gets wrong in a way Tesseract does not.

RapidOCR (PP-OCRv4) is far better on screenshots, but has two blind spots that cost search hits:
- its dictionary lacks about one Traditional character in ten of the corpus's (說, 頁, 論, 準,
  較 ...), each read as a look-alike or dropped;
- it often drops the spaces of English text ("Mailboxforensicsmodule"), so no word is found.
Those lines (all lines of a Traditional page, lines with a long run of letters) are cut out and
stacked on one sheet that Tesseract reads in one run. Its reading only mends RapidOCR's: it fills
in characters RapidOCR cannot spell where the rest of the line agrees, and puts back the spaces
between letters both read alike.
"""

import functools
import io
import re
from difflib import SequenceMatcher

import opencc
from PIL import Image

from indexer.analyse.fold import fold
from indexer.extract.layout import Line
from indexer.extract.ocr import prepare, run_tesseract, tesseract_available, tidy_spaces

LANGS = "chi_tra+chi_sim+eng"
# A page is Traditional when this many of its characters change under Traditional -> Simplified
# conversion: a stray 於 or 著 in a Simplified text is not enough.
MIN_TRADITIONAL = 4
LONG_WORD = 10  # letters: a longer run without a space is likely words run together
MAX_FILL = 2  # characters: a longer difference is a misreading, not a missing character
MIN_AGREEMENT = 0.5  # of a line's characters: below it, Tesseract read something else
PAD = 6  # pixels of background around each cut-out line
GAP = 24  # pixels between lines on the sheet, so Tesseract never joins two
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LONG_RUN = re.compile(f"[A-Za-z]{{{LONG_WORD},}}")


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def is_traditional(text: str) -> bool:
    """Whether text holds enough Traditional-only characters to be a Traditional page."""
    simple = _converter("t2s").convert(text)
    changed = sum(a != b for a, b in zip(text, simple, strict=False))
    return len(simple) == len(text) and changed >= MIN_TRADITIONAL


def mend(image: Image.Image, lines: list[Line], known: frozenset[str], timeout: float) -> list:
    """lines, mended by Tesseract where RapidOCR (whose characters are known) is weak."""
    traditional = is_traditional("".join(line.text for line in lines))
    chosen = [i for i, line in enumerate(lines) if traditional or _LONG_RUN.search(line.text)]
    if not chosen or tesseract_available(LANGS) is not None:
        return lines  # Tesseract is optional: without it RapidOCR's reading stands
    readings = read_lines(image, [lines[i] for i in chosen], timeout)
    mended = list(lines)
    for i, reading in zip(chosen, readings, strict=True):
        text = respace(lines[i].text, reading)
        mended[i] = Line(fill_in(text, reading, known) if traditional else text, lines[i].box)
    return mended


def read_lines(image: Image.Image, lines: list[Line], timeout: float) -> list[str]:
    """Tesseract's reading of each line's box of the image, in one run over a sheet of them."""
    sheet, spans = _sheet(image.convert("L"), lines)
    prepared = prepare(sheet)
    ratio = prepared.height / sheet.height
    words: list[list[tuple[int, str]]] = [[] for _ in lines]
    for left, top, height, text in _words(prepared, timeout):
        middle = (top + height / 2) / ratio
        for i, (y0, y1) in enumerate(spans):
            if y0 <= middle < y1:
                words[i].append((left, text))
    return [tidy_spaces(" ".join(text for _, text in sorted(found))) for found in words]


def respace(text: str, other: str) -> str:
    """text with a space put between two letters wherever other, read alike there, has one."""
    ours = [i for i, ch in enumerate(text) if _latin(ch)]
    theirs, spaced = [], set()
    for ch in other:
        if _latin(ch):
            theirs.append(ch.lower())
        elif ch == " " and theirs:
            spaced.add(len(theirs) - 1)  # a space after this letter of other
    letters = "".join(text[i].lower() for i in ours)
    cuts = set()
    for a, b, size in SequenceMatcher(
        None, letters, "".join(theirs), autojunk=False
    ).get_matching_blocks():
        cuts.update(ours[a + k] for k in range(size) if b + k in spaced)
    # Only between two Latin letters that touch: spaces RapidOCR kept, digits and CJK stay.
    return "".join(
        ch + (" " if i in cuts and _latin(text[i + 1 : i + 2]) else "") for i, ch in enumerate(text)
    )


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def fill_in(text: str, other: str, known: frozenset[str]) -> str:
    """text with short runs of Chinese characters from other put where text lacks them.

    A run is taken only where the rest of the line agrees, and, in place of characters of text,
    only if every character in it is one known holds in neither script (頁, or its Simplified 页
    when known lacks 頁).
    """
    # Compared folded (width, Traditional -> Simplified: one character for one), so 頁 meets 页
    # and ：meets :; Tesseract's spaces between characters are its word boxes, not text.
    other = "".join(other.split())
    matcher = SequenceMatcher(None, fold(text), fold(other), autojunk=False)
    if matcher.ratio() < MIN_AGREEMENT:
        return text
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        ours, theirs = text[i1:i2], other[j1:j2]
        fits = op != "delete" and len(theirs) <= MAX_FILL and abs(len(ours) - len(theirs)) <= 1
        # RapidOCR drops what it cannot read rather than guess: a character missing from its
        # reading is taken whatever it is; one it read otherwise only if it could not spell it.
        wanted = op == "insert" or _unknown(theirs, known)
        if op != "equal" and fits and _HAN.fullmatch(theirs) and wanted:
            parts.append(theirs)
        else:
            parts.append(ours)
    return "".join(parts)


def _unknown(run: str, known: frozenset[str]) -> bool:
    traditional = _converter("s2t").convert(run)
    return all(a not in known or b not in known for a, b in zip(run, traditional, strict=False))


def _sheet(gray: Image.Image, lines: list[Line]) -> tuple[Image.Image, list[tuple[int, int]]]:
    """The lines' cut-outs stacked on one image, and each cut-out's vertical span on it."""
    crops = []
    for line in lines:
        left, top, right, bottom = line.box
        crops.append(gray.crop((max(0, left - PAD), max(0, top - PAD), right + PAD, bottom + PAD)))
    histogram = gray.histogram()
    background = max(range(256), key=histogram.__getitem__)  # the page's commonest grey
    height = sum(crop.height + GAP for crop in crops) + GAP
    sheet = Image.new("L", (max(crop.width for crop in crops), height), background)
    spans, y = [], GAP
    for crop in crops:
        sheet.paste(crop, (0, y))
        spans.append((y - GAP // 2, y + crop.height + GAP // 2))
        y += crop.height + GAP
    return sheet, spans


def _words(image: Image.Image, timeout: float) -> list[tuple[int, int, int, str]]:
    """(left, top, height, text) of every word Tesseract reads in a prepared image."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    args = ["stdin", "stdout", "-l", LANGS, "--psm", "6", "tsv"]
    words = []
    for row in run_tesseract(args, buffer.getvalue(), timeout).splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) == 12 and cells[0] == "5" and cells[11].strip():
            words.append((int(cells[6]), int(cells[7]), int(cells[9]), cells[11].strip()))
    return words
