"""Extraction results of OCR'd images kept by content hash, so no image is ever read twice."""

import json
import os
import tempfile
from pathlib import Path

from indexer.extract import Extracted


def cache_get(cache_dir: Path, sha256: str) -> Extracted | None:
    """The cached extraction of the image with this hash, or None."""
    try:
        row = json.loads((cache_dir / sha256[:2] / f"{sha256}.json").read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return Extracted(**row)


def cache_put(cache_dir: Path, sha256: str, extracted: Extracted) -> None:
    """Store an image's extraction atomically: workers and kill -9 never leave half a file."""
    folder = cache_dir / sha256[:2]
    folder.mkdir(parents=True, exist_ok=True)
    row = {k: v for k, v in extracted.__dict__.items() if k != "children"}
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(row, f, ensure_ascii=False)
    os.replace(tmp, folder / f"{sha256}.json")
