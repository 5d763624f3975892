"""Extraction results of OCR'd images kept by content hash, so no image is ever read twice.

An entry is the image's Extracted as JSON: its text, and in meta["ocr_lines"] every recognised
line with its box, so a hit can be shown where it is on the image. Entries written before lines
were kept (Tesseract's text only) count as misses: the image is read again with the current
engine, which found about a quarter more of the text of screenshots, and the entry replaced.
"""

import json
import os
import tempfile
from pathlib import Path

from indexer.extract import Extracted
from indexer.extract.image import OCR_LINES
from indexer.extract.layout import Line, lines_from_json


def cache_get(cache_dir: Path, sha256: str) -> Extracted | None:
    """The cached extraction of the image with this hash, or None."""
    try:
        row = json.loads(_path(cache_dir, sha256).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if OCR_LINES not in row.get("meta", {}):
        return None  # an entry of the old engine, without boxes
    return Extracted(**row)


def cache_lines(cache_dir: Path, sha256: str) -> list[Line] | None:
    """The recognised lines, with their boxes, of the cached image with this hash, or None."""
    cached = cache_get(cache_dir, sha256)
    return lines_from_json(cached.meta[OCR_LINES]) if cached else None


def cache_put(cache_dir: Path, sha256: str, extracted: Extracted) -> None:
    """Store an image's extraction atomically: workers and kill -9 never leave half a file."""
    folder = cache_dir / sha256[:2]
    folder.mkdir(parents=True, exist_ok=True)
    row = {k: v for k, v in extracted.__dict__.items() if k != "children"}
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(row, f, ensure_ascii=False)
    os.replace(tmp, folder / f"{sha256}.json")


def _path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / sha256[:2] / f"{sha256}.json"
