"""RTF files: text with \\uN and \\'hh escapes decoded in the document's code page (\\ansicpg)."""

import codecs
import dataclasses
import re

from striprtf.striprtf import rtf_to_text

from indexer.extract.base import Extracted, ExtractionError, make

CODEPAGE = re.compile(rb"\\ansicpg(\d+)")
FCHARSET = re.compile(r"\\fcharset(\d+)")
# Mac font charsets Python has no codec for, read as the Windows code page of the same script.
MAC_CHARSETS = {"78": "128", "79": "136", "80": "129", "82": "177", "85": "134", "86": "238"}
MAC_CHARSETS |= {"87": "204", "88": "222", "89": "238"}
INFO_FIELDS = ("title", "author")
UNESCAPED_BRACE = re.compile(r"(?<!\\)[{}]")


def extract_rtf(data: bytes) -> Extracted:
    """Extract an RTF document's text, title and author; Chinese in GBK or \\u escapes survives."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise ExtractionError("not an RTF file: it does not start with {\\rtf")
    encoding = _encoding(data)
    # Writers that skip escaping put raw 8-bit text in the document's code page.
    raw = data.decode(encoding, errors="replace")
    raw = FCHARSET.sub(lambda m: f"\\fcharset{MAC_CHARSETS.get(m[1], m[1])}", raw)
    # striprtf fails on malformed control words (\uc with no number, \u beyond Unicode) with
    # whatever int() or chr() raises, and on a font charset that has no codec.
    try:
        text = _to_text(raw, encoding)
        meta = {field: _info(raw, field, encoding) for field in INFO_FIELDS}
    except (LookupError, ValueError, TypeError, OverflowError) as exc:
        raise ExtractionError(f"corrupt .rtf: {exc}") from exc
    if not text.strip() and _unbalanced(raw):
        raise ExtractionError("corrupt .rtf: the file ends before any text")
    title = meta.pop("title")
    meta = {key: value for key, value in meta.items() if value}
    return dataclasses.replace(make(text, title, "rtf", encoding), meta=meta)


def _encoding(data: bytes) -> str:
    """Return the codec of the document's \\ansicpg code page; cp1252 if absent or unknown."""
    match = CODEPAGE.search(data, 0, 16384)
    if match:
        try:
            return codecs.lookup(f"cp{int(match[1])}").name
        except LookupError:
            pass  # a code page Python lacks: fall back to the RTF default
    return "cp1252"


def _to_text(rtf: str, encoding: str) -> str:
    """Convert RTF markup to text, joining \\u escapes that spell a surrogate pair."""
    text = rtf_to_text(rtf, encoding=encoding, errors="replace")
    # Characters beyond the BMP arrive as two \uN escapes, one per UTF-16 surrogate.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _info(rtf: str, field: str, encoding: str) -> str:
    """Return a field of the document's {\\info} group (title, author), decoded, or ''."""
    match = re.search(r"\{\\" + field + r"\b ?([^{}]*)\}", rtf)
    return " ".join(_to_text("{" + match[1] + "}", encoding).split()) if match else ""


def _unbalanced(rtf: str) -> bool:
    """Return True when the braces do not close: the file was cut short."""
    depth = 0
    for brace in UNESCAPED_BRACE.findall(rtf):
        depth += 1 if brace == "{" else -1
    return depth != 0
