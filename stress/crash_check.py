"""After a kill and a recovery run: is every corpus file indexed or listed, exactly once, with
nothing unexpected listed, and has the index left no orphaned segment files behind?"""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from whoosh import index as whoosh_index

from stress.corpus import MARKER
from stress.harness import ROOT, get, leaksearch


@dataclass(frozen=True)
class Check:
    """The counts after recovery and every problem found (none = passed)."""

    on_disk: int
    indexed: int  # corpus files in the index (documents whose path is their own root)
    listed: int  # corpus files `leaksearch failures` lists
    api_total: int | None  # /api/search?kind=document total
    orphans: int  # segment files no TOC refers to
    index_mb: float
    problems: tuple[str, ...]


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def indexed_roots(index_dir: Path) -> set[str]:
    """Corpus files with a document of their own (the same measure build.py uses)."""
    with whoosh_index.open_dir(index_dir).reader() as reader:
        paths, roots = reader.column_reader("path"), reader.column_reader("root")
        return {paths[n] for n in reader.all_doc_ids() if paths[n] == roots[n]}


def listed_failures(index_dir: Path) -> set[str]:
    """Corpus files `leaksearch failures --json` lists (not files inside containers)."""
    cmd = [*leaksearch(), "failures", "--index", str(index_dir), "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"leaksearch failures exited {done.returncode}: {done.stderr[-300:]}")
    return {row["path"] for row in json.loads(done.stdout) if "!/" not in row["path"]}


def orphans(index_dir: Path) -> int:
    """Files no TOC names: a killed writer's segments and its temporary folder (MAIN.tmp)."""
    current = {s.segment_id() for s in whoosh_index.open_dir(index_dir)._segments()}
    segments = sum(
        1
        for p in index_dir.glob("MAIN_*")
        if p.name != "MAIN_WRITELOCK" and p.name.split(".")[0] not in current
    )
    return segments + sum(1 for p in index_dir.glob("*.tmp/*"))


def check_index(corpus: Path, index_dir: Path, base: str, expected_failures: set[str]) -> Check:
    """Compare the index, the failures list and the API with the files on disk."""
    disk, indexed, problems = files_under(corpus), indexed_roots(index_dir), []
    try:
        listed = listed_failures(index_dir)
    except RuntimeError as e:  # the CLI itself is broken: a failed round, not a crashed script
        listed = set()
        problems.append(" ".join(str(e).split()))
    api = get(base + "/api/search?" + urlencode({"q": "", "kind": "document", "limit": 1})).total()
    marker = get(base + "/api/search?" + urlencode({"q": MARKER, "limit": 1})).total()
    generated = sum(1 for rel in disk if rel.startswith("gen/"))
    if indexed | listed != disk:
        problems.append(f"{len(disk - indexed - listed)} file(s) neither indexed nor listed")
    if indexed & listed:
        problems.append(f"{len(indexed & listed)} file(s) both indexed and listed")
    if indexed - disk:
        problems.append(f"{len(indexed - disk)} deleted file(s) still indexed")
    if listed != expected_failures:
        problems.append(f"unexpected failures: {sorted(listed ^ expected_failures)[:5]}")
    if api != len(disk) - len(listed):
        problems.append(f"/api/search kind=document total {api} != {len(disk) - len(listed)}")
    if marker != generated:
        problems.append(f"/api/search {MARKER} total {marker} != {generated} generated files")
    size = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file()) / 2**20
    return Check(
        len(disk), len(indexed), len(listed), api, orphans(index_dir), size, tuple(problems)
    )
