"""PowerPoint .pptx files: per slide a "[slide N]" line, then its shapes' text, tables and notes."""

import io
from collections.abc import Iterable, Iterator

import pptx
from pptx.exc import PythonPptxError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.parts.coreprops import CorePropertiesPart
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.base import BaseShape
from pptx.shapes.group import GroupShape
from pptx.slide import Slide

from indexer.extract.base import TITLE_MAX, Extracted, ExtractionError, normalise
from indexer.extract.media import pptx_images
from indexer.extract.ooxml import PACKAGE_ERRORS, core_meta, refuse_ole
from indexer.extract.tables import join_cells

ERRORS = (*PACKAGE_ERRORS, PythonPptxError)


def extract_pptx(data: bytes) -> Extracted:
    """Extract a .pptx slide by slide, hidden slides included, speaker notes after each slide."""
    refuse_ole(data, ".pptx", "PowerPoint .ppt")
    try:
        presentation = pptx.Presentation(io.BytesIO(data))
        slides = list(presentation.slides)
        lines = []
        for number, slide in enumerate(slides, 1):
            lines.append(f"[slide {number}]")
            lines.extend(_shape_lines(slide.shapes))
            lines.extend(_notes_lines(slide))
        props = _core_properties(presentation)
        title = (props.title if props else "") or (_slide_title(slides[0]) if slides else "")
        meta = (core_meta(props) if props else {}) | {"slides": str(len(slides))}
    except ERRORS as exc:
        raise ExtractionError(f"corrupt .pptx: {exc or type(exc).__name__}") from exc
    text = normalise("\n".join(lines))
    images = pptx_images(data)  # slides that are pictures have their text only in the pixels
    if not images and all(line.startswith("[slide ") for line in text.splitlines()):
        raise ExtractionError("no text could be extracted: no slide has text")
    title = " ".join(title.split())[:TITLE_MAX]
    return Extracted(text, title, "pptx", "utf-8", meta, children=images)


def _shape_lines(shapes: Iterable[BaseShape]) -> Iterator[str]:
    """Yield the text of shapes in z-order, groups opened, each table row as one line."""
    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _shape_lines(shape.shapes)
        elif shape.has_table:
            for row in shape.table.rows:
                cells = [cell.text for cell in row.cells if not cell.is_spanned]
                if any(cell.strip() for cell in cells):
                    yield join_cells(cells)
        elif shape.has_text_frame:
            # python-pptx writes a soft line break as a vertical tab.
            yield shape.text_frame.text.replace("\v", "\n")


def _notes_lines(slide: Slide) -> Iterator[str]:
    """Yield the speaker notes of a slide, if it has any."""
    if slide.has_notes_slide:
        frame = slide.notes_slide.notes_text_frame
        if frame is not None:
            yield frame.text.replace("\v", "\n")


def _slide_title(slide: Slide) -> str:
    """Return the text of a slide's title placeholder, or ''."""
    shape = slide.shapes.title
    return shape.text_frame.text if shape is not None and shape.has_text_frame else ""


def _core_properties(presentation: PresentationType) -> CorePropertiesPart | None:
    """Return the presentation's core properties, or None when the package has none."""
    try:
        return presentation.part.package.part_related_by(RT.CORE_PROPERTIES)
    except KeyError:
        return None  # presentation.core_properties would invent a title and dates
