"""What the Office Open XML extractors (.docx, .xlsx, .pptx) share: package checks and errors."""

import zipfile
import zlib

from lxml import etree

from indexer.extract.base import ExtractionError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An OLE container holding this stream is an encrypted OOXML file; without it, an old binary one.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
# What the python-docx/pptx readers, zipfile and lxml raise on a damaged package: a truncated zip,
# a missing part, a bad deflate stream, malformed XML or attribute values, an unsupported
# compression method; a part whose root element or content type is not the expected one surfaces
# as AttributeError.
PACKAGE_ERRORS = (
    AttributeError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    IndexError,
    NotImplementedError,
    etree.LxmlError,
)


def refuse_ole(data: bytes, suffix: str, old_format: str) -> None:
    """Raise ExtractionError for an OLE file under an OOXML suffix: encrypted, or the old format."""
    if data.startswith(OLE_MAGIC) and ENCRYPTED_PACKAGE in data:
        raise ExtractionError(f"encrypted {suffix}: a password is needed to open it")
    if data.startswith(OLE_MAGIC):
        raise ExtractionError(f"not a {suffix} package: an old binary {old_format} file")


def core_meta(props) -> dict[str, str]:
    """Author, created and modified from a package's core properties, where present."""
    meta = {"author": props.author or ""}
    if props.created:
        meta["created"] = props.created.isoformat()
    if props.modified:
        meta["modified"] = props.modified.isoformat()
    return {key: value for key, value in meta.items() if value}
