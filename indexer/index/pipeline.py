"""Turn one corpus file into index documents: extraction, containers, OCR, classification.

process_file runs in a worker process. It never raises for a bad file: every document it could
read comes back as fields to index, everything else as a Failure with its reason.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from indexer.analyse.analysis import reading_entries
from indexer.classify.classify import classify
from indexer.classify.enrich import date_fields, indicator_fields
from indexer.classify.entities import (
    address_entities,
    find_entities,
    merge_pinyin,
    sender_person,
)
from indexer.classify.lang import detect_language, message_language
from indexer.extract import IMAGE_SUFFIXES, Extracted, ExtractionError, extract_bytes
from indexer.extract.chat import Message, find_messages
from indexer.extract.ocrcache import cache_get, cache_put
from indexer.index.options import BuildOptions

CHILD_SEP = "!/"  # archive.zip!/inner/file.docx
_LINKED_IMAGE = re.compile(r"\[image: ([^\]\n/\\]+)\]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Failure:
    """A file (or a file inside a container) that is not in the index, and why."""

    path: str
    reason: str
    sha256: str
    size: int

    @property
    def root(self) -> str:
        """The corpus file this failure belongs to."""
        return self.path.split(CHILD_SEP, 1)[0]


@dataclass(frozen=True)
class FileResult:
    """What one corpus file gave: documents to index and failures to list."""

    root: str
    docs: tuple[dict, ...]
    failures: tuple[Failure, ...]
    readings: str = ""  # for the pinyin lexicon: its entries (reading_entries), one per line


@dataclass
class _Run:
    path: Path
    options: BuildOptions
    cache_dir: Path
    ocr_problem: str | None  # why images cannot be read, or None
    docs: list[dict] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def process_file(
    path: Path, rel: str, options: BuildOptions, cache_dir: Path, ocr_problem: str | None
) -> FileResult:
    """Extract a corpus file and everything inside it; never raises for a bad file."""
    run = _Run(path, options, cache_dir, ocr_problem)
    rel = utf8_safe(rel)  # a name on disk that is not UTF-8 arrives with surrogate escapes
    try:
        data = path.read_bytes()
    except OSError as e:
        return FileResult(rel, (), (Failure(rel, f"cannot read file: {e.strerror or e}", "", 0),))
    _tree(run, data, rel, utf8_safe(path.name), depth=0, mtime=int(path.stat().st_mtime))
    readings = "\n".join(reading_entries(d["content"] for d in run.docs))
    return FileResult(rel, tuple(run.docs), tuple(run.failures), readings)


def utf8_safe(text: str) -> str:
    """text with surrogates replaced: an escaped undecodable byte as \\xNN, any other as U+FFFD."""
    return _SURROGATE.sub(_unsurrogate, text)


def _unsurrogate(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def _tree(run: _Run, data: bytes, vpath: str, name: str, depth: int, mtime: int) -> None:
    sha = hashlib.sha256(data).hexdigest()
    if depth > run.options.max_depth:
        reason = f"not read: nested deeper than {run.options.max_depth} containers"
        run.failures.append(Failure(vpath, reason, sha, len(data)))
        return
    try:
        doc = _extract(run, data, name, sha)
    except ExtractionError as e:
        run.failures.append(Failure(vpath, str(e) or type(e).__name__, sha, len(data)))
        return
    text = doc.text + _inline_pages(run, doc, vpath)
    if depth == 0:
        text += _linked_pages(run, text)
    # Extractors can pass on lone surrogates (a JSON "\ud800" escape, a 7z member name), which
    # no UTF-8 encoder (OpenCC, Whoosh, the web page) accepts.
    text = utf8_safe(text)
    messages = find_messages(data, name)
    title = utf8_safe(_chat_title(messages) if messages else doc.title)
    common = {"sha256": sha, "size": len(data), "mtime": mtime}
    # Its own time: an email's Date, else when an Office file or PDF says it was written.
    when = next((doc.meta[k] for k in ("date", "created", "modified") if doc.meta.get(k)), "")
    # People an email's headers or a chat log's senders name, beside those of its text.
    named = _people(run, [m.sender for m in messages], doc.meta)
    run.docs.append(_fields(run, vpath, title, text, doc, "document", when, named) | common)
    for m in messages:
        title = f"{m.sender} → {m.recipient}"
        named = _people(run, [m.sender], {})
        fields = _fields(run, vpath, title, m.text, doc, "message", m.time, named)
        fields |= {"msg_index": m.index, "msg_time": m.time}
        run.docs.append(fields | {"sender": m.sender, "recipient": m.recipient} | common)
    for child in doc.children:
        if not child.inline:
            name = utf8_safe(child.name)
            _tree(run, child.data, f"{vpath}{CHILD_SEP}{name}", name, depth + 1, mtime)


def _extract(run: _Run, data: bytes, name: str, sha: str) -> Extracted:
    """extract_bytes, with images read through the OCR cache and the --ocr setting."""
    if PurePosixPath(name).suffix.lower() not in IMAGE_SUFFIXES:
        return extract_bytes(data, name)
    cached = cache_get(run.cache_dir, sha)
    if cached is not None:
        return cached
    if run.ocr_problem:
        raise ExtractionError(f"image not read: {run.ocr_problem}")
    doc = extract_bytes(data, name)
    cache_put(run.cache_dir, sha, doc)
    return doc


def _inline_pages(run: _Run, doc: Extracted, vpath: str) -> str:
    """Text of a document's inline children (PDF pages without a text layer), each headed."""
    parts = []
    for child in doc.children:
        if child.inline:
            sha = hashlib.sha256(child.data).hexdigest()
            try:
                parts.append(
                    f"\n\n[{child.name}]\n{_extract(run, child.data, child.name, sha).text}"
                )
            except ExtractionError as e:
                failed = Failure(f"{vpath}{CHILD_SEP}{child.name}", str(e), sha, len(child.data))
                run.failures.append(failed)
    return "".join(parts)


def _linked_pages(run: _Run, text: str) -> str:
    """OCR text of the page images a document links beside it (<uuid>.md and <uuid>_1.png)."""
    parts = []
    for name in dict.fromkeys(_LINKED_IMAGE.findall(text)):
        image = run.path.parent / name
        if image.suffix.lower() not in IMAGE_SUFFIXES or not image.is_file():
            continue
        data = image.read_bytes()
        try:
            page = _extract(run, data, name, hashlib.sha256(data).hexdigest())
        except ExtractionError:
            continue  # the image is a corpus file of its own: its failure is listed there
        parts.append(f"\n\n[page: {name}]\n{page.text}")
    return "".join(parts)


def _chat_title(messages: tuple[Message, ...]) -> str:
    """A chat log's title: who talks most, how many messages, from when to when."""
    senders = Counter(m.sender for m in messages if m.sender)
    who = ", ".join(name for name, _ in senders.most_common(3))
    times = [m.time for m in messages if m.time]
    when = f", {times[0]} – {times[-1]}" if times else ""
    return f"Chat: {who} ({len(messages)} messages{when})"


def _people(run: _Run, senders: list[str], meta: dict[str, str]) -> tuple[list[str], list[str]]:
    """Persons and organisations of chat senders and email display names (From, To, Cc)."""
    if not run.options.entities:
        return [], []
    named = address_entities(meta.get(key, "") for key in ("from", "to", "cc"))
    persons = [p for p in (sender_person(s) for s in dict.fromkeys(senders)) if p]
    return [*named.persons, *persons], list(named.orgs)


def _fields(
    run: _Run,
    vpath: str,
    title: str,
    text: str,
    doc: Extracted,
    kind: str,
    when: str,
    named: tuple[list[str], list[str]],
) -> dict:
    """Index fields of a document or a chat message: text views, classification, indicators."""
    # A document's file name is searchable too: researchers search for 会议纪要.txt or a uuid.
    name = PurePosixPath(vpath.rsplit(CHILD_SEP, 1)[-1]).name if kind == "document" else ""
    full = f"{title}\n{name}\n{text}"
    # A message's title (sender → recipient) is made up here: its names are its text's and sender's.
    found = classify(full, entities=run.options.entities and kind == "document")
    entities = found.entities
    if run.options.entities and kind == "message":
        entities = find_entities(text)
    persons = merge_pinyin([*named[0], *entities.persons])
    orgs = dict.fromkeys([*named[1], *entities.orgs])
    return {
        "path": vpath,
        "root": vpath.split(CHILD_SEP, 1)[0],
        "kind": kind,
        "title": title,
        "content": full,
        "cjk": full,
        "text": text,
        "country": " ".join(found.countries),
        "target_type": " ".join(found.target_types),
        "person": ",".join(persons),
        "org": ",".join(orgs),
        "lang": message_language(text, doc.text) if kind == "message" else detect_language(full),
        "filetype": doc.filetype,
        "encoding": doc.encoding,
        "meta": {key: utf8_safe(value) for key, value in doc.meta.items()},
        **indicator_fields(full),
        **date_fields(full, when),
    }
