"""Images (screenshots, scans, photos of screens): their text is read by OCR with Tesseract."""

import dataclasses

from indexer.extract.base import Extracted, ExtractionError, make
from indexer.extract.ocr import DEFAULT_LANGS, load_image, recognise, tesseract_version


def extract_image(data: bytes) -> Extracted:
    """OCR an image's text; meta holds its size and the OCR engine; raise ExtractionError."""
    image = load_image(data)
    width, height = image.size
    text = recognise(image, DEFAULT_LANGS)
    # Photos and diagrams give stray marks ('|', '-') rather than nothing: no letter, no text.
    if not any(char.isalnum() for char in text):
        raise ExtractionError("no text found by OCR")
    extracted = make(text, "", "image", "")
    meta = {
        "width": str(width),
        "height": str(height),
        "ocr": f"tesseract {tesseract_version()} {DEFAULT_LANGS}",
    }
    return dataclasses.replace(extracted, meta=meta)
