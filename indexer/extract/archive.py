"""Archives (.zip, .tar, .tar.gz/.bz2/.xz, .7z): members become children, their names the text."""

import dataclasses
import io
import lzma
import re
import tarfile
import zipfile
import zlib
from pathlib import PurePosixPath

import py7zr
from py7zr.exceptions import ArchiveError, DecompressionBombError, PasswordRequired
from py7zr.io import Py7zBytesIO, Py7zIO, WriterFactory

from indexer.extract.base import Child, Extracted, ExtractionError, make
from indexer.extract.decode import decode

# Limits against decompression bombs. Children are held in memory together, so the total is
# bounded by what one indexing process can afford; each limit refuses the whole archive.
MAX_TOTAL_SIZE = 2**30  # uncompressed bytes of all members of one archive
MAX_RATIO = 100  # uncompressed : compressed; real documents seldom pass 20:1
# Below this many uncompressed bytes the ratio is not judged: a small archive of repetitive logs
# passes 100:1 harmlessly, and expanding it costs nothing.
RATIO_FLOOR = 16 * 2**20
MAX_MEMBERS = 10_000  # each member becomes a document, and a flood of them is an attack too

# Compressed tars are named with two suffixes; every other format is picked by its last one.
DOUBLE_SUFFIXES = (".tar.gz", ".tar.bz2", ".tar.xz")
_UTF8_FLAG = 0x800  # zip general-purpose bit 11: the name is UTF-8
_ENCRYPTED_FLAG = 0x1
_DRIVE = re.compile(r"[A-Za-z]:")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError)
_TAR_ERRORS = (tarfile.TarError, zlib.error, lzma.LZMAError, EOFError, OSError)
_7Z_ERRORS = (ArchiveError, lzma.LZMAError, EOFError, OSError, ValueError, KeyError)

Member = tuple[str, bytes]  # (name as stored, data)


def suffix_of(name: str) -> str:
    """Return the lower-case suffix that picks name's extractor; ".tar.gz" and kin count as one."""
    lower = PurePosixPath(name).name.lower()
    return next((s for s in DOUBLE_SUFFIXES if lower.endswith(s)), PurePosixPath(lower).suffix)


def extract_zip(data: bytes) -> Extracted:
    """Unpack a zip archive; member names without the UTF-8 flag may be GBK (Chinese Windows)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            check_limits(len(infos), sum(info.file_size for info in infos), len(data))
            names, codec = _zip_names(infos)
            members, locked = [], []
            for info, name in zip(infos, names, strict=True):
                if info.flag_bits & _ENCRYPTED_FLAG:
                    locked.append(name)
                else:
                    members.append((name, archive.read(info)))
    except NotImplementedError as exc:  # zipfile's word for Deflate64, PPMd, AES and the like
        raise ExtractionError(f"unsupported zip compression: {exc}") from exc
    except _ZIP_ERRORS as exc:
        raise ExtractionError(f"corrupt zip archive: {exc}") from exc
    if locked and not members:
        raise ExtractionError(f"encrypted zip: all {len(locked)} members need a password")
    return _result(members, locked, "zip", codec)


def extract_tar(data: bytes) -> Extracted:
    """Unpack a tar archive, plain or compressed with gzip, bzip2 or xz."""
    members: list[Member] = []
    total = 0
    try:
        fileobj = io.BytesIO(data)
        with tarfile.open(fileobj=fileobj, mode="r:*", errors="surrogateescape") as archive:
            # Iterating reads headers lazily, so a bomb is refused before the rest is inflated.
            for info in archive:
                if not info.isfile():
                    continue  # directories, links and devices carry no content of their own
                total += info.size
                check_limits(len(members) + 1, total, len(data))
                stream = archive.extractfile(info)
                members.append((_legacy_name(info.name), stream.read() if stream else b""))
    except _TAR_ERRORS as exc:
        raise ExtractionError(f"corrupt tar archive: {exc}") from exc
    return _result(members, [], "tar", "utf-8")


def extract_7z(data: bytes) -> Extracted:
    """Unpack a 7z archive; an encrypted one is refused, since it cannot be read without a key."""
    collected = _Collect()
    try:
        # max_extract_size stops py7zr itself should the listed sizes understate the content.
        with py7zr.SevenZipFile(io.BytesIO(data), max_extract_size=MAX_TOTAL_SIZE) as archive:
            if archive.needs_password():
                raise ExtractionError("encrypted 7z archive: a password is needed")
            files = [info for info in archive.list() if not info.is_directory]
            check_limits(len(files), sum(info.uncompressed for info in files), len(data))
            archive.extractall(factory=collected)
    except PasswordRequired as exc:  # encrypted headers: not even the names can be read
        raise ExtractionError("encrypted 7z archive: a password is needed") from exc
    except DecompressionBombError as exc:
        raise ExtractionError(f"refused: {exc}; looks like a zip bomb") from exc
    except _7Z_ERRORS as exc:
        raise ExtractionError(f"corrupt 7z archive: {exc or type(exc).__name__}") from exc
    return _result([(buf.filename, buf.value()) for buf in collected.files], [], "7z", "utf-8")


def check_limits(members: int, total: int, compressed: int) -> None:
    """Raise ExtractionError if an archive has too many members or would expand too far."""
    if members > MAX_MEMBERS:
        raise ExtractionError(f"refused: more than {MAX_MEMBERS:,} members")
    if total > MAX_TOTAL_SIZE:
        mib = total / 2**20
        raise ExtractionError(f"refused: expands to {mib:,.0f} MiB, over the limit of 1 GiB")
    if total > RATIO_FLOOR and total > MAX_RATIO * compressed:
        ratio = total / max(compressed, 1)
        raise ExtractionError(f"refused: expands {ratio:,.0f}x, looks like a zip bomb")


def clean_name(name: str) -> str:
    """Return a member name as a relative POSIX path without drive, "." or ".." parts."""
    # Children are bytes, never written out: the name only becomes the document path
    # "archive!/name". Dropping "../" and leading "/" keeps those paths honest and unique.
    parts = name.replace("\\", "/").split("/")
    if parts and _DRIVE.fullmatch(parts[0]):
        parts = parts[1:]
    return "/".join(part for part in parts if part not in ("", ".", ".."))


def unique_name(name: str, taken: set[str]) -> str:
    """Return name, numbered before its suffix if taken already ("a (2).txt"); record it."""
    suffix = suffix_of(name)
    stem = name[: len(name) - len(suffix)] if suffix else name
    number, candidate = 1, name
    while candidate in taken:
        number += 1
        candidate = f"{stem} ({number}){suffix}"
    taken.add(candidate)
    return candidate


def _zip_names(infos: list[zipfile.ZipInfo]) -> tuple[list[str], str]:
    """Decode names: UTF-8 if flagged, else one codec judged over all unflagged names together."""
    # zipfile reads every unflagged name as CP437; encoding back gives the bytes as stored.
    raw = [info.filename.encode("cp437") for info in infos if not info.flag_bits & _UTF8_FLAG]
    codec = _names_codec(b"\n".join(raw))
    names = [
        info.filename
        if info.flag_bits & _UTF8_FLAG
        else info.filename.encode("cp437").decode(codec, errors="replace")
        for info in infos
    ]
    return names, codec


def _names_codec(raw: bytes) -> str:
    """Pick the codec of legacy names: UTF-8 if valid, GBK, Big5 and kin if they read as words."""
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codec = decode(raw)[1]
    except ExtractionError:
        return "cp437"
    # Names no CJK code page reads well are DOS names, which the zip format defines as CP437.
    return "cp437" if codec in ("cp1252", "latin-1") or codec.startswith("utf-16") else codec


def _legacy_name(name: str) -> str:
    """Re-decode a tar name whose bytes were not UTF-8 (tarfile keeps them as surrogates)."""
    raw = name.encode("utf-8", errors="surrogateescape")
    return raw.decode(_names_codec(raw), errors="replace")


def _result(members: list[Member], locked: list[str], filetype: str, codec: str) -> Extracted:
    taken: set[str] = set()
    children, lines = [], []
    for stored, blob in members:
        name = unique_name(clean_name(stored) or "unnamed", taken)
        children.append(Child(name=name, data=blob))
        renamed = f"; stored as {stored!r}" if name != stored else ""
        lines.append(f"{name} ({len(blob):,} bytes{renamed})")
    lines += [f"{name} (encrypted, not extracted)" for name in locked]
    if not lines:
        raise ExtractionError("empty archive: no files")
    meta = {"members": str(len(children))} | ({"encrypted": ", ".join(locked)} if locked else {})
    # The archive's file name titles it better than its first member does.
    extracted = make("\n".join(lines), "", filetype, codec)
    return dataclasses.replace(extracted, title="", meta=meta, children=tuple(children))


class _Collect(WriterFactory):
    """Collects 7z members in memory, in archive order."""

    def __init__(self) -> None:
        self.files: list[_Buffer] = []

    def create(self, filename: str) -> Py7zIO:
        self.files.append(_Buffer(filename, MAX_TOTAL_SIZE))
        return self.files[-1]


class _Buffer(Py7zBytesIO):
    def value(self) -> bytes:
        return self._buffer.getvalue()
