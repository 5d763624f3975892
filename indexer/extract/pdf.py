"""PDF files: the text layer page by page, and pages without one rendered as PNGs for OCR."""

import io
import re
import unicodedata
from pathlib import PurePosixPath

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.extract.base import TITLE_MAX, Child, Extracted, ExtractionError, normalise

RENDER_DPI = 200
# A page drawn at 200 dpi is capped at this many pixels on its longer side, so a poster-sized
# page cannot allocate gigabytes; OCR gains nothing past it.
MAX_SIDE_PX = 6000
# Beyond this many image-only pages the rest are left unrendered: their PNGs are held in memory
# until the indexer has read them.
MAX_RENDERED_PAGES = 500
MIN_TEXT_CHARS = 3
# Unmappable glyphs (private-use, unassigned, control, U+FFFD) are what a text layer with a
# broken font encoding yields; a page made mostly of them is treated as having no text.
BAD_CATEGORIES = frozenset({"Co", "Cn", "Cc", "Cs"})
PASSWORD_ERRORS = frozenset({pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY})
PAGE_MARKER = re.compile(r"\[page \d+\]")
PDF_DATE = re.compile(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?")


def extract_pdf(data: bytes) -> Extracted:
    """Extract each page's text under "[page N]"; image-only pages become inline PNG children."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in PASSWORD_ERRORS:
            raise ExtractionError("encrypted .pdf: a password is needed to open it") from exc
        raise ExtractionError(f"corrupt .pdf: {exc}") from exc
    try:
        return _extract(document)
    finally:
        document.close()


def _extract(document: pdfium.PdfDocument) -> Extracted:
    """Read the pages, metadata and attached files of an open document."""
    pages: list[str] = []
    children: list[Child] = []
    unreadable: list[str] = []
    unrendered = 0
    for index in range(len(document)):
        number = index + 1
        try:
            text, needs_ocr = _page_text(document, index)
            if needs_ocr and len(children) >= MAX_RENDERED_PAGES:
                unrendered += 1
            elif needs_ocr and (png := _render(document, index)):
                children.append(Child(f"page-{number}.png", png, inline=True))
        except pdfium.PdfiumError:
            # One broken page should not cost the document: record it and read the rest.
            text = ""
            unreadable.append(str(number))
        pages.append(f"[page {number}]\n{text}")
    text = normalise("\n\n".join(pages))
    if not text:
        raise ExtractionError("no pages: the PDF's page tree is empty")
    info = {key: " ".join(value.split()) for key, value in document.get_metadata_dict().items()}
    meta = {"title": info.get("Title", ""), "author": info.get("Author", "")}
    meta |= {"created": _date(info.get("CreationDate", "")), "pages": str(len(document))}
    meta |= {"unreadable_pages": ", ".join(unreadable), "unrendered_pages": str(unrendered or "")}
    meta = {key: value for key, value in meta.items() if value}
    children.extend(_attachments(document))
    title = meta.get("title") or _first_text_line(text)
    return Extracted(text, title[:TITLE_MAX], "pdf", "", meta, tuple(children))


def _page_text(document: pdfium.PdfDocument, index: int) -> tuple[str, bool]:
    """Return a page's usable text and whether the page needs OCR instead."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            # get_text_bounded keeps characters outside the BMP, which get_text_range drops.
            text = textpage.get_text_bounded()
        finally:
            textpage.close()
    finally:
        page.close()
    chars = [c for c in text if not c.isspace()]
    bad = sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in BAD_CATEGORIES)
    if bad * 2 > len(chars):
        return "", True
    return text, len(chars) - bad < MIN_TEXT_CHARS


def _render(document: pdfium.PdfDocument, index: int) -> bytes | None:
    """Render a page as a grayscale PNG at RENDER_DPI (capped); None for a page without area."""
    page = document[index]
    try:
        width, height = page.get_size()  # in points, 1/72 inch
        if min(width, height) < 1:
            return None
        scale = min(RENDER_DPI / 72, MAX_SIDE_PX / max(width, height, 1))
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            image = bitmap.to_pil()
        finally:
            bitmap.close()
    finally:
        page.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _attachments(document: pdfium.PdfDocument) -> list[Child]:
    """Return the files embedded in the PDF as children to be extracted on their own."""
    children = []
    for index in range(document.count_attachments()):
        attachment = document.get_attachment(index)
        try:
            data = bytes(attachment.get_data())
        except pdfium.PdfiumError:
            continue  # an attachment entry without a readable stream has nothing to extract
        name = PurePosixPath(attachment.get_name().replace("\\", "/")).name
        children.append(Child(f"attachments/{name or f'attachment-{index + 1}'}", data))
    return children


def _date(value: str) -> str:
    """Turn a PDF date ("D:20220501093000+08'00'") into ISO form, without the zone; or ''."""
    match = PDF_DATE.match(value)
    if not match:
        return ""
    year, month, day, hour, minute, second = (part or "" for part in match.groups())
    date = "-".join(part for part in (year, month, day) if part)
    return f"{date}T{hour}:{minute or '00'}:{second or '00'}" if hour else date


def _first_text_line(text: str) -> str:
    """Return the first line that is not a page marker, or ''."""
    for line in text.splitlines():
        if line.strip() and not PAGE_MARKER.fullmatch(line.strip()):
            return " ".join(line.split())
    return ""
