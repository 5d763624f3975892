"""OCR with RapidOCR: PaddleOCR's PP-OCRv4 detection and recognition models on ONNX Runtime.

The models ship inside the rapidocr_onnxruntime wheel and are loaded from it; nothing is
downloaded. One engine is loaded per process, on first use.
"""

import functools
import importlib.metadata
import importlib.util
import re
import time

from PIL import Image

from indexer.extract.base import ExtractionError
from indexer.extract.layout import Line

# One thread per engine, as for Tesseract: the indexer runs one OCR per worker process, one
# worker per core.
THREADS = 1
MAX_PIXELS = 16_000_000  # larger images are scaled down to this many pixels first
# RapidOCR shrinks a longer side than 2,000 px, which makes a long chat screenshot's text too
# small to read: such images are read in strips as tall as this many widths, overlapping so a
# line cut by one strip's edge is whole in the next.
STRIP_ASPECT = 1.5
STRIP_OVERLAP = 80  # pixels: more than any line's height
MIN_SCORE = 0.5  # RapidOCR's default: lower-scored lines are mostly noise on photos
# RapidOCR drops the space between a word and a number ("Windows7"), which the index would keep
# as one token that a search for Windows misses; a capitalised word of four letters or more
# before digits is split (identifiers such as v3.2, SC0175 or report_v2 do not match).
_WORD_DIGITS = re.compile(r"(?<![A-Za-z0-9_.@/-])([A-Z][a-z]{3,})(?=\d)")
_calls = [0]  # engine runs in this process: a test counts them to see a cached image is not read


def engine_calls() -> int:
    """How many times this process has run the OCR engine (on an image or one of its strips)."""
    return _calls[0]


@functools.cache
def _engine():
    # Imported here: loading ONNX Runtime and OpenCV costs a second that text-only runs skip.
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(
        intra_op_num_threads=THREADS,
        inter_op_num_threads=1,
        max_side_len=4096,  # strips are cut below this; RapidOCR must not shrink them
        text_score=MIN_SCORE,
        # The 180-degree line classifier turned whole clean lines of the generated screenshots
        # upside down (read as noise and dropped); screenshots are upright, photos carry EXIF.
        use_cls=False,
    )


def rapidocr_available() -> str | None:
    """Return None if the OCR engine can be loaded here, else the reason it cannot."""
    # Not imported: loading ONNX Runtime and OpenCV in the indexer's main process is wasted.
    if importlib.util.find_spec("rapidocr_onnxruntime") is None:
        return "rapidocr_onnxruntime is not installed"
    return None


@functools.cache
def engine_name() -> str:
    """The engine and its version, as recorded with each image's text."""
    version = importlib.metadata.version("rapidocr_onnxruntime")
    return f"rapidocr {version} PP-OCRv4"


def dictionary() -> frozenset[str]:
    """Every character the recognition model can output."""
    return frozenset(_engine().text_rec.postprocess_op.character)


def read_lines(image: Image.Image, timeout: float = 120.0) -> list[Line]:
    """Every text line RapidOCR finds in an image, with its box; raise ExtractionError."""
    deadline = time.monotonic() + timeout
    image = _rgb(image)
    scale = min(1.0, (MAX_PIXELS / (image.width * image.height)) ** 0.5)
    if scale < 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    lines: list[Line] = []
    for top, keep_from, keep_to in strips(image.width, image.height):
        if time.monotonic() > deadline:
            raise ExtractionError(f"OCR timed out after {timeout:g} s")
        strip = image.crop((0, top, image.width, min(image.height, keep_to + STRIP_OVERLAP)))
        for line in _recognise(strip):
            left, y0, right, y1 = line.box
            middle = top + (y0 + y1) / 2
            if keep_from <= middle < keep_to:
                box = (left, y0 + top, right, y1 + top)
                lines.append(Line(line.text, tuple(round(v / scale) for v in box)))
    return lines


def strips(width: int, height: int) -> list[tuple[int, int, int]]:
    """(top, keep_from, keep_to) of each strip: a line belongs to the strip holding its middle."""
    step = max(STRIP_OVERLAP * 4, round(width * STRIP_ASPECT))
    cuts = list(range(0, height, step)) + [height]
    if len(cuts) > 2 and cuts[-1] - cuts[-2] < step // 3:
        del cuts[-2]  # no thin last strip: it would cut lines for little gain
    return [(max(0, a - STRIP_OVERLAP), a, b) for a, b in zip(cuts, cuts[1:], strict=False)]


def _recognise(image: Image.Image) -> list[Line]:
    import cv2
    from onnxruntime.capi.onnxruntime_pybind11_state import Fail as OrtError

    _calls[0] += 1
    try:
        found, _ = _engine()(image)
    except (cv2.error, OrtError, ValueError) as exc:  # bad input, as ONNX Runtime or OpenCV see it
        raise ExtractionError(f"OCR failed: {type(exc).__name__}: {exc}") from exc
    lines = []
    for quad, text, _score in found or ():
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        if text.strip():
            text = _WORD_DIGITS.sub(r"\1 ", text.strip())
            lines.append(Line(text, (min(xs), min(ys), max(xs), max(ys))))
    return lines


def _rgb(image: Image.Image) -> Image.Image:
    """The image as RGB, transparent pixels made white (they are often black underneath)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        white = Image.new("RGBA", image.size, "white")
        return Image.alpha_composite(white, image.convert("RGBA")).convert("RGB")
    return image.convert("RGB")
