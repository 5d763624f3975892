"""Image loading, and OCR with the Tesseract command-line tool, tuned for Chinese text.

Images are read by RapidOCR (rapid.py); Tesseract runs here for its second reading (second.py),
and this pipeline of its own is kept as the benchmark's baseline (bench/ocr.py).
"""

import functools
import io
import os
import re
import shutil
import subprocess
import warnings

from PIL import Image, ImageChops, ImageOps, ImageStat, UnidentifiedImageError

from indexer.extract.base import ExtractionError

DEFAULT_LANGS = "chi_sim+chi_tra+eng"
# Only formats a leak's screenshots come in: Pillow would otherwise also parse EPS (by running
# Ghostscript), FITS, PSD and dozens of rarely audited decoders on untrusted bytes.
FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP")
# Images are scaled so that body-text lines are about this many pixels of ink tall: on the
# samples of tools/make_sample_images.py (16 px text, 15 px of ink) x2 beat x1, x1.5 and x2.5,
# and 26 or 34 did worse than 30.
LINE_HEIGHT = 30
MAX_SCALE = 4.0
MAX_OCR_PIXELS = 40_000_000  # after scaling: keeps Tesseract's memory and time bounded
PSM = "3"  # automatic layout: --psm 6 (one block) garbled tables and two-column chat bubbles
BACKGROUND_RADIUS = 5  # an 11 px window: wider than any stroke of text LINE_HEIGHT tall
CONTRAST_GAIN = 2.0  # darkens grey print (names, time stamps) that Tesseract would lose
CONTRAST_FLOOR = 20  # a weaker contrast is a bubble's edge or JPEG noise, not text
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
# Chinese puts no spaces between words, so one space between two CJK characters is an artefact
# of Tesseract's word boxes; a wider gap is layout (a table's columns) and stays, shortened.
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_WIDE_GAP = re.compile(r"[ \t]{3,}")


def tesseract_available(langs: str = DEFAULT_LANGS) -> str | None:
    """Return None if Tesseract can read langs, else the reason it cannot."""
    if shutil.which("tesseract") is None:
        return "tesseract is not installed"
    try:
        listing = run_tesseract(["--list-langs"], b"", 30.0)
    except ExtractionError as exc:
        return str(exc)
    installed = set(listing.split("\n")[1:])  # below the 'List of available languages' header
    missing = [lang for lang in langs.split("+") if lang not in installed]
    return f"tesseract language data missing: {'+'.join(missing)}" if missing else None


@functools.cache
def tesseract_version() -> str:
    """Return the version of the installed Tesseract, such as '5.3.0'."""
    return run_tesseract(["--version"], b"", 30.0).split()[1]


def ocr_image(data: bytes, langs: str = DEFAULT_LANGS, timeout: float = 120.0) -> str:
    """Return the text Tesseract reads in an image's bytes; raise ExtractionError."""
    return recognise(load_image(data), langs, timeout)


def recognise(image: Image.Image, langs: str = DEFAULT_LANGS, timeout: float = 120.0) -> str:
    """Return the text Tesseract reads in a decoded image; raise ExtractionError."""
    # Checked first because Tesseract only warns about a missing language and reads on without it.
    reason = tesseract_available(langs)
    if reason:
        raise ExtractionError(reason)
    buffer = io.BytesIO()
    prepare(image).save(buffer, "PNG", compress_level=1)  # speed over size: it only goes to a pipe
    args = ["stdin", "stdout", "-l", langs, "--psm", PSM, "-c", "preserve_interword_spaces=1"]
    return tidy_spaces(run_tesseract(args, buffer.getvalue(), timeout))


def tidy_spaces(text: str) -> str:
    """Drop single spaces between CJK characters, shorten wide gaps, strip the page's form feed."""
    return _CJK_GAP.sub("", _WIDE_GAP.sub("  ", text)).strip()


def load_image(data: bytes) -> Image.Image:
    """Decode image bytes with Pillow; raise ExtractionError for corrupt or oversized images."""
    try:
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; a bomb must fail, not warn.
        with warnings.catch_warnings(action="error", category=Image.DecompressionBombWarning):
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            image.load()
            image = ImageOps.exif_transpose(image)  # photos of screens carry their rotation in EXIF
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ExtractionError(f"image too large to decode safely: {exc}") from exc
    except UnidentifiedImageError as exc:
        # Pillow's message names the BytesIO object: an address that changes with every run.
        raise ExtractionError("not a readable image: unknown or damaged image format") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ExtractionError(f"not a readable image: {exc}") from exc
    return image


def prepare(image: Image.Image) -> Image.Image:
    """Return a greyscale image with dark text on white at the size Tesseract reads best."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        # Transparent pixels are often black underneath: flatten onto white or text disappears.
        white = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(white, image.convert("RGBA"))
    gray = image.convert("L")
    if ImageStat.Stat(gray).median[0] < 128:  # dark-mode screenshot: light text on dark
        gray = ImageOps.invert(gray)
    height = _line_height(gray)
    scale = min(MAX_SCALE, LINE_HEIGHT / height) if height else 1.0
    scale = min(scale, (MAX_OCR_PIXELS / (gray.width * gray.height)) ** 0.5)
    if abs(scale - 1.0) > 0.1:
        size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
    return _flatten(gray, BACKGROUND_RADIUS)


def _flatten(gray: Image.Image, radius: int) -> Image.Image:
    """Subtract the local background, so text on any light colour becomes dark text on white."""
    # Tesseract's global Otsu threshold turns a light-green chat bubble (grey ~195) black with
    # its text, on a page whose background is lighter still; a local maximum is that background.
    background = _dilate(gray, radius)
    contrast = ImageChops.subtract(
        background, gray, scale=1 / CONTRAST_GAIN, offset=-round(CONTRAST_FLOOR * CONTRAST_GAIN)
    )
    return ImageOps.invert(contrast)


def _dilate(gray: Image.Image, radius: int) -> Image.Image:
    """Return the maximum over a (2 radius + 1)-pixel square around each pixel."""
    # Max is separable and grows by doubling, so a few shifted copies replace MaxFilter, which
    # took twenty times longer. offset() wraps around: a black border keeps edges to themselves.
    grown = ImageOps.expand(gray, border=radius, fill=0)
    for dx, dy in ((1, 0), (0, 1)):
        done, step = 0, 1
        while done < radius:
            step = min(step, radius - done)
            ahead = ImageChops.offset(grown, dx * step, dy * step)
            behind = ImageChops.offset(grown, -dx * step, -dy * step)
            grown = ImageChops.lighter(grown, ImageChops.lighter(ahead, behind))
            done, step = done + step, step * 2
    return grown.crop((radius, radius, radius + gray.width, radius + gray.height))


def _line_height(gray: Image.Image) -> float | None:
    """Return the ink height in pixels of the image's body-text lines, or None if it has none."""
    ink = _flatten(gray, 3).point(lambda v: 255 if v < 128 else 0)
    rows = ink.resize((1, ink.height), Image.Resampling.BOX).tobytes()  # ink share of each row
    busy = sorted(value for value in rows if value)
    if not busy:
        return None
    # A row belongs to a line when it holds a fair share of ink; table borders and bubble
    # edges crossing a row hold only a little.
    cutoff = max(2, busy[len(busy) * 9 // 10] // 5)
    runs, run = [], 0
    for value in rows + b"\0":
        if value >= cutoff:
            run += 1
        elif run:
            runs.append(run)
            run = 0
    lines = sorted(run for run in runs if run >= 4)  # thinner runs are rules and specks
    # The upper quartile, not the median: lines of small grey print (names, time stamps) and
    # bold strokes that split a line into fragments all make runs shorter than body text.
    return lines[len(lines) * 3 // 4] if lines else None


def run_tesseract(args: list[str], stdin: bytes, timeout: float) -> str:
    """Run tesseract with args, feeding stdin; return stdout; raise ExtractionError."""
    # One thread per process: Tesseract's OpenMP threads halved throughput on the samples, and
    # the indexer may run several OCR processes at once.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            ["tesseract", *args], input=stdin, capture_output=True, timeout=timeout, env=env
        )
    except FileNotFoundError as exc:
        raise ExtractionError("tesseract is not installed") from exc
    except subprocess.TimeoutExpired as exc:  # subprocess.run has already killed it
        raise ExtractionError(f"OCR timed out after {timeout:g} s") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractionError(f"tesseract failed: {message[-1] if message else done.returncode}")
    return done.stdout.decode("utf-8", "replace")
