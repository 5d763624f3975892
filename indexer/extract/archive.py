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
from py7zr.io import BytesIOFactory, Py7zIO

from indexer.extract.base import Child, Extracted, ExtractionError, make
from indexer.extract.decode import decode

# Bomb limits, each refusing the whole archive; nesting depth is the indexer's, as it recurses.
MAX_TOTAL_SIZE = 2**30  # uncompressed bytes of all members, held in memory together
MAX_RATIO = 100  # uncompressed : compressed; real documents seldom pass 20:1
RATIO_FLOOR = 16 * 2**20  # ratio not judged below: small archives of repetitive logs pass 100:1
MAX_MEMBERS = 10_000  # each member becomes a document, and a flood of them is an attack too

DOUBLE_SUFFIXES = (".tar.gz", ".tar.bz2", ".tar.xz")  # each picks an extractor as one suffix
_UTF8_FLAG = 0x800  # zip general-purpose bit 11: the name is UTF-8
_DRIVE = re.compile(r"^[A-Za-z]:(?=[/\\])")  # "C:\\Users\\..." as Windows tools store it
# zipfile meets damage with assorted errors (ValueError: a seek before the start, a bad name),
# and says NotImplementedError for what it cannot unpack (Deflate64, PPMd, AES encryption).
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError)
_ZIP_ERRORS += (OSError, ValueError, IndexError, NotImplementedError)
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
            members: list[Member] = []
            skipped: dict[str, str] = {}
            for info, name in zip(infos, names, strict=True):
                if info.flag_bits & 0x1:  # encrypted: there is no password to give
                    skipped[name] = "encrypted"
                    continue
                try:  # one damaged member need not cost the others
                    members.append((name, archive.read(info)))
                except _ZIP_ERRORS as exc:
                    skipped[name] = f"unreadable: {exc}"
    except _ZIP_ERRORS as exc:
        raise ExtractionError(f"corrupt or unsupported zip archive: {exc}") from exc
    return _result(members, skipped, "zip", codec)


def extract_tar(data: bytes) -> Extracted:
    """Unpack a tar archive, plain or compressed with gzip, bzip2 or xz."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), errors="surrogateescape") as archive:
            members, damage = _tar_members(archive, len(data))
    except tarfile.ReadError as exc:
        raise ExtractionError("not a tar archive (plain, gzip, bzip2 or xz)") from exc
    except _TAR_ERRORS as exc:
        raise ExtractionError(f"corrupt tar archive: {exc}") from exc
    return _result(members, {}, "tar", "utf-8", damage)


def _tar_members(archive: tarfile.TarFile, compressed: int) -> tuple[list[Member], str]:
    """Read the regular files, and on damage keep those before it (a truncated download's)."""
    members: list[Member] = []
    total = 0
    try:
        # Headers are read lazily, so a bomb is refused before the rest is inflated.
        for info in archive:
            if info.isfile():  # directories, links and devices carry no content of their own
                total += info.size
                check_limits(len(members) + 1, total, compressed)
                stream = archive.extractfile(info)
                # tarfile keeps name bytes that are not UTF-8 as surrogates: judge them as zip's.
                raw = info.name.encode("utf-8", errors="surrogateescape")
                name = raw.decode(_names_codec(raw), errors="replace")
                members.append((name, stream.read() if stream else b""))
    except _TAR_ERRORS as exc:
        return members, str(exc)
    return members, ""


def extract_7z(data: bytes) -> Extracted:
    """Unpack a 7z archive; an encrypted one is refused, since it cannot be read without a key."""
    collected = BytesIOFactory(MAX_TOTAL_SIZE)
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
    members = [(name, _contents(buf)) for name, buf in collected.products.items()]
    return _result(members, {}, "7z", "utf-8")


def check_limits(members: int, total: int, compressed: int) -> None:
    """Raise ExtractionError if an archive has too many members or would expand too far."""
    if members > MAX_MEMBERS:
        raise ExtractionError(f"refused: more than {MAX_MEMBERS:,} members")
    if total > MAX_TOTAL_SIZE:
        raise ExtractionError(f"refused: expands to {total / 2**20:,.0f} MiB, over 1 GiB")
    if total > RATIO_FLOOR and total > MAX_RATIO * compressed:
        raise ExtractionError(f"refused: expands {total / compressed:,.0f}x, looks like a zip bomb")


def clean_name(name: str) -> str:
    """Return a member name as a relative POSIX path without drive, "." or ".." parts."""
    # Children are bytes, never written out: the name only becomes the document path
    # "archive!/name". Dropping "../" and leading "/" keeps those paths honest and unique.
    parts = _DRIVE.sub("", name).replace("\\", "/").split("/")
    return "/".join(part for part in parts if part not in ("", ".", ".."))


def unique_name(name: str, taken: set[str]) -> str:
    """Return name, numbered before its suffix if taken already ("a (2).txt"); record it."""
    suffix = suffix_of(name)
    stem, number, candidate = name[: len(name) - len(suffix)], 1, name
    while candidate in taken:
        number += 1
        candidate = f"{stem} ({number}){suffix}"
    taken.add(candidate)
    return candidate


def _zip_names(infos: list[zipfile.ZipInfo]) -> tuple[list[str], str]:
    """Decode names: UTF-8 if flagged, else one codec judged over all unflagged names together."""
    # zipfile reads every unflagged name as CP437; encoding back gives the bytes as stored.
    raw = {info: info.filename.encode("cp437") for info in infos if not info.flag_bits & _UTF8_FLAG}
    codec = _names_codec(b"\n".join(raw.values()))
    return [raw[i].decode(codec, "replace") if i in raw else i.filename for i in infos], codec


def _names_codec(raw: bytes) -> str:
    """Pick the codec of legacy names: UTF-8 if valid, GBK, Big5 and kin if they read as words."""
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        try:
            codec = decode(raw)[1]
        except ExtractionError:
            return "cp437"
    # Names no CJK code page reads well are DOS names, which the zip format defines as CP437.
    return "cp437" if codec in ("cp1252", "latin-1") or codec.startswith("utf-16") else codec


def _result(
    members: list[Member],
    skipped: dict[str, str],
    filetype: str,
    codec: str,
    damage: str = "",
) -> Extracted:
    """List the members as the archive's text and return them as children."""
    why = "; ".join(f"{name} ({reason})" for name, reason in skipped.items())
    if not members and (why or damage):
        raise ExtractionError(f"no member of the {filetype} archive could be read: {why or damage}")
    taken, children, lines = set[str](), list[Child](), list[str]()
    for stored, blob in members:
        name = unique_name(clean_name(stored) or "unnamed", taken)
        children.append(Child(name=name, data=blob))
        renamed = f"; stored as {stored!r}" if name != stored else ""
        lines.append(f"{name} ({len(blob):,} bytes{renamed})")
    lines += [f"{name} (not extracted: {reason})" for name, reason in skipped.items()]
    if not lines:
        raise ExtractionError("empty archive: no files")
    lines += [f"[archive damaged after these members: {damage}]"] if damage else []
    fields = (("members", str(len(children))), ("not_extracted", why), ("damaged", damage))
    meta = {key: value for key, value in fields if value}
    # The archive's file name titles it better than its first member does.
    extracted = make("\n".join(lines), "", filetype, codec)
    return dataclasses.replace(extracted, title="", meta=meta, children=tuple(children))


def _contents(buffer: Py7zIO) -> bytes:
    buffer.seek(0)
    return buffer.read()
