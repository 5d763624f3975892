"""Email messages (.eml): decoded headers, the readable body, and attachments as children."""

import codecs
import dataclasses
import email
import mimetypes
import re
from collections.abc import Iterator
from email import policy
from email.errors import HeaderParseError, MessageError
from email.header import decode_header
from email.message import EmailMessage, Message

from indexer.extract.archive import clean_name, unique_name
from indexer.extract.base import TITLE_MAX, Child, Extracted, ExtractionError, make
from indexer.extract.decode import decode
from indexer.extract.html import decode_html, html_to_text

HEADERS = {"from": "From", "to": "To", "cc": "Cc", "date": "Date", "subject": "Subject"}
# Mailers label GBK text gb2312 and Big5 with extensions big5; decode with the supersets.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950", "euc_kr": "cp949"}
_ALIASES = {"x-gbk": "gbk", "gb_2312-80": "gb2312", "x-big5": "big5"}
# Labels that mailers stamp on any text, Chinese included, and UTF-16, which reads any even
# number of bytes: the bytes decide instead.
_WEAK_LABELS = {"ascii", "iso8859-1", "cp1252", "utf-16", "utf-32"}
_TEXT_TYPES = ("text", "multipart")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_RAW_8BIT = re.compile(r"[\udc80-\udcff]")  # bytes the parser kept as surrogate escapes
# Only the built-in table: system mime.types files differ between machines, and names must not.
_MIME = mimetypes.MimeTypes()
for _type, _ext in {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/x-7z-compressed": ".7z",
    "application/vnd.ms-outlook": ".msg",
}.items():
    _MIME.add_type(_type, _ext)
# Attached messages are written back out verbatim: long header lines are not refolded.
_VERBATIM = policy.default.clone(refold_source="none")


def extract_eml(data: bytes) -> Extracted:
    """Extract an email: From/To/Cc/Date/Subject lines, then the body; attachments as children."""
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
        if not msg.keys():
            raise ExtractionError("not an email message: no headers")
        meta = {key: value for key in HEADERS if (value := header(msg, key))}
        body = msg.get_body(preferencelist=("plain", "html"))
        texts, children, codec = [], [], "utf-8"
        taken: set[str] = set()
        for part, alternative in _leaves(msg):
            if part is body:
                text, codec = _part_text(part)
                texts.append(text)
            # A multipart part with no boundary in it parses as one opaque part of plain text.
            elif part.get_content_maintype() in _TEXT_TYPES and not _is_attachment(part):
                if not alternative:  # inside an alternative it is the body in another form
                    texts.append(_part_text(part)[0])
            else:
                children.append(_child(part, len(children) + 1, taken))
    except RecursionError as exc:
        raise ExtractionError("MIME structure nested too deeply") from exc
    except MessageError as exc:
        raise ExtractionError(f"malformed email: {exc}") from exc
    lines = [f"{label}: {meta[key]}" for key, label in HEADERS.items() if key in meta]
    lines += [f"Attachment: {c.name}{'' if c.data else ' (empty)'}" for c in children]
    extracted = make("\n".join(lines) + "\n\n" + "\n\n".join(texts), "", "eml", codec)
    title = " ".join(meta.get("subject", "").split())[:TITLE_MAX]
    # An empty attachment has nothing to index; its name in the text is all there is to find.
    children = [child for child in children if child.data]
    return dataclasses.replace(extracted, title=title, meta=meta, children=tuple(children))


def header(msg: Message, name: str) -> str:
    """Return the decoded value of a header (all its occurrences, comma-joined), or ''."""
    values = [decode_words(value) for key, value in msg.raw_items() if key.lower() == name]
    return ", ".join(value for value in values if value)


def decode_words(value: str) -> str:
    """Decode a raw header value: RFC 2047 encoded words, or bare 8-bit bytes in any charset."""
    value = _FOLD.sub("", value).strip()
    if _RAW_8BIT.search(value):  # Chinese mailers often send headers as raw GBK bytes
        return _decode_text(value.encode("utf-8", errors="surrogateescape"), None)[0]
    try:
        parts = decode_header(value)
    except HeaderParseError:  # a broken encoded word: show it as written
        return value
    return "".join(
        part if isinstance(part, str) else _decode_text(part, charset)[0] for part, charset in parts
    ).strip()


def _decode_text(data: bytes, charset: str | None) -> tuple[str, str]:
    """Decode with the declared charset's superset; if absent or wrong, judge the bytes."""
    label = (charset or "").strip().strip("\"'").lower()
    try:
        codec = codecs.lookup(_ALIASES.get(label, label)).name if label else ""
        if codec and codec not in _WEAK_LABELS:
            codec = _SUPERSETS.get(codec, codec)
            return data.decode(codec), codec
    except (LookupError, UnicodeDecodeError):  # unknown label, or text that is not in it
        pass
    if data.isascii():
        return data.decode("ascii"), "ascii"
    try:
        return decode(data)
    except ExtractionError:  # control bytes or nothing but blanks: keep what can be read
        return data.decode("utf-8", errors="replace"), "utf-8"


def _leaves(part: EmailMessage, alternative: bool = False) -> Iterator[tuple[EmailMessage, bool]]:
    """Yield the leaf parts, attached messages whole; flag those inside multipart/alternative."""
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        inside = alternative or part.get_content_subtype() == "alternative"
        for sub in part.iter_parts():
            yield from _leaves(sub, inside)
    else:
        yield part, alternative


def _is_attachment(part: EmailMessage) -> bool:
    return part.get_content_disposition() == "attachment" or bool(_filename(part))


def _part_text(part: EmailMessage) -> tuple[str, str]:
    """Decode a text part (quoted-printable, base64, charset); render HTML as plain text."""
    data = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    if part.get_content_subtype() != "html":
        return _decode_text(data, charset)
    markup, codec = _decode_text(data, charset) if charset else decode_html(data)
    return html_to_text(markup)[0], codec


def _child(part: EmailMessage, number: int, taken: set[str]) -> Child:
    """Turn an attachment or attached message into a child named by its decoded file name."""
    content_type = part.get_content_type()
    if content_type == "message/rfc822" and part.is_multipart():
        data = part.get_payload(0).as_bytes(policy=_VERBATIM)
    else:
        data = part.get_payload(decode=True) or b""
    # A file name is a label, never a path: drop any folders a sender's client put in it.
    name = clean_name(_filename(part)).rpartition("/")[2]
    if not name:
        name = f"attachment-{number}{_MIME.guess_extension(content_type) or '.bin'}"
    elif content_type == "message/rfc822" and not name.lower().endswith(".eml"):
        name += ".eml"  # so the indexer reads it as the email it is
    return Child(name=unique_name(name, taken), data=data)


def _filename(part: EmailMessage) -> str:
    """Return an attachment's file name, decoded from RFC 2231, RFC 2047 or raw 8-bit bytes."""
    for name, key in (("content-disposition", "filename"), ("content-type", "name")):
        raw = next((v for k, v in part.raw_items() if k.lower() == name), None)
        if raw is None:
            continue
        # compat32 returns RFC 2231 values undecoded, so the declared charset's superset applies;
        # it would turn raw 8-bit bytes into U+FFFD, so those (GBK names) are decoded first.
        legacy = Message()
        legacy[name] = decode_words(raw) if _RAW_8BIT.search(raw) else _FOLD.sub("", raw)
        value = legacy.get_param(key, header=name)
        if isinstance(value, tuple):
            data = value[2].encode("raw-unicode-escape")  # as email.utils does
            return _decode_text(data, value[0])[0].strip()
        if value:
            return decode_words(value)
    return ""
