"""A corpus of hostile files, written at test time: damaged files of every format, bombs, deep
nesting, a huge sparse file, hostile names on disk and inside archives, and script payloads.

make_hostile_corpus returns, per corpus-relative path (as build_index names it), "indexed" or a
piece of the reason the file must be listed with by `leaksearch failures`.
"""

import io
import json
import os
import random
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

import docx as python_docx

from tests.conftest import CORPUS

INDEXED = "indexed"
# The payloads a leaked page or a hostile sender would carry; the UI must show them as text.
XSS = (
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">click</a>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
)
PAYLOAD = " ".join(XSS)
BOMB_BYTES = 200 * 2**20  # zeros in the zip bomb's member: 200 MiB inflate from ~200 KB
NESTING = 8  # zip in zip, past BuildOptions.max_depth (5)
SPARSE_BYTES = 3 * 2**30  # past the default 1 GiB limit, and costs no disk

# A valid sample of each binary format, cut in half to make a truncated file.
_SAMPLES = {
    "docx": CORPUS / "office/contract.docx",
    "xlsx": CORPUS / "office/targets.xlsx",
    "xls": CORPUS / "office/legacy.xls",
    "pptx": CORPUS / "office/deck.pptx",
    "pdf": CORPUS / "office/report.pdf",
    "rtf": CORPUS / "office/memo.rtf",
    "eml": CORPUS / "containers/project_mail.eml",
    "mbox": CORPUS / "containers/mailbox.mbox",
    "zip": CORPUS / "containers/utf8_names.zip",
    "tar.gz": CORPUS / "containers/vietnam_notes.tar.gz",
    "7z": CORPUS / "containers/thailand_notes.7z",
    "png": CORPUS / "screenshots/chat_wechat_group.png",
}
# What a half file gives. RTF and email keep the text before the cut, a mailbox its first
# messages; packages lose their central directory, streams their end.
_HALF_EXPECTED = {
    "docx": "corrupt .docx",
    "xlsx": "corrupt .xlsx",
    "xls": "corrupt .xls",
    "pptx": "corrupt .pptx",
    "pdf": "corrupt .pdf",
    "rtf": INDEXED,
    "eml": INDEXED,
    "mbox": INDEXED,
    "zip": "corrupt or unsupported zip archive",
    "tar.gz": "corrupt tar archive",
    "7z": "corrupt 7z archive",
    "png": "not a readable image",
}
# Random bytes under each suffix: binary formats refuse them; text formats reject them as binary.
_RANDOM_EXPECTED = {
    "txt": "binary",
    "md": "binary",
    "html": "binary",
    "csv": "binary",
    "tsv": "binary",
    "json": "binary",
    "eml": "not an email message",
    "mbox": "not an mbox file",
    "zip": "corrupt or unsupported zip archive",
    "7z": "corrupt 7z archive",
    "tar": "not a tar archive",
    "tar.gz": "not a tar archive",
    "tgz": "not a tar archive",
    "tar.bz2": "not a tar archive",
    "tar.xz": "not a tar archive",
    "docx": "corrupt .docx",
    "xlsx": "corrupt .xlsx",
    "xls": "corrupt .xls",
    "pptx": "corrupt .pptx",
    "pdf": "corrupt .pdf",
    "rtf": "not an RTF file",
    "png": "unknown or damaged image format",
    "jpg": "unknown or damaged image format",
    "gif": "unknown or damaged image format",
}


def make_hostile_corpus(dest: Path) -> dict[str, str]:
    """Write the hostile corpus under dest; return each file's expected outcome by its path."""
    dest.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}
    rng = random.Random(20240221)  # the same bytes every run: a failure can be reproduced

    def put(rel: str, data: bytes, outcome: str) -> None:
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expected[rel] = outcome

    for kind, sample in _SAMPLES.items():
        data = sample.read_bytes()
        put(f"truncated/half.{kind}", data[: len(data) // 2], _HALF_EXPECTED[kind])
    # Cut inside its second member, a tar keeps the first; cut inside its only one, nothing.
    two = _tar({"first.txt": b"first member " * 100, "second.txt": b"second member " * 100})
    put("truncated/half.tar", two[:3000], INDEXED)
    put("truncated/cut_member.tar", two[:700], "no member of the tar archive could be read")
    for suffix, outcome in _RANDOM_EXPECTED.items():
        put(f"random/noise.{suffix}", rng.randbytes(4096), outcome)
    for suffix in ("txt", "docx", "pdf", "zip", "png", "json"):
        put(f"empty/empty.{suffix}", b"", "empty file")
    put("empty/blank.txt", b" \n\t\r\n ", "empty file")
    put("empty/no_members.zip", _zip({}), "empty archive")
    put("empty/no_members.tar", _tar({}), "empty archive")

    # A zip under another format's suffix: the suffix decides, and that extractor refuses it.
    plain_zip = _zip({"note.txt": b"a zip in disguise"})
    put("disguised/zip_as.docx", plain_zip, "corrupt .docx")
    put("disguised/zip_as.xlsx", plain_zip, "corrupt .xlsx")
    put("disguised/zip_as.pdf", plain_zip, "corrupt .pdf")
    put("disguised/zip_as.txt", plain_zip, "binary")
    put("disguised/pdf_as.zip", _SAMPLES["pdf"].read_bytes(), "corrupt or unsupported zip")

    put("bombs/zip_bomb.zip", _zip_bomb(), "looks like a zip bomb")
    put("bombs/tar_bomb.tar.gz", _tar_bomb(), "looks like a zip bomb")
    put("bombs/pixel_bomb.png", _png_bomb(), "image too large")
    put("bombs/deep.zip", _nested(NESTING), INDEXED)
    with (dest / "bombs/huge.txt").open("wb") as f:
        f.truncate(SPARSE_BYTES)
    expected["bombs/huge.txt"] = "larger than"

    put("names/members.zip", _hostile_zip(), INDEXED)
    put("names/members.tar", _hostile_tar(), INDEXED)
    for raw in (b"ctrl\x01char.txt", b"new\nline.txt", b"tab\tname.txt", b"bad\xff\xfeutf8.txt"):
        path = os.path.join(os.fsencode(dest / "names"), raw)
        with open(path, "wb") as f:
            f.write(b"a file whose name is hostile")
        expected["names/" + os.fsdecode(raw)] = INDEXED

    put("names/lone_surrogate.json", rb'{"text": "lone \ud800 and \udcff surrogates"}', INDEXED)
    for name, data in _payload_files().items():
        put(f"xss/{name}", data, INDEXED)
    return expected


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _tar(members: dict[str, bytes], mode: str = "w") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode, encoding="utf-8", errors="surrogateescape") as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A zip whose one member inflates to BOMB_BYTES of zeros, written by hand in a blink."""
    body, crc = _deflated(b"", BOMB_BYTES)
    name = b"zeros.txt"
    fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, crc, len(body), BOMB_BYTES)
    local = b"PK\x03\x04" + fields + struct.pack("<HH", len(name), 0) + name
    central = (
        b"PK\x01\x02"
        + struct.pack("<H", 20)
        + fields
        + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, 0)
        + name
    )
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local + body), 0)
    return local + body + central + end


def _tar_bomb() -> bytes:
    """A .tar.gz whose one member is BOMB_BYTES of zeros."""
    info = tarfile.TarInfo("zeros.txt")
    info.size = BOMB_BYTES
    header = info.tobuf(tarfile.GNU_FORMAT)
    # The zeros after the header are the member, then the tar end-of-archive blocks.
    size = len(header) + BOMB_BYTES + 2 * tarfile.BLOCKSIZE
    body, crc = _deflated(header, size - len(header))
    gzip_header = b"\x1f\x8b\x08\x00" + bytes(4) + b"\x02\xff"
    return gzip_header + body + struct.pack("<II", crc, size % 2**32)


def _deflated(prefix: bytes, zeros: int) -> tuple[bytes, int]:
    """Raw deflate of prefix + zeros, and its CRC-32, without compressing the zeros one by one."""
    # After a full flush a deflate stream forgets its past, so one compressed MiB of zeros can
    # be repeated; compressing 200 MiB for real takes seconds on a loaded CI machine.
    mib = 2**20
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = head.compress(prefix) + head.flush(zlib.Z_FULL_FLUSH)
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = block.compress(bytes(mib)) + block.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    rest = zeros % mib
    out += one * (zeros // mib) + tail.compress(bytes(rest)) + tail.flush()
    crc = zlib.crc32(prefix)
    for _ in range(zeros // mib):
        crc = zlib.crc32(bytes(mib), crc)
    return out, zlib.crc32(bytes(rest), crc)


def _png_bomb() -> bytes:
    """A PNG that claims 100,000 x 100,000 pixels in a few bytes (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    idat = zlib.compress(bytes(100_001 * 16))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _nested(levels: int) -> bytes:
    data = _zip({"core.txt": b"the innermost file, past the nesting limit"})
    for level in range(levels - 1, 0, -1):
        data = _zip({f"level{level}.zip": data, f"note{level}.txt": b"level %d note" % level})
    return data


_HOSTILE_NAMES = (
    "../../../etc/passwd.txt",
    "/absolute/root.txt",
    "C:\\Windows\\system32\\evil.txt",
    "ctrl\x01\x1b[31mred.txt",
    "new\nline.txt",
    "<img src=x onerror=alert(1)>.txt",
    "dup.txt",
    "./dup.txt",
)


def _hostile_zip() -> bytes:
    members = {name: f"member named {name!r}".encode() for name in _HOSTILE_NAMES}
    data = _zip(members)
    # zipfile only writes ASCII or flagged UTF-8 names: patch raw bytes that are neither in.
    placeholder, raw = b"XXXbad.txt", b"\xff\xfe\x80bad.txt"
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(placeholder.decode(), b"member with a name that is not UTF-8")
    patched = buffer.getvalue().replace(placeholder, raw)
    assert patched.count(raw) == 2  # the local header and the central directory
    return patched


def _hostile_tar() -> bytes:
    members = {name: f"member named {name!r}".encode() for name in _HOSTILE_NAMES}
    members[os.fsdecode(b"\xff\xfe\x80bad.txt")] = b"member with a name that is not UTF-8"
    return _tar(members)


def _payload_files() -> dict[str, bytes]:
    """Documents of each text format, and a docx and an email, carrying script payloads."""
    escaped = PAYLOAD.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = (
        f"<html><head><title>{escaped}</title><script>alert(2)</script></head>"
        f'<body><p>{escaped}</p><a href="javascript:alert(3)">link</a>'
        f"<img src=x onerror=alert(4)><svg onload=alert(5)></svg></body></html>"
    )
    docx = io.BytesIO()
    document = python_docx.Document()
    document.add_heading(XSS[0], level=1)
    document.add_paragraph(PAYLOAD)
    document.save(docx)
    email = (
        f"From: attacker <a@example.com>\nTo: victim@example.com\nSubject: {XSS[0]} {XSS[2]}\n"
        "Date: Mon, 1 Jan 2024 10:00:00 +0000\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\n'
        f"{PAYLOAD}\n--B\nContent-Type: text/plain\n"
        'Content-Disposition: attachment; filename="<svg onload=alert(1)>.txt"\n\n'
        f"attached {PAYLOAD}\n--B--\n"
    )
    return {
        "payload.html": html.encode(),
        "payload.md": f"# {XSS[0]}\n\n{PAYLOAD}\n\n[link](javascript:alert(1))\n".encode(),
        "payload.txt": f"{PAYLOAD}\njavascript:alert(1)\n".encode(),
        "payload.csv": f'name,value\n"{XSS[0]}","{XSS[2]}"\n"{XSS[1]}","{XSS[3]}"\n'.encode(),
        "payload.json": _json({"title": XSS[0], "body": PAYLOAD, "url": "javascript:alert(1)"}),
        "payload.docx": docx.getvalue(),
        "payload.eml": email.encode(),
        "<img src=x onerror=alert(1)>.txt": b"a file named with a payload",
        "<svg onload=alert(1)>.md": b"# a markdown file named with a payload\n",
        "javascript:alert(1).txt": b"a file named like a javascript: URL",
    }


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()
