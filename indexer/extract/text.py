"""Plain text and log files."""

from indexer.extract.base import Extracted, make
from indexer.extract.decode import decode


def extract_text(data: bytes) -> Extracted:
    """Decode a plain-text file; its title is the first non-empty line."""
    # decode() has already tried UTF-16 wherever NULs appeared, so NULs left now are stray
    # bytes, and make() strips them.
    text, encoding = decode(data)
    return make(text, "", "txt", encoding)
