"""Turn a file's bytes into text: BOMs, UTF-16 without BOM, UTF-8, then a plausibility contest."""

import re
import unicodedata

from indexer.extract.base import ExtractionError
from indexer.extract.plausible import plausibility

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Signatures of binary formats whose first bytes could otherwise pass for legacy-encoded text.
_MAGIC = (
    b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04", b"PK\x05\x06", b"%PDF-",
    b"\x7fELF", b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"OggS", b"\xca\xfe\xba\xbe",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"SQLite format 3\x00",
)  # fmt: skip
# Each legacy family lists codecs from strictest to broadest; the first that decodes names it.
_FAMILIES = (
    ("zh", ("gb18030",)),
    ("zh", ("big5", "cp950", "big5hkscs")),
    ("latin", ("cp1252", "latin-1")),
    ("ja", ("shift_jis", "cp932")),
    ("ko", ("euc_kr", "cp949")),
)
# Small priors: ties go to what this corpus mostly holds; Japanese and Korean must win clearly.
_PRIOR = {"zh": 0.02, "latin": 0.01, "ja": -0.03, "ko": -0.05}
_SAMPLE = 20_000
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def decode(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes to (text, Python codec name); raise ExtractionError if binary."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), codec)
            except UnicodeDecodeError:
                break  # a BOM-like start that does not decode: judge the bytes below
    if data.startswith(_MAGIC):
        raise ExtractionError("binary content, not text (known file signature)")
    binary = _looks_binary(data)
    utf8 = None if binary else _utf8(data)
    if utf8 is not None and not _few_two_byte_chars(data, utf8):
        return _checked(utf8, "utf-8")
    if not binary and utf8 is None and _mostly_utf8(data):
        # A truncated or slightly corrupt UTF-8 dump: keep the bad bytes visible as \xNN.
        codec = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        return _checked(data.decode(codec, errors="backslashreplace"), codec)
    candidates = _utf16_candidates(data) + ([] if binary else _legacy_candidates(data))
    if utf8 is not None:
        # A few two-byte sequences may be chance; still UTF-8 unless a CJK reading is perfect.
        candidates.append((1.0, utf8, "utf-8"))
    if not candidates:
        raise ExtractionError("binary content, not text (NUL and control bytes)")
    score, text, codec = max(candidates, key=lambda c: c[0])
    if score < 0:
        raise ExtractionError("binary content, not text (no encoding reads as text)")
    return _checked(text, codec)


def _checked(text: str, codec: str) -> tuple[str, str]:
    if not text.strip("\x00 \t\r\n\x0b\x0c\ufeff"):
        raise ExtractionError("empty file")
    return text, codec


def _looks_binary(data: bytes) -> bool:
    """Binary formats are full of NULs and assorted control bytes; text has at most strays."""
    # Crashed writers leave runs of NUL padding at the end of otherwise good logs.
    core = data.rstrip(b"\x00")
    if core.count(0) > max(3, len(core) // 200):
        return True
    controls = [n for b in range(1, 32) if b not in b"\t\n\r\x0b\x0c" and (n := core.count(b))]
    # Field-separator exports (Hive's \x01, \x02) use a few control bytes on purpose.
    return len(controls) >= 5 and sum(controls) > len(core) // 100


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _few_two_byte_chars(data: bytes, text: str) -> bool:
    """True for UTF-8 whose only non-ASCII is one to three U+0080-U+07FF characters."""
    # Each two-byte character adds one byte over the character count, wider ones more.
    if not 0 < len(data) - len(text) <= 3:
        return False
    return all(ord(ch) < 0x800 for ch in _NON_ASCII.findall(text))


def _mostly_utf8(data: bytes) -> bool:
    """True when nearly every non-ASCII sequence is valid UTF-8 (CJK legacy bytes rarely are)."""
    valid = data.decode("utf-8", errors="ignore")
    bad_bytes = len(data) - len(valid.encode("utf-8"))
    good_chars = len(valid) - len(valid.encode("ascii", errors="ignore"))
    return good_chars >= 10 * bad_bytes


Candidate = tuple[float, str, str]  # (score, text, codec)


def _utf16_candidates(data: bytes) -> list[Candidate]:
    """BOM-less UTF-16: mostly-ASCII text reads as ASCII in one byte order; CJK must read well."""
    if len(data) < 2 or len(data) % 2:
        return []
    found = []
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        sample = text[:_SAMPLE]
        # Real UTF-16 text never holds control characters; binary read as UTF-16 soon does.
        if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0c" for ch in sample):
            continue
        # ASCII code units are "x\0" pairs: read in the wrong byte order they turn into CJK.
        ascii_units = len(sample) - len(_NON_ASCII.findall(sample))
        if ascii_units >= max(3, len(sample) * 0.3):
            found.append((1.0, text, codec))
            continue
        # Without ASCII to go by, only text that reads clearly as Chinese may win.
        score = plausibility(sample, "zh") - 0.1
        if score >= 0.5:
            found.append((score, text, codec))
    return found


def _legacy_candidates(data: bytes) -> list[Candidate]:
    found = []
    for script, codecs in _FAMILIES:
        for codec in codecs:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            found.append((plausibility(text[:_SAMPLE], script) + _PRIOR[script], text, codec))
            break
    return found
