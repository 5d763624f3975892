"""CSV and TSV files: one line per row, cells joined by " | ", header row included."""

import csv
import io

from indexer.extract.base import Extracted, make
from indexer.extract.decode import decode
from indexer.extract.tables import row_lines

_SNIFF_CHARS = 64 * 1024


def extract_csv(data: bytes) -> Extracted:
    """Extract a comma-separated (or sniffed-dialect) file row by row."""
    return _extract(data, ",")


def extract_tsv(data: bytes) -> Extracted:
    """Extract a tab-separated file row by row."""
    return _extract(data, "\t")


def _extract(data: bytes, default: str) -> Extracted:
    text, encoding = decode(data)
    # The csv module rejects NULs and needs universal newlines handled by the reader itself.
    text = text.replace("\x00", "")
    return make(rows_text(text, default), "", "csv", encoding)


def rows_text(text: str, default: str = ",") -> str:
    """Render delimited text a row per line (chat exports as chat lines); bad input stays raw."""
    try:
        dialect = csv.Sniffer().sniff(text[:_SNIFF_CHARS], delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = default  # too few rows or too irregular to guess
    if default == "\t":
        delimiter = (
            "\t"  # .tsv says so; sniffing can mistake a comma inside cells for the delimiter
        )
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    except csv.Error:
        # An oversized field or similar: keep every byte as plain lines rather than lose the file.
        return text
    return "\n".join(row_lines([row for row in rows if any(cell.strip() for cell in row)]))
