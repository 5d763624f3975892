"""Images (screenshots, scans, photos of screens): their text is read by OCR.

RapidOCR (PP-OCRv4) reads every image; Tesseract's second reading mends the lines where RapidOCR
is weak, Traditional characters and English word spaces (see second.py). meta["ocr_lines"]
keeps every line's box, so a hit can be shown where it is on the image.
"""

import dataclasses

from indexer.extract.base import Extracted, ExtractionError, make
from indexer.extract.layout import lines_to_json, reading_order
from indexer.extract.ocr import load_image
from indexer.extract.rapid import dictionary, engine_name, read_lines
from indexer.extract.second import mend

OCR_LINES = "ocr_lines"  # the meta key of the lines' boxes: [[left, top, right, bottom, text]]
TIMEOUT = 120.0  # seconds for one image, both engines


def extract_image(data: bytes, timeout: float = TIMEOUT) -> Extracted:
    """OCR an image's text; meta holds its size, the engine and the lines' boxes."""
    image = load_image(data)
    lines = read_lines(image, timeout)
    lines = mend(image, lines, dictionary(), timeout)
    text = reading_order(lines)
    # Photos and diagrams give stray marks ('|', '-') rather than nothing: no letter, no text.
    if not any(char.isalnum() for char in text):
        raise ExtractionError("no text found by OCR")
    meta = {
        "width": str(image.width),
        "height": str(image.height),
        "ocr": engine_name(),
        OCR_LINES: lines_to_json(lines),
    }
    return dataclasses.replace(make(text, "", "image", ""), meta=meta)
