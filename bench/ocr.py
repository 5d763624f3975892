"""OCR benchmark: python -m bench.ocr [--count N] [--out bench/OCR.md]

Renders labelled screenshots with tools/make_ocr_screenshots.py (clean and degraded; Simplified
chat and documents, Traditional notices, mixed English/Chinese pages), reads them with the old
Tesseract pipeline and with the RapidOCR engine, two worker processes at once (two cores), and
reports images per second and the recall of the labels' distinctive strings (three-character
Chinese runs, English words) in the OCR text, after Traditional/Simplified and width folding.
"""

import argparse
import json
import os
import platform
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from indexer.analyse.fold import fold
from indexer.extract.image import extract_image
from indexer.extract.layout import reading_order
from indexer.extract.ocr import load_image, recognise
from indexer.extract.rapid import engine_name, read_lines
from tools.make_ocr_screenshots import Sample, distinctive, make_set

WORKERS = 2


def tesseract_text(path: Path) -> str:
    """The text the old pipeline (preprocessing, Tesseract chi_sim+chi_tra+eng) reads."""
    return recognise(load_image(path.read_bytes()))


def rapidocr_text(path: Path) -> str:
    """The text RapidOCR reads, in reading order."""
    return reading_order(read_lines(load_image(path.read_bytes())))


def leaksearch_text(path: Path) -> str:
    """The text leaksearch's image extractor gives (the engine leaksearch uses now)."""
    return extract_image(path.read_bytes()).text


ENGINES = {"tesseract": tesseract_text, "rapidocr": rapidocr_text, "leaksearch": leaksearch_text}


def found(string: str, text: str) -> bool:
    """Whether a distinctive string occurs in OCR text, as the index folds and splits both."""
    flat = fold("".join(text.split())).lower()
    return fold(string).lower() in flat


def measure(engine: str, folder: Path, samples: list[Sample]) -> dict:
    """Images per second and recall per group for one engine over the samples."""
    read = ENGINES[engine]
    with ProcessPoolExecutor(WORKERS) as pool:
        list(pool.map(read, [folder / samples[0].name] * WORKERS))  # load models in each worker
        started = time.monotonic()
        texts = list(pool.map(read, [folder / s.name for s in samples]))
        seconds = time.monotonic() - started
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sample, text in zip(samples, texts, strict=True):
        for group in (_group(sample), "degraded" if sample.degraded else "clean"):
            for string in distinctive(sample.lines):
                hits[group][0] += found(string, text)
                hits[group][1] += 1
    recall = {group: round(got / total, 3) for group, (got, total) in sorted(hits.items())}
    return {"images_per_second": round(len(samples) / seconds, 2), "recall": recall}


def _group(sample: Sample) -> str:
    return f"{'degraded' if sample.degraded else 'clean'} {sample.script}"


def report(results: dict, count: int) -> str:
    """A markdown section with the measured numbers."""
    groups = sorted({g for r in results.values() for g in r["recall"]})
    head = ["engine", "images/s (2 cores)", *groups]
    rows = [
        [name, str(r["images_per_second"]), *(f"{r['recall'].get(g, 0):.3f}" for g in groups)]
        for name, r in results.items()
    ]
    table = [head, ["---"] * len(head), *rows]
    return "\n".join(
        [
            "## OCR: Tesseract pipeline against RapidOCR",
            "",
            (
                f"`python -m bench.ocr --count {count}`: {count * 2} generated images ({count}"
                f" pages, each clean and degraded), two worker processes, on {platform.machine()}"
                f" / Python {platform.python_version()}; RapidOCR is {engine_name()}. Recall is"
                " the share of the labels' distinctive strings (three-character Chinese runs,"
                " English words) found in the OCR text after folding and with spaces removed"
                " (so it does not see English words run together; the acceptance test, which"
                " searches a real index, does). `leaksearch` is the image extractor as the"
                " indexer runs it: RapidOCR mended by Tesseract's second reading. Load average"
                f" at the end: {os.getloadavg()[0]:.1f} (images/s are only comparable on an"
                " otherwise idle machine)."
            ),
            "",
            *("| " + " | ".join(row) + " |" for row in table),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__)
    parser.add_argument("--count", type=int, default=24, help="pages, each clean and degraded")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated")
    parser.add_argument("--out", type=Path, help="also write the markdown section here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        samples = make_set(folder, args.count)
        results = {name: measure(name, folder, samples) for name in args.engines.split(",")}
    print(json.dumps(results, indent=1))
    section = report(results, args.count)
    print(section)
    if args.out:
        args.out.write_text(section, "utf-8")


if __name__ == "__main__":
    main()
