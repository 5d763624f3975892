"""What stress.load and stress.crash share: the indexer and server as subprocesses, timed GETs,
latency statistics and the per-script section of stress/RESULTS.md."""

import json
import os
import platform
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
ROOT = Path(__file__).resolve().parent.parent
_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")


def leaksearch() -> list[str]:
    """The installed `leaksearch` script beside this Python, else the module (same code)."""
    script = Path(sys.executable).parent / "leaksearch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "indexer.cli"]


def index_command(corpus: Path, index_dir: Path, rebuild: bool) -> list[str]:
    """The indexing command both scripts run; OCR off because the corpus has no images."""
    cmd = [*leaksearch(), "index", str(corpus), "--index", str(index_dir), "--ocr", "off"]
    return [*cmd, "--rebuild"] if rebuild else cmd


def run_indexer(corpus: Path, index_dir: Path, rebuild: bool) -> tuple[float, str]:
    """Run the indexer to completion; (seconds, its summary line). Raises if it fails."""
    started = time.monotonic()
    done = subprocess.run(
        index_command(corpus, index_dir, rebuild), capture_output=True, text=True, cwd=ROOT
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"indexer exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout.strip().splitlines()[0]


def generation(index_dir: Path) -> int:
    """The newest Whoosh TOC generation in index_dir: it goes up by one at every commit."""
    gens = [int(m[1]) for name in os.listdir(index_dir) if (m := _TOC.match(name))]
    return max(gens, default=-1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`leaksearch serve` as a subprocess on 127.0.0.1, its log in a file."""

    def __init__(self, index_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        cmd = [*leaksearch(), "serve", "--index", str(index_dir), "--port", str(self.port)]
        self.command = shlex.join(cmd)
        with log.open("w") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 60
        while get(self.base + "/").status != 200:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)

    def tracebacks(self) -> int:
        """Unhandled exceptions the server logged (Flask prints a traceback for each 500)."""
        return self.log.read_text(errors="replace").count("Traceback (most recent call last)")

    def first_traceback(self) -> str:
        """The first traceback the server logged, for the report (the log dies with the run)."""
        text = self.log.read_text(errors="replace")
        start = text.find("Traceback (most recent call last)")
        if start < 0:
            return ""
        lines = text[start:].splitlines()
        end = next((i for i, ln in enumerate(lines[1:], 1) if not ln.startswith(" ")), 0)
        return "\n".join(lines[: end + 1])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@dataclass(frozen=True)
class Reply:
    """One GET: status (0 = no HTTP answer), body, when it started, how long it took."""

    url: str
    status: int
    body: str
    started: float
    seconds: float

    def total(self) -> int | None:
        """The "total" of an /api/search answer."""
        if self.status != 200 or "/api/search" not in self.url:
            return None
        return json.loads(self.body)["total"]

    def cut_short(self) -> bool:
        """An /api/search answer the server's search time limit stopped: its total is partial."""
        return self.total() is not None and bool(json.loads(self.body).get("cut_short"))


def get(url: str, timeout: float = 30.0) -> Reply:
    """GET url; any error becomes a Reply with its reason as the body, never an exception."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            status, body = r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError) as e:  # refused, reset, timed out
        status, body = 0, f"{type(e).__name__}: {e}"
    return Reply(url, status, body, started, time.monotonic() - started)


def percentiles(seconds: list[float]) -> dict[str, float]:
    """n, p50, p95, p99 and max, in milliseconds (nearest rank)."""
    if not seconds:
        return {"n": 0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    ordered = sorted(seconds)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))] * 1000

    return {
        "n": len(ordered),
        "p50": rank(0.5),
        "p95": rank(0.95),
        "p99": rank(0.99),
        "max": ordered[-1] * 1000,
    }


def machine() -> str:
    """One line about where the numbers were measured."""
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs (nproc), {mem:.1f} GiB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average at the end: {load}"
    )


def write_section(name: str, markdown: str) -> None:
    """Replace this script's section of RESULTS.md (between its markers), keeping the others."""
    begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
    text = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Stress results\n"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, "utf-8")
