"""A deterministic stress corpus: corpus_sample's text folders plus generated mixed-language files.

Shared by stress.load and stress.crash. Generated text is recombined from lines already in
corpus_sample/ (no network, no new data), so every run with the same seed writes the same bytes.
"""

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus_sample"
# The same text folders the tests copy (tests/conftest.py): quick to index, no OCR needed.
TEXT_FOLDERS = ("chat", "docs", "targets", "notes", "web", "data", "encoded", "broken")
# A word every generated file carries, so a query has a known, large total.
MARKER = "stressmarker"
DEFAULT_FILES = 300  # a full --rebuild then takes 20-60 s on 2 busy cores (measured)


@dataclass(frozen=True)
class Corpus:
    """A stress corpus on disk: its root and how many regular files are under it."""

    root: Path
    files: int  # every file: indexed + listed by `leaksearch failures`
    generated: tuple[str, ...]  # corpus-relative paths of the generated files


def _line_pool() -> list[str]:
    """Lines of readable text from corpus_sample's UTF-8 files, in a fixed order."""
    lines: list[str] = []
    for folder in ("chat", "docs", "targets", "notes", "web", "data"):
        for path in sorted((SAMPLE / folder).iterdir()):
            for line in path.read_text("utf-8", errors="ignore").splitlines():
                line = line.strip().strip("|").strip()
                if len(line) >= 8 and not line.startswith(("<", "![](", "---")):
                    lines.append(line)
    return lines


def _document(rng: random.Random, pool: list[str], i: int) -> str:
    # 20-60 lines of ~50 chars: a few KB, like a short report, so analysis cost dominates.
    body = rng.sample(pool, rng.randint(20, 60))
    title = f"Stress document {i} / 压力测试文档 {i}"
    return "\n".join([title, "", *body, "", f"{MARKER} doc-{i:05d}"]) + "\n"


def make_corpus(dest: Path, files: int = DEFAULT_FILES, seed: int = 7) -> Corpus:
    """Write the stress corpus under dest (which must not exist) and describe it."""
    for folder in TEXT_FOLDERS:
        shutil.copytree(SAMPLE / folder, dest / folder)
    rng, pool = random.Random(seed), _line_pool()
    generated = []
    for i in range(files):
        # 100 files a folder keeps directory listings realistic without one huge folder.
        rel = f"gen/{i // 100:03d}/{i:05d}.{'md' if i % 3 == 0 else 'txt'}"
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_document(rng, pool, i), "utf-8")
        generated.append(rel)
    count = sum(1 for p in dest.rglob("*") if p.is_file())
    return Corpus(dest, count, tuple(generated))


def touch_files(corpus: Corpus, n: int, rng: random.Random, tag: str) -> list[str]:
    """Append a unique line to n generated files so an incremental run must re-read them."""
    chosen = rng.sample(corpus.generated, min(n, len(corpus.generated)))
    for rel in chosen:
        with (corpus.root / rel).open("a", encoding="utf-8") as f:
            f.write(f"changed {tag} 修改 {rng.random():.6f}\n")
    return chosen


def add_files(corpus: Corpus, n: int, rng: random.Random, tag: str) -> list[str]:
    """Write n new generated files (with MARKER), so totals change after the next run."""
    pool, added = _line_pool(), []
    for i in range(n):
        rel = f"gen/new-{tag}/{i:03d}.txt"
        (corpus.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (corpus.root / rel).write_text(_document(rng, pool, 90000 + i), "utf-8")
        added.append(rel)
    return added
