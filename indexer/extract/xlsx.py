"""Excel workbooks, .xlsx (openpyxl) and .xls (xlrd): every sheet, one line per non-empty row."""

import contextlib
import datetime
import io
import itertools
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from xml.etree.ElementTree import ParseError

import openpyxl
import xlrd
from lxml import etree
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.functions import fromstring
from xlrd.compdoc import CompDocError

from indexer.extract.base import TITLE_MAX, Extracted, ExtractionError, normalise
from indexer.extract.media import xlsx_images
from indexer.extract.ooxml import ENCRYPTED_PACKAGE, OLE_MAGIC, ZIP_MAGIC
from indexer.extract.tables import join_cells

EXCEL_ROWS = 1_048_576
CORE_XML = "docProps/core.xml"
CORE_TAGS = {
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "author": "{http://purl.org/dc/elements/1.1/}creator",
    "created": "{http://purl.org/dc/terms/}created",
    "modified": "{http://purl.org/dc/terms/}modified",
}
# What openpyxl, zipfile and the XML parsers raise on a damaged package; openpyxl's typed
# descriptors raise TypeError for an attribute value of the wrong kind, and it reports a package
# without a workbook part as an OSError (the bytes are in memory: no real I/O can fail).
XLSX_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    etree.LxmlError,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    NotImplementedError,
    ParseError,
    InvalidFileException,
)
# xlrd walks raw BIFF records: a damaged file fails with whatever the record parser hits.
XLS_ERRORS = (
    xlrd.XLRDError,
    CompDocError,
    struct.error,
    EOFError,
    KeyError,
    ValueError,
    IndexError,
    AssertionError,
    OverflowError,
)


def extract_xlsx(data: bytes) -> Extracted:
    """Extract every sheet of an .xlsx, streaming rows so huge sheets stay in bounded memory."""
    if data.startswith(OLE_MAGIC):
        return extract_xls(data)  # an old .xls renamed, or a password-protected .xlsx
    try:
        with warnings.catch_warnings():
            # Unsupported features (data validation, extensions) warn; their text is not lost.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
            try:
                text = "\n".join(_sheets_text(book))
                sheets = str(len(book.worksheets))
            finally:
                book.close()
            title, meta = _core_properties(data)
    except XLSX_ERRORS as exc:
        raise ExtractionError(f"corrupt .xlsx: {exc or type(exc).__name__}") from exc
    return _result(text, title, "xlsx", "utf-8", meta | {"sheets": sheets}, xlsx_images(data))


def extract_xls(data: bytes) -> Extracted:
    """Extract every sheet of a legacy .xls (BIFF) workbook, one sheet in memory at a time."""
    if data.startswith(ZIP_MAGIC):
        return extract_xlsx(data)  # an .xlsx saved under the old suffix
    if ENCRYPTED_PACKAGE in data:
        raise ExtractionError("encrypted .xlsx: a password is needed to open it")
    try:
        # xlrd prints warnings to stdout unless given a log file of its own.
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
        try:
            text = "\n".join(_xls_sheets_text(book))
            meta = {"author": book.user_name or "", "sheets": str(book.nsheets)}
            encoding = book.encoding or ""
        finally:
            book.release_resources()
    except XLS_ERRORS as exc:
        if "encrypted" in str(exc).lower():
            raise ExtractionError("encrypted .xls: a password is needed to open it") from exc
        reason = str(exc)
        if not isinstance(exc, xlrd.XLRDError | CompDocError):
            reason = f"damaged or cut-short records ({type(exc).__name__}: {exc})"
        raise ExtractionError(f"corrupt .xls: {reason}") from exc
    return _result(text, "", "xls", encoding, meta)


def _sheets_text(book: openpyxl.Workbook) -> Iterator[str]:
    """Yield "[sheet: NAME]" and then each non-empty row of every worksheet, hidden ones too."""
    for sheet in book.worksheets:
        yield f"[sheet: {' '.join(sheet.title.split())}]"
        # Some writers record a wrong used range, and read-only mode would clip rows to it.
        sheet.reset_dimensions()
        # openpyxl fills a gap in row numbers with empty rows: a corrupt row number in the
        # billions would spin for hours, so stop where Excel's own sheets end.
        yield from _row_lines(itertools.islice(sheet.iter_rows(values_only=True), EXCEL_ROWS))


def _xls_sheets_text(book: xlrd.Book) -> Iterator[str]:
    """Yield "[sheet: NAME]" and then each non-empty row of every sheet of an .xls."""
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        yield f"[sheet: {' '.join(sheet.name.split())}]"
        rows = (
            [_xls_value(cell, book.datemode) for cell in sheet.row(r)] for r in range(sheet.nrows)
        )
        yield from _row_lines(rows)
        book.unload_sheet(index)


def _row_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Yield each row with a value as one line of joined cells, trailing empty cells dropped."""
    for row in rows:
        cells = [_value(value) for value in row]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            yield join_cells(cells)


def _value(value: object) -> str:
    """Render a cell value as its text: whole floats without ".0", midnight datetimes as dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else str(value)
    return str(value)


def _xls_value(cell: xlrd.sheet.Cell, datemode: int) -> object:
    """Return an .xls cell's Python value; xlrd gives dates as day counts and booleans as ints."""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell.value  # a number formatted as a date that no calendar has
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "")
    return cell.value


def _core_properties(data: bytes) -> tuple[str, dict[str, str]]:
    """Return the title and author, created, modified of docProps/core.xml, where present."""
    # Read directly: openpyxl fills absent properties with "openpyxl" and the current time.
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if CORE_XML not in package.namelist():
            return "", {}
        root = fromstring(package.read(CORE_XML))
    found = {key: (root.findtext(tag) or "").strip() for key, tag in CORE_TAGS.items()}
    for key in ("created", "modified"):
        with contextlib.suppress(ValueError):  # not a W3C date: keep the text as written
            found[key] = datetime.datetime.fromisoformat(found[key]).isoformat()
    return found.pop("title"), found


def _result(
    text: str, title: str, filetype: str, encoding: str, meta: dict, images: tuple = ()
) -> Extracted:
    """Build the Extracted; a workbook of sheet names only has no text, and no title from them."""
    text = normalise(text)
    if not images and all(line.startswith("[sheet: ") for line in text.splitlines()):
        raise ExtractionError("no text could be extracted: every sheet is empty")
    meta = {key: value for key, value in meta.items() if value}
    title = " ".join(title.split())[:TITLE_MAX]
    return Extracted(text, title, filetype, encoding, meta, children=images)
