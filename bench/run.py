"""Benchmark leaksearch against two peers on a generated corpus and write bench/RESULTS.md.

    python -m bench.run [--docs 100000] [--seed 1] [--workdir DIR] [--queries N]
                        [--only leaksearch,whoosh-jieba,fts5] [--keep] [--out FILE]
                        [--churn 0.01] [--no-incremental]

Every build, re-run and query series runs in a subprocess of its own, so the peak memory of each
system (its whole process tree) is measured alone. leaksearch then times whole `leaksearch search`
processes over its index, makes 20 incremental runs over a copy of the corpus, each after
changing --churn of its files, and a fresh build of the result.
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import ocr
from bench.corpus import CorpusInfo, read_info
from bench.procmem import TreeSampler
from bench.report import machine_info, write_report
from bench.tasks import KINDS, QUERIES

REPO = Path(__file__).resolve().parent.parent
SYSTEMS = ("leaksearch", "whoosh-jieba", "fts5")
INCREMENTAL_RUNS = 20
CLI_REPS = 3  # timed `leaksearch search` processes per CLI query


def run_child(task: str, system: str, corpus: Path, index_dir: Path, log: Path, *params) -> dict:
    """Run one task in a fresh interpreter; its JSON result plus the tree's peak memory."""
    cmd = [sys.executable, "-m", "bench.tasks", task, system, str(corpus), str(index_dir)]
    cmd += [str(p) for p in params]
    started = time.perf_counter()
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=err, text=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        out, _ = proc.communicate()
        sampler.stop()
    if proc.returncode != 0:
        sys.stderr.write(log.read_text()[-4000:])
        raise SystemExit(f"{system} {task} failed (exit {proc.returncode}); log: {log}")
    result = json.loads(out.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    result["peak_rss_mb"] = sampler.peak_rss_kb / 1024
    result["peak_pss_mb"] = sampler.peak_pss_kb / 1024
    result["peak_processes"] = sampler.peak_procs
    return result


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(system: str, corpus: Path, workdir: Path, args: argparse.Namespace) -> dict:
    """Full build, re-run over the unchanged corpus, and query latency of one system."""
    index_dir = workdir / f"index-{system}"
    shutil.rmtree(index_dir, ignore_errors=True)
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    out = {}
    for task in ("build", "rerun", "query"):
        print(f"[{system}] {task} ...", flush=True)
        params = (args.queries,) if task == "query" else ()
        log = logs / f"{system}-{task}.log"
        out[task] = run_child(task, system, corpus, index_dir, log, *params)
        if task == "build":
            out["index_bytes"] = dir_size(index_dir)
        print(f"[{system}] {task}: {_summary(out[task])}", flush=True)
    if system == "leaksearch":
        print("[leaksearch] cli ...", flush=True)
        log = logs / "leaksearch-cli.log"
        out["cli"] = run_child("cli", system, corpus, index_dir, log, CLI_REPS)
        print(f"[leaksearch] cli: {_summary(out['cli'])}", flush=True)
    if system == "leaksearch" and not args.no_incremental:
        out["incremental"] = incremental(corpus, index_dir, workdir, args)
    if not args.keep:
        shutil.rmtree(index_dir, ignore_errors=True)
    return out


def incremental(corpus: Path, index_dir: Path, workdir: Path, args: argparse.Namespace) -> dict:
    """INCREMENTAL_RUNS runs over copies of the corpus and its index, each after changing
    args.churn of the files; then a fresh build of the final corpus, to compare sizes."""
    copy, ours, fresh = (workdir / f"incremental-{name}" for name in ("corpus", "index", "fresh"))
    for path in (copy, ours, fresh):
        shutil.rmtree(path, ignore_errors=True)
    # The generated corpus is reused by later runs, and the index built above is what --keep keeps.
    shutil.copytree(corpus, copy)
    shutil.copytree(index_dir, ours)
    logs = workdir / "logs"
    runs = []
    for run in range(1, INCREMENTAL_RUNS + 1):
        log = logs / f"leaksearch-incremental-{run}.log"
        result = run_child("churn", "leaksearch", copy, ours, log, args.churn, run)
        result["index_bytes"] = dir_size(ours)
        runs.append(result)
        print(f"[leaksearch] incremental run {run}: {_summary(result)}", flush=True)
    print("[leaksearch] fresh build of the changed corpus ...", flush=True)
    rebuilt = run_child("build", "leaksearch", copy, fresh, logs / "leaksearch-fresh.log")
    rebuilt["index_bytes"] = dir_size(fresh)
    print(f"[leaksearch] fresh build: {_summary(rebuilt)}", flush=True)
    if not args.keep:
        for path in (copy, ours, fresh):
            shutil.rmtree(path, ignore_errors=True)
    return {"churn": args.churn, "runs": runs, "fresh": rebuilt}


def _summary(result: dict) -> str:
    secs = result.get("seconds", result["task_seconds"])
    return f"{secs:.1f} s, peak RSS {result['peak_rss_mb']:.0f} MB"


def ensure_corpus(workdir: Path, docs: int, seed: int) -> tuple[Path, CorpusInfo]:
    """The corpus for docs and seed, generated once and reused while its marker matches."""
    dest = workdir / f"corpus-{docs}-s{seed}"
    info = read_info(dest)
    if info and info.files == docs and info.seed == seed and dest.is_dir():
        print(f"corpus: reusing {dest}", flush=True)
        return dest, info
    print(f"corpus: generating {docs} documents in {dest} ...", flush=True)
    # In a subprocess: Linux carries a parent's peak RSS into ru_maxrss of the children it
    # starts, so this process stays small.
    cmd = [sys.executable, "-m", "bench.corpus", str(dest), f"--docs={docs}", f"--seed={seed}"]
    subprocess.run(cmd, cwd=REPO, check=True)
    info = read_info(dest)
    assert info is not None, f"bench.corpus wrote no marker for {dest}"
    return dest, info


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000, help="corpus size (documents)")
    parser.add_argument("--seed", type=int, default=1, help="corpus random seed")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "leaksearch-bench",
        help="where the corpus (kept and reused) and the indexes go",
    )
    parser.add_argument("--queries", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--only", default=",".join(SYSTEMS), help="comma-separated systems")
    parser.add_argument("--keep", action="store_true", help="keep the indexes afterwards")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    parser.add_argument(
        "--churn", type=float, default=0.01, help="share of the files changed per incremental run"
    )
    parser.add_argument(
        "--no-incremental",
        action="store_true",
        help=f"skip leaksearch's {INCREMENTAL_RUNS} incremental runs and the fresh build after",
    )
    parser.add_argument(
        "--ocr-pages", type=int, default=24, help="OCR benchmark pages into bench/OCR.md (0: skip)"
    )
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    if not 0 < args.churn <= 1:
        parser.error("--churn is a share of the files, above 0 and at most 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.time()
    command = shlex.join(["python", "-m", "bench.run", *sys.argv[1:]])
    machine = machine_info()
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus, info = ensure_corpus(args.workdir, args.docs, args.seed)
    results = {}
    for system in [s for s in SYSTEMS if s in args.only.split(",")]:
        results[system] = measure(system, corpus, args.workdir, args)
        (args.workdir / "results.json").write_text(json.dumps(results, indent=1))
    machine["load_after"] = os.getloadavg()
    machine["minutes"] = (time.time() - started) / 60
    write_report(args.out, command, machine, info, results, QUERIES, KINDS)
    print(f"wrote {args.out} ({machine['minutes']:.1f} min)")
    if args.ocr_pages:  # screenshots read by Tesseract and RapidOCR: bench/ocr.py
        ocr.main(["--count", str(args.ocr_pages), "--out", str(REPO / "bench" / "OCR.md")])


if __name__ == "__main__":
    main()
