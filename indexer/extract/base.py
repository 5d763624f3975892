"""The extraction result, the one extraction error, and text helpers the format modules share."""

import re
from dataclasses import dataclass, field

TITLE_MAX = 200


@dataclass(frozen=True)
class Child:
    """A file inside a container (archive member, email attachment), to be extracted on its own."""

    name: str  # POSIX path inside the container: "inner/file.docx", "attachments/report.pdf"
    data: bytes
    # An inline child's text belongs to its parent (a PDF page image read by OCR): it is appended
    # to the parent's text under a "[page N]"-style heading instead of becoming its own document.
    inline: bool = False


@dataclass(frozen=True)
class Extracted:
    """Searchable text and metadata extracted from one file."""

    text: str
    title: str
    filetype: str
    encoding: str
    # Format metadata worth showing and searching (email from/to/cc/date/subject, author, ...).
    meta: dict[str, str] = field(default_factory=dict)
    children: tuple[Child, ...] = ()


class ExtractionError(Exception):
    """This file could not be read; str(exc) is the human-readable reason."""


_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def normalise(text: str) -> str:
    """Return text with CRLF/CR newlines made LF, NULs removed and blank-line runs collapsed."""
    # NULs reaching here are stray bytes in a file the decoder has already ruled out as UTF-16;
    # downstream (Whoosh, SQLite-backed stores, terminals) chokes on them.
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_SPACE.sub("\n", text)
    return _BLANK_RUNS.sub("\n\n", text).strip()


def first_line(text: str) -> str:
    """Return the first non-empty line of text, cut to the title length, or ''."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:TITLE_MAX]
    return ""


def make(text: str, title: str, filetype: str, encoding: str) -> Extracted:
    """Build an Extracted from raw extracted text, falling back to its first line for a title."""
    text = normalise(text)
    if not text:
        raise ExtractionError("no text could be extracted")
    title = " ".join(title.split())[:TITLE_MAX] or first_line(text)
    return Extracted(text=text, title=title, filetype=filetype, encoding=encoding)
