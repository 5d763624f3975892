"""Labelled screenshots for measuring OCR: python tools/make_ocr_screenshots.py OUT_DIR [--count N]

Renders chat screenshots, document pages with tables, Traditional-Chinese notices and mixed
English/Chinese price lists and slides with Debian's WenQuanYi Micro Hei (which covers Big5 as
well as GB2312), from lines recombined out of corpus_sample/ (fictional text). Each page is written
twice: clean (light, full size, PNG) and degraded the way real screenshots are (dark mode, scaled
to 55-80 %, slightly blurred, JPEG quality about 60). labels.json lists every drawn line per image.
The output depends only on the seed, the corpus sample, Pillow and the font.
"""

import argparse
import html
import json
import random
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import opencc
from PIL import Image, ImageDraw, ImageFilter, ImageFont

CORPUS = Path(__file__).resolve().parents[1] / "corpus_sample"
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
# Device pixels per CSS pixel: phones screenshot at 2-3x, desktops at 1-2x, so 17 px chat text is
# 34 px in a phone's screenshot and 19 px page text 28 px in a laptop's, before degradation.
CHAT_DPR = 2.0
PAGE_DPR = 1.5
KINDS = ("chat", "document", "traditional", "mixed")
SCRIPTS = {"chat": "simplified", "document": "simplified", "traditional": "traditional"}
_TR = re.compile(r"<tr>(.*?)</tr>")
_TD = re.compile(r"<td>(.*?)</td>")
_TAG = re.compile(r"<[^>]+>")
# A whole English word of three letters or more, not part of an address, a version or an id.
_WORD = re.compile(r"(?<![\w.@/-])[A-Za-z]{3,}(?![\w.@/-])")
_STOPWORDS = {"and", "the", "for", "with", "are", "can", "before", "every", "only", "until"}
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Fictional English of the corpus's kind (manuals, price lists, slides), mixed with Chinese lines.
ENGLISH = """\
Remote control agent supports Windows and Linux hosts
Mailbox forensics module exports contacts and attachments
Upload the installer to the staging server before deployment
Price list valid until December for partner companies only
Keylogger records every window title and clipboard change
Traffic is tunnelled over port 443 with certificate pinning
Contact technical support before renewing a license
Screen capture interval can be changed in the console
Database dumps are compressed and encrypted before transfer
Training covers installation, persistence and cleanup
""".splitlines()
LIGHT = {"page": "#ffffff", "chat": "#ededed", "ink": "#1a1a1a", "grey": "#8c8c8c",
         "theirs": "#ffffff", "mine": "#95ec69", "rule": "#c8c8c8", "head": "#f2f2f2"}  # fmt: skip
DARK = {"page": "#191919", "chat": "#111111", "ink": "#d6d6d6", "grey": "#7a7a7a",
        "theirs": "#2c2c2c", "mine": "#3eb575", "rule": "#3a3a3a", "head": "#242424"}  # fmt: skip


@dataclass(frozen=True)
class Sample:
    """One generated image and the lines drawn in it."""

    name: str
    kind: str
    script: str  # simplified | traditional | mixed
    degraded: bool
    lines: list[str]


def corpus_lines(corpus: Path = CORPUS) -> dict[str, list[str]]:
    """Chat messages, Simplified and Traditional document lines of the fictional corpus sample."""
    to_simplified = opencc.OpenCC("t2s")
    chat, simplified, traditional = [], [], []
    for path in sorted((corpus / "chat").glob("*.md")):
        for row in _TR.findall(path.read_text("utf-8")):
            cells = _TD.findall(row)  # time, from, to, message
            text = html.unescape(_TAG.sub("", cells[3])).strip() if len(cells) == 4 else ""
            if _HAN.search(text) and not re.fullmatch(r"[\d :-]+", text):
                chat.append(text)
    for path in sorted((corpus / "docs").glob("*.md")):
        for raw in path.read_text("utf-8").splitlines():
            line = raw.strip().lstrip("#").strip().strip("|").strip()
            if not _HAN.search(line) or line.startswith("!["):
                continue
            line = re.sub(r"\s*\|\s*", "|", re.sub(r"^\d+\.\s*", "", line))
            kept = traditional if to_simplified.convert(line) != line else simplified
            kept.append(line)
    # The sample's few Traditional pages are stretched with Simplified prose written in Taiwan's
    # standard characters, as notices from Taiwan or Hong Kong would be.
    to_traditional = opencc.OpenCC("s2twp")
    traditional += [to_traditional.convert(line) for line in simplified if "|" not in line]
    return {"chat": chat, "simplified": simplified, "traditional": traditional}


def make_set(out: Path, count: int, seed: int = 11, corpus: Path = CORPUS) -> list[Sample]:
    """Write count pages, each clean and degraded, into out; return their labels."""
    out.mkdir(parents=True, exist_ok=True)
    source = corpus_lines(corpus)
    samples = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        rng = random.Random(f"{seed}-{i}")
        for degraded in (False, True):
            palette = DARK if degraded and rng.random() < 0.5 else LIGHT
            image, lines = _render(kind, source, random.Random(f"{seed}-{i}-page"), palette)
            name = f"{i:03d}_{kind}_{'degraded' if degraded else 'clean'}"
            if degraded:
                name += ".jpg"
                degrade(image, rng).save(out / name, "JPEG", quality=rng.randint(55, 65))
            else:
                name += ".png"
                image.save(out / name, "PNG")
            samples.append(Sample(name, kind, SCRIPTS.get(kind, "mixed"), degraded, lines))
    return samples


def distinctive(lines: list[str]) -> list[str]:
    """Strings a searcher would type: every three-character Chinese run and English words."""
    found = []
    for line in lines:
        for run in re.findall(r"[\u4e00-\u9fff]{3,}", line):
            found += [run[i : i + 3] for i in range(len(run) - 2)]
        found += [w for w in _WORD.findall(line) if w.lower() not in _STOPWORDS]
    return list(dict.fromkeys(found))


def degrade(image: Image.Image, rng: random.Random) -> Image.Image:
    """Scale to 55-80 % and blur slightly, as a forwarded or re-captured screenshot is."""
    scale = rng.uniform(0.55, 0.80)
    size = (round(image.width * scale), round(image.height * scale))
    image = image.resize(size, Image.Resampling.BILINEAR)
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.6)))


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break text into lines no wider than width, between CJK characters or at spaces."""
    lines, line = [], ""
    for token in re.findall(r"[A-Za-z0-9_.@:/%-]+ ?|.", text):
        if line and font.getlength(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def _render(kind: str, source: dict, rng: random.Random, palette: dict) -> tuple[Image.Image, list]:
    if kind == "chat":
        return _chat(rng.sample(source["chat"], 9), rng, palette)
    if kind == "document":
        return _document(source["simplified"], rng, palette)
    if kind == "traditional":
        return _document(source["traditional"], rng, palette)
    lines = rng.sample(ENGLISH, 4) + rng.sample(source["simplified"], 4)
    rng.shuffle(lines)
    return _page([line.replace("|", "  ") for line in lines], [], palette, width=900)


def _chat(messages: list[str], rng: random.Random, palette: dict) -> tuple[Image.Image, list]:
    """A WeChat-like phone screen: names, grey time stamps, white and green bubbles, avatars."""
    u = CHAT_DPR
    width, body, small = _px(560, u), _font(_px(17, u)), _font(_px(13, u))
    image = Image.new("RGB", (width, _px(2400, u)), palette["chat"])
    draw = ImageDraw.Draw(image)
    drawn, y = [], _px(20, u)
    names = rng.sample(["周立群", "陈凯文", "何亚军", "阿飞", "老周", "小林"], 3)
    for n, message in enumerate(messages):
        if n % 4 == 0:
            stamp = f"{rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}"
            draw.text((width // 2 - _px(20, u), y), stamp, font=small, fill=palette["grey"])
            drawn.append(stamp)
            y += _px(30, u)
        mine = rng.random() < 0.35
        lines = _wrap(message, body, _px(300, u))
        bubble_w = max(body.getlength(line) for line in lines) + _px(24, u)
        bubble_h = _px(26, u) * len(lines) + _px(14, u)
        avatar_x = width - _px(56, u) if mine else _px(16, u)
        colour = rng.choice(["#6b8fc7", "#c78a6b"])
        draw.rectangle((avatar_x, y, avatar_x + _px(40, u), y + _px(40, u)), fill=colour)
        if not mine:
            name = rng.choice(names)
            draw.text((_px(68, u), y), name, font=small, fill=palette["grey"])
            drawn.append(name)
            y += _px(20, u)
        x = width - _px(68, u) - bubble_w if mine else _px(68, u)
        fill = palette["mine"] if mine else palette["theirs"]
        draw.rounded_rectangle((x, y, x + bubble_w, y + bubble_h), _px(6, u), fill=fill)
        ink = "#111111" if mine else palette["ink"]
        for k, line in enumerate(lines):
            draw.text((x + _px(12, u), y + _px(8 + 26 * k, u)), line, font=body, fill=ink)
        drawn.extend(lines)
        y += bubble_h + _px(22, u)
    return image.crop((0, 0, width, y + _px(10, u))), drawn


def _document(pool: list[str], rng: random.Random, palette: dict) -> tuple[Image.Image, list]:
    """A page: paragraphs and a bordered table built from table rows of the pool."""
    rows = [line.split("|") for line in pool if line.count("|") >= 1]
    prose = [line for line in pool if "|" not in line]
    start = rng.randrange(max(1, len(rows) - 3))
    table = [row for row in rows[start : start + 4] if len(row) == len(rows[start])]
    return _page(rng.sample(prose, min(8, len(prose))), table, palette, width=820)


def _page(paragraphs: list[str], table: list[list[str]], palette: dict, width: int) -> tuple:
    u = PAGE_DPR
    width, body, margin, row_h = _px(width, u), _font(_px(19, u)), _px(40, u), _px(40, u)
    image = Image.new("RGB", (width, _px(2000, u)), palette["page"])
    draw = ImageDraw.Draw(image)
    drawn, y = [], _px(30, u)
    for paragraph in paragraphs[:3]:
        y = _paragraph(draw, paragraph, body, (margin, width - margin, y, u), palette, drawn)
    if table:
        cell_w = (width - 2 * margin) // len(table[0])
        for r, row in enumerate(table):
            if r == 0:
                draw.rectangle((margin, y, width - margin, y + row_h), fill=palette["head"])
            for c, cell in enumerate(row):
                text = _wrap(cell, body, cell_w - _px(20, u))[0] if cell.strip() else ""
                xy = (margin + c * cell_w + _px(10, u), y + _px(9, u))
                draw.text(xy, text, font=body, fill=palette["ink"])
                drawn.extend([text] if text else [])
                x = margin + c * cell_w
                draw.line((x, y, x, y + row_h), fill=palette["rule"], width=max(1, round(u)))
            draw.line((margin, y, width - margin, y), fill=palette["rule"], width=max(1, round(u)))
            draw.line((width - margin, y, width - margin, y + row_h), fill=palette["rule"])
            y += row_h
        draw.line((margin, y, width - margin, y), fill=palette["rule"], width=max(1, round(u)))
        y += _px(24, u)
    for paragraph in paragraphs[3:]:
        y = _paragraph(draw, paragraph, body, (margin, width - margin, y, u), palette, drawn)
    return image.crop((0, 0, width, y + _px(20, u))), drawn


def _paragraph(draw, text: str, font, frame: tuple, palette: dict, drawn: list) -> int:
    left, right, y, u = frame
    for line in _wrap(text, font, right - left):
        draw.text((left, y), line, font=font, fill=palette["ink"])
        drawn.append(line)
        y += _px(32, u)
    return y + _px(14, u)


def _px(value: float, dpr: float) -> int:
    return round(value * dpr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the images and labels.json")
    parser.add_argument("--count", type=int, default=16, help="pages (each clean and degraded)")
    parser.add_argument("--seed", type=int, default=11, help="seed of the page contents")
    args = parser.parse_args()
    samples = make_set(args.out, args.count, args.seed)
    labels = json.dumps([asdict(s) for s in samples], ensure_ascii=False, indent=1)
    (args.out / "labels.json").write_text(labels, "utf-8")
    print(f"{len(samples)} images and labels.json in {args.out}")


if __name__ == "__main__":
    main()
