"""OCR acceptance: generated screenshots, indexed with build_index, found with search.

tools/make_ocr_screenshots.py renders chat windows, document pages with tables, Traditional
notices and mixed English/Chinese pages, each clean and degraded (dark mode, 55-80 % scale, blur,
JPEG); every distinctive string of their labels (three-character Chinese runs, English words) is
searched for in a real index of them. The engines are the real RapidOCR and Tesseract.
"""

import hashlib
import io
import json
import random
import shutil
from collections import defaultdict
from pathlib import Path

import docx
import pytest

from indexer.extract.image import OCR_LINES
from indexer.extract.layout import reading_order
from indexer.extract.ocrcache import cache_get, cache_lines
from indexer.extract.rapid import engine_calls
from indexer.index.build import OCR_CACHE, build_index, read_failures
from indexer.index.pipeline import BuildOptions, process_file
from indexer.search.search import search
from tools.make_ocr_screenshots import Sample, distinctive, make_set

PAGES = 8  # each clean and degraded: 16 images, under a minute of OCR on two cores
PER_IMAGE = 20  # distinctive strings searched per image, chosen at random but fixed
DOCX = "weekly_report.docx"
THRESHOLDS = {"clean": 0.99, "degraded": 0.95}


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> tuple[Path, Path, list[Sample]]:
    """The generated images and a .docx holding one of them, indexed once for the module."""
    corpus = tmp_path_factory.mktemp("screens")
    samples = make_set(corpus, PAGES)
    document = docx.Document()
    document.add_paragraph("周报附件")
    document.add_picture(str(corpus / _docx_sample(samples).name))
    document.save(corpus / DOCX)
    index_dir = tmp_path_factory.mktemp("index")
    build_index(corpus, index_dir, options=BuildOptions(workers=2, ocr="on"))
    return corpus, index_dir, samples


def _docx_sample(samples: list[Sample]) -> Sample:
    return next(s for s in samples if s.kind == "document" and not s.degraded)


def _found(index_dir: Path, query: str) -> set[str]:
    return {hit.path for hit in search(index_dir, f'"{query}"', pagelen=500).hits}


def test_every_image_is_indexed(screenshots):
    _, index_dir, _ = screenshots
    assert read_failures(index_dir) == []


@pytest.mark.parametrize("state", ["clean", "degraded"])
def test_distinctive_strings_are_found_by_search(screenshots, state):
    _, index_dir, samples = screenshots
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    for sample in samples:
        if sample.degraded != (state == "degraded"):
            continue
        strings = distinctive(sample.lines)
        for string in random.Random(sample.name).sample(strings, min(PER_IMAGE, len(strings))):
            hit = sample.name in _found(index_dir, string)
            tally[sample.script][0] += hit
            tally[sample.script][1] += 1
            missed += [] if hit else [f"{sample.name}: {string}"]
    got, total = sum(t[0] for t in tally.values()), sum(t[1] for t in tally.values())
    by_script = {script: f"{a}/{b}" for script, (a, b) in sorted(tally.items())}
    assert got / total >= THRESHOLDS[state], (f"{got}/{total}", by_script, missed)


def test_chat_bubbles_come_in_order(screenshots):
    corpus, index_dir, samples = screenshots
    for sample in samples:
        if sample.kind != "chat" or sample.degraded:
            continue
        text = "".join(cache_get(index_dir / OCR_CACHE, _sha(corpus / sample.name)).text.split())
        place, in_order = 0, 0
        for line in sample.lines:  # time stamps, names and messages, top to bottom
            found = text.find("".join(line.split()), place)
            if found >= 0:
                place, in_order = found, in_order + 1
        assert in_order >= len(sample.lines) * 0.9, (sample.lines, text)


def test_image_inside_docx_is_found_by_a_chinese_query(screenshots):
    _, index_dir, samples = screenshots
    han = [s for s in distinctive(_docx_sample(samples).lines) if not s.isascii()]
    found = _found(index_dir, han[len(han) // 2])
    # The document itself is the hit: an inline image is no document of its own.
    assert DOCX in found and not any(path.startswith(f"{DOCX}!/") for path in found)


def test_cache_holds_text_and_line_boxes(screenshots):
    corpus, index_dir, samples = screenshots
    sample = samples[1]
    cached = cache_get(index_dir / OCR_CACHE, _sha(corpus / sample.name))
    lines = cache_lines(index_dir / OCR_CACHE, _sha(corpus / sample.name))
    assert cached is not None and lines
    assert cached.text == reading_order(lines)
    width, height = int(cached.meta["width"]), int(cached.meta["height"])
    for line in lines:
        left, top, right, bottom = line.box
        assert 0 <= left < right <= width and 0 <= top < bottom <= height, line


def test_a_second_run_does_no_ocr(screenshots, tmp_path):
    corpus, index_dir, samples = screenshots
    cache_dir = tmp_path / "cache"
    shutil.copytree(index_dir / OCR_CACHE, cache_dir)
    before = engine_calls()
    for name in [samples[0].name, samples[1].name, DOCX]:
        result = process_file(corpus / name, name, BuildOptions(), cache_dir, None)
        assert result.docs and not result.failures
    assert engine_calls() == before


def test_an_old_text_only_cache_entry_is_read_again(screenshots, tmp_path):
    corpus, _, samples = screenshots
    small = min(samples, key=lambda s: (corpus / s.name).stat().st_size)
    sha = _sha(corpus / small.name)
    entry = tmp_path / sha[:2] / f"{sha}.json"
    entry.parent.mkdir()
    old = {"text": "旧的识别结果", "title": "", "filetype": "image", "encoding": "", "meta": {}}
    entry.write_text(json.dumps(old, ensure_ascii=False), "utf-8")
    before = engine_calls()
    result = process_file(corpus / small.name, small.name, BuildOptions(), tmp_path, None)
    assert engine_calls() > before
    assert "旧的识别结果" not in result.docs[0]["text"]
    assert OCR_LINES in json.loads(entry.read_text("utf-8"))["meta"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_docx_image_heading_names_the_part(screenshots):
    corpus, _, _ = screenshots
    result = process_file(corpus / DOCX, DOCX, BuildOptions(), corpus / "unused-cache", "off")
    # With OCR off the image is listed as not read, under the name of its part.
    assert [f.path for f in result.failures] == [f"{DOCX}!/image: word/media/image1.png"]
    assert io.StringIO(result.docs[0]["text"]).readline().strip() == "周报附件"
