"""Profile an indexing run and searches in one process, for bench/RESULTS.md's Profile section.

    python -m bench.profile CORPUS --files 400 --out /tmp/profile

Extraction runs in the profiled process (not in worker processes, where a profiler would not see
it) and one segment writer flushes, so every stage shows; read the shares, not the seconds.
Writes build.txt and one search-*.txt per query (pyinstrument's text output) into --out.
"""

import argparse
import shutil
import tempfile
from pathlib import Path

from pyinstrument import Profiler

import indexer.index.build as build
from indexer.index.options import BuildOptions
from indexer.index.pipeline import process_file
from indexer.search.filters import Filters
from indexer.search.search import search

QUERIES = ("经济", "function", "经济发展", "renmin", "的")


def _in_process(todo, options, cache_dir, ocr_problem, progress):
    for path, rel, _ in todo:
        yield process_file(Path(path), rel, options, cache_dir, ocr_problem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a bench corpus (bench/corpus.py writes one)")
    parser.add_argument("--files", type=int, default=400, help="files of the corpus to index")
    parser.add_argument("--out", type=Path, required=True, help="folder for the profiles")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        corpus, index_dir = Path(tmp) / "corpus", Path(tmp) / "index"
        corpus.mkdir()
        for path in sorted(p for p in args.corpus.rglob("*") if p.is_file())[: args.files]:
            shutil.copy(path, corpus / path.name)
        build._run = _in_process  # extraction in this process, where the profiler sees it
        profiler = Profiler(interval=0.002)
        with profiler:
            build.build_index(corpus, index_dir, options=BuildOptions(ocr="off", workers=1))
        (args.out / "build.txt").write_text(profiler.output_text(show_all=False), "utf-8")
        for n, query in enumerate(QUERIES):
            search(index_dir, query, Filters())  # per-index-state tables built once
            profiler = Profiler(interval=0.0005)
            with profiler:
                for _ in range(5):
                    search(index_dir, query, Filters())
            (args.out / f"search-{n}.txt").write_text(profiler.output_text(), "utf-8")
    print(f"profiles in {args.out}")


if __name__ == "__main__":
    main()
