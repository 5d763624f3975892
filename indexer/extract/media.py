"""Images inside Office Open XML packages, as inline children named by what holds them.

A pasted screenshot in a .docx, a slide that is one picture, a price list pasted into a sheet:
their text is only in the pixels. Each image becomes an inline Child (read by the indexer's OCR,
through its cache, and appended under a heading with the child's name), in the order the body,
the slides or the sheets show them: "image: word/media/image1.png", "slide 3 image: image2.png",
"sheet 报价 image: image1.png".
"""

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from lxml import etree

from indexer.extract.base import Child

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")
MAX_IMAGES = 40  # per file: OCR takes seconds an image, and the file's time limit covers them all
MAX_IMAGE_BYTES = 50 * 2**20  # decompressed: a bigger "image" is a bomb or not a screenshot
MIN_IMAGE_BYTES = 512  # bullets, icons and spacer pixels: no text to read
# Package XML is untrusted: no entity expansion (billion laughs), no fetching of DTDs.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ID = re.compile(rb'r:(?:embed|id|link)="([^"]+)"')
# Relationship types (by their last path segment) that lead from one part towards images.
_IMAGE, _SLIDE, _SHEET, _DRAWING = "image", "slide", "worksheet", "drawing"


def docx_images(data: bytes) -> tuple[Child, ...]:
    """The images of a .docx body, in document order."""
    with _package(data) as package:
        if package is None:
            return ()
        images = _related(package, "word/document.xml", _IMAGE)
        return _children(package, [(f"image: {part}", part) for part in images])


def pptx_images(data: bytes) -> tuple[Child, ...]:
    """The images on each slide (not its layout's or master's), slide by slide."""
    with _package(data) as package:
        if package is None:
            return ()
        named = []
        for number, slide in enumerate(_related(package, "ppt/presentation.xml", _SLIDE), 1):
            for part in _related(package, slide, _IMAGE):
                named.append((f"slide {number} image: {posixpath.basename(part)}", part))
        return _children(package, named)


def xlsx_images(data: bytes) -> tuple[Child, ...]:
    """The images drawn on each sheet, sheet by sheet."""
    with _package(data) as package:
        if package is None:
            return ()
        names = _sheet_names(package)
        named = []
        for index, sheet in enumerate(_related(package, "xl/workbook.xml", _SHEET)):
            label = names[index] if index < len(names) else str(index + 1)
            for drawing in _related(package, sheet, _DRAWING):
                for part in _related(package, drawing, _IMAGE):
                    named.append((f"sheet {label} image: {posixpath.basename(part)}", part))
        return _children(package, named)


@contextmanager
def _package(data: bytes) -> Iterator[zipfile.ZipFile | None]:
    """The package as a zip, or None when it is not one (its extractor reports why)."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        yield None
        return
    with package:
        yield package


def _related(package: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    """Parts that part relates to by a relationship of kind, in the order part refers to them."""
    folder, name = posixpath.split(part)
    rels = _read(package, posixpath.join(folder, "_rels", f"{name}.rels"))
    if rels is None:
        return []
    targets = {}
    try:
        for rel in etree.fromstring(rels, _PARSER).iter(_REL):
            if (
                rel.get("Type", "").rsplit("/", 1)[-1] == kind
                and rel.get("TargetMode") != "External"
            ):
                target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                targets[rel.get("Id")] = target.lstrip("/")
    except etree.LxmlError:
        return []
    # The part's own references give the order a reader sees; unreferenced targets come last.
    body = _read(package, part) or b""
    ordered = [targets[m.decode()] for m in _ID.findall(body) if m.decode() in targets]
    return list(dict.fromkeys([*ordered, *targets.values()]))


def _sheet_names(package: zipfile.ZipFile) -> list[str]:
    book = _read(package, "xl/workbook.xml")
    try:
        root = etree.fromstring(book, _PARSER) if book else None
    except etree.LxmlError:
        return []
    sheets = root.iter("{*}sheet") if root is not None else ()
    # "!" would read as the container separator in a child's path.
    return [sheet.get("name", "").replace("!", "") for sheet in sheets]


def _children(package: zipfile.ZipFile, named: list[tuple[str, str]]) -> tuple[Child, ...]:
    children = []
    for name, part in named:
        if not part.lower().endswith(IMAGE_SUFFIXES) or len(children) == MAX_IMAGES:
            continue
        data = _read(package, part)
        if data is not None and len(data) >= MIN_IMAGE_BYTES:
            children.append(Child(name, data, inline=True))
    return tuple(children)


def _read(package: zipfile.ZipFile, part: str) -> bytes | None:
    """A part's bytes, or None when it is missing, damaged or too large to be what it claims."""
    try:
        if package.getinfo(part).file_size > MAX_IMAGE_BYTES:
            return None
        return package.read(part)
    # NotImplementedError: a compression method zipfile lacks.
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError):
        return None
