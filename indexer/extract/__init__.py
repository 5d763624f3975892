"""Text extraction: one module per file format, dispatched by suffix through EXTRACTORS.

Each extractor is a pure function from a file's bytes to an Extracted; extract() reads the file and
raises ExtractionError, and only that, for any file it cannot read.
"""

import dataclasses
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from indexer.extract.archive import extract_7z, extract_tar, extract_zip, suffix_of
from indexer.extract.base import Child, Extracted, ExtractionError
from indexer.extract.csvfile import extract_csv, extract_tsv
from indexer.extract.docx import extract_docx
from indexer.extract.email import extract_eml
from indexer.extract.html import extract_html
from indexer.extract.image import extract_image
from indexer.extract.jsonfile import extract_json
from indexer.extract.markdown import extract_markdown
from indexer.extract.mbox import extract_mbox
from indexer.extract.pdf import extract_pdf
from indexer.extract.pptx import extract_pptx
from indexer.extract.rtf import extract_rtf
from indexer.extract.text import extract_text
from indexer.extract.xlsx import extract_xls, extract_xlsx

__all__ = [
    "EXTRACTORS",
    "IMAGE_SUFFIXES",
    "Child",
    "Extracted",
    "ExtractionError",
    "extract",
    "extract_bytes",
]

# Images are read by OCR, which is slow: the indexer caches them and obeys --ocr.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"})

EXTRACTORS: dict[str, Callable[[bytes], Extracted]] = {
    ".txt": extract_text,
    ".text": extract_text,
    ".log": extract_text,
    ".md": extract_markdown,
    ".markdown": extract_markdown,
    ".html": extract_html,
    ".htm": extract_html,
    ".csv": extract_csv,
    ".tsv": extract_tsv,
    ".json": extract_json,
    ".eml": extract_eml,
    ".mbox": extract_mbox,
    ".zip": extract_zip,
    ".7z": extract_7z,
    ".tar": extract_tar,
    ".tar.gz": extract_tar,
    ".tgz": extract_tar,
    ".tar.bz2": extract_tar,
    ".tbz2": extract_tar,
    ".tar.xz": extract_tar,
    ".txz": extract_tar,
    ".docx": extract_docx,
    ".xlsx": extract_xlsx,
    ".xls": extract_xls,
    ".pptx": extract_pptx,
    ".pdf": extract_pdf,
    ".rtf": extract_rtf,
    **dict.fromkeys(IMAGE_SUFFIXES, extract_image),
}


def extract(path: Path) -> Extracted:
    """Read path and extract its text with the extractor for its suffix; raise ExtractionError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(f"cannot read file: {exc.strerror or exc}") from exc
    return extract_bytes(data, path.name)


def extract_bytes(data: bytes, name: str) -> Extracted:
    """Extract a file's bytes with the extractor for its name's suffix; raise ExtractionError."""
    suffix = suffix_of(name)
    extractor = EXTRACTORS.get(suffix)
    if extractor is None:
        raise ExtractionError(f"unsupported file type: {suffix or '(no suffix)'}")
    if not data.strip():
        raise ExtractionError("empty file")
    extracted = extractor(data)
    if not extracted.title:
        base = PurePosixPath(name).name
        extracted = dataclasses.replace(extracted, title=base[: len(base) - len(suffix)] or base)
    return extracted
