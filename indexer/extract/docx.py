"""Word .docx files: body paragraphs and tables in order, text boxes, headers, footers and notes."""

import dataclasses
import io
import itertools
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.exceptions import PythonDocxError
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.exceptions import OpcError
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from indexer.extract.base import Extracted, ExtractionError, make
from indexer.extract.media import docx_images
from indexer.extract.ooxml import PACKAGE_ERRORS, core_meta, refuse_ole
from indexer.extract.tables import join_cells

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_TXBX, W_PPR, W_RPR = qn("w:txbxContent"), qn("w:pPr"), qn("w:rPr")
W_PSTYLE, W_VAL = qn("w:pStyle"), qn("w:val")
# Parts besides the body whose text a reader sees: page headers and footers, notes, comments.
SIDE_PARTS = (RT.HEADER, RT.FOOTER, RT.FOOTNOTES, RT.ENDNOTES, RT.COMMENTS)
ERRORS = (*PACKAGE_ERRORS, RecursionError, OpcError, PythonDocxError)


def extract_docx(data: bytes) -> Extracted:
    """Extract a .docx: body in document order, then headers, footers, notes and comments."""
    refuse_ole(data, ".docx", "Word .doc")
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_lines(document.element.body))
        for part in _side_parts(document):
            lines.extend(_lines(parse_xml(part.blob)))
        props = _core_properties(document)
        title = (props.title if props else "") or _first_heading(document)
        meta = core_meta(props) if props else {}
    except ERRORS as exc:
        raise ExtractionError(f"corrupt .docx: {exc or type(exc).__name__}") from exc
    images = docx_images(data)
    # A document that is only pasted screenshots still has its images' names as text.
    text = "\n".join(lines).strip() or "\n".join(f"[{image.name}]" for image in images)
    extracted = make(text, title, "docx", "utf-8")
    return dataclasses.replace(extracted, meta=meta, children=images)


def _lines(element: etree._Element) -> Iterator[str]:
    """Yield the text lines of the paragraphs and tables under element, in document order."""
    for child in element.iterchildren():
        if child.tag == W_P:
            if text := _paragraph_text(child).strip():
                yield text  # empty paragraphs are Word's spacing, not content
            for box in _text_boxes(child):
                yield from _lines(box)
        elif child.tag == W_TBL:
            yield from _table_lines(child)
        elif child.tag != MC_FALLBACK:  # a Fallback repeats its Choice for older readers
            # Content controls, custom XML, notes and comments wrap paragraphs at any depth.
            yield from _lines(child)


def _paragraph_text(p: etree._Element) -> str:
    """Return a paragraph's text, runs inside hyperlinks, fields and tracked insertions included."""
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element.iterchildren():
            if child.tag == W_T:
                out.append(child.text or "")
            elif child.tag == W_TAB:
                out.append("\t")
            elif child.tag in (W_BR, W_CR):
                out.append("\n")
            elif child.tag not in (W_TXBX, MC_FALLBACK, W_PPR, W_RPR):
                walk(child)  # text boxes are read as blocks of their own

    walk(p)
    return "".join(out)


def _text_boxes(p: etree._Element) -> Iterator[etree._Element]:
    """Yield the outermost text boxes anchored in a paragraph, skipping compatibility copies."""
    for box in p.iter(W_TXBX):
        ancestors = itertools.takewhile(lambda a: a is not p, box.iterancestors())
        if not any(a.tag in (W_TXBX, MC_FALLBACK) for a in ancestors):
            yield box


def _table_lines(tbl: etree._Element) -> Iterator[str]:
    """Yield one line per table row; a vertically merged cell repeats its value in every row."""
    above: dict[int, str] = {}  # grid column -> text of the cell that starts a vertical merge
    for tr in _own(tbl, W_TR, W_TBL):
        cells, column = [], 0
        for tc in _own(tr, W_TC, W_TR):
            if tc.vMerge == "continue":
                text = above.get(column, "")
            else:
                text = "\n".join(_lines(tc))
                above[column] = text
            cells.append(text)
            column += tc.grid_span
        if any(cell.strip() for cell in cells):
            yield join_cells(cells)


def _own(parent: etree._Element, tag: str, parent_tag: str) -> Iterator[etree._Element]:
    """Yield parent's rows or cells, also those wrapped in content controls, not nested ones."""
    for element in parent.iter(tag):
        if next(element.iterancestors(parent_tag)) is parent:
            yield element


def _side_parts(document: Document) -> list[Part]:
    """Return the header, footer, note and comment parts, each once: headers first, then by name."""
    kinds = {}
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype in SIDE_PARTS:
            kinds[rel.target_part] = SIDE_PARTS.index(rel.reltype)
    return sorted(kinds, key=lambda part: (kinds[part], str(part.partname)))


def _first_heading(document: Document) -> str:
    """Return the text of the first non-empty Title or Heading paragraph, or ''."""
    heading_ids = {
        style.style_id
        for style in document.styles
        if style.name and style.name.lower().startswith(("heading", "title"))
    }
    for p in document.element.body.iter(W_P):
        style = p.find(f"{W_PPR}/{W_PSTYLE}")
        if style is not None and style.get(W_VAL) in heading_ids:
            text = _paragraph_text(p).strip()
            if text:
                return text
    return ""


def _core_properties(document: Document) -> CoreProperties | None:
    """Return the document's core properties, or None when the package has none."""
    try:
        part = document.part.package.part_related_by(RT.CORE_PROPERTIES)
    except KeyError:
        return None  # document.core_properties would invent a title and dates
    return part.core_properties
