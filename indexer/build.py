"""Build or update an index from a corpus folder: incremental by content hash, failures recorded."""

import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index

from indexer.classify import classify
from indexer.extract import ExtractionError, extract
from indexer.lang import detect_language
from indexer.schema import build_schema

FAILURES_FILE = "failures.json"


@dataclass(frozen=True)
class Failure:
    """A file under the corpus root that is not in the index, and why."""

    path: str
    reason: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Report:
    """What one indexing run did; added + updated + unchanged + failed = files in the corpus."""

    added: int
    updated: int
    removed: int
    unchanged: int
    failed: int
    seconds: float


def build_index(corpus: Path, index_dir: Path, rebuild: bool = False) -> Report:
    """Index every file under corpus into index_dir, re-reading only files whose content changed."""
    started = time.monotonic()
    corpus = corpus.resolve()
    ix = _open_or_create(index_dir, rebuild)
    indexed = {} if rebuild else _indexed_hashes(ix)
    old_failures = {} if rebuild else {f.path: f for f in read_failures(index_dir)}
    failures: dict[str, Failure] = {}
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    seen: set[str] = set()
    writer = ix.writer(limitmb=256)
    try:
        for path, rel in _walk(corpus):
            seen.add(rel)
            try:
                data = path.read_bytes()
            except OSError as e:
                failures[rel] = Failure(rel, f"cannot read: {e.strerror or e}", "", 0)
                continue
            sha = hashlib.sha256(data).hexdigest()
            if indexed.get(rel) == sha:
                counts["unchanged"] += 1
                continue
            previous = old_failures.get(rel)
            if previous and previous.sha256 == sha:
                failures[rel] = previous
                continue
            try:
                fields = _document(path, rel, sha, len(data))
            except ExtractionError as e:
                failures[rel] = Failure(rel, str(e) or type(e).__name__, sha, len(data))
                if rel in indexed:
                    writer.delete_by_term("path", rel)
                continue
            writer.update_document(**fields)
            counts["updated" if rel in indexed else "added"] += 1
        removed = [rel for rel in indexed if rel not in seen]
        for rel in removed:
            writer.delete_by_term("path", rel)
        writer.commit(optimize=False)
    except BaseException:
        writer.cancel()
        raise
    _write_failures(index_dir, failures)
    return Report(
        added=counts["added"],
        updated=counts["updated"],
        removed=len(removed),
        unchanged=counts["unchanged"],
        failed=len(failures),
        seconds=round(time.monotonic() - started, 3),
    )


def read_failures(index_dir: Path) -> list[Failure]:
    """The files of the last run that were not indexed, sorted by path."""
    try:
        rows = json.loads((index_dir / FAILURES_FILE).read_text("utf-8"))
    except FileNotFoundError:
        return []
    return sorted((Failure(**row) for row in rows), key=lambda f: f.path)


def _document(path: Path, rel: str, sha: str, size: int) -> dict:
    doc = extract(path)
    full = f"{doc.title}\n{doc.text}"
    found = classify(full)
    return {
        "path": rel,
        "sha256": sha,
        "title": doc.title,
        "content": full,
        "cjk": full,
        "py": full,
        "pyi": full,
        "text": doc.text,
        "country": " ".join(found.countries),
        "target_type": " ".join(found.target_types),
        "lang": detect_language(full),
        "filetype": doc.filetype,
        "encoding": doc.encoding,
        "size": size,
        "mtime": int(path.stat().st_mtime),
    }


def _walk(corpus: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under corpus, sorted, with its corpus-relative POSIX path."""
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            if path.is_file():
                yield path, path.relative_to(corpus).as_posix()


def _open_or_create(index_dir: Path, rebuild: bool) -> Index:
    index_dir.mkdir(parents=True, exist_ok=True)
    if rebuild or not whoosh_index.exists_in(index_dir):
        return whoosh_index.create_in(index_dir, build_schema())
    return whoosh_index.open_dir(index_dir)


def _indexed_hashes(ix: Index) -> dict[str, str]:
    """Path -> sha256 of every document in the index."""
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return {}
        # Column readers avoid decompressing each document's stored text just to read two keys.
        paths, hashes = reader.column_reader("path"), reader.column_reader("sha256")
        return {paths[n]: hashes[n] for n in reader.all_doc_ids()}


def _write_failures(index_dir: Path, failures: dict[str, Failure]) -> None:
    rows = [f.__dict__ for f in sorted(failures.values(), key=lambda f: f.path)]
    tmp = index_dir / (FAILURES_FILE + ".tmp")
    tmp.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, index_dir / FAILURES_FILE)
