"""OCR with the real RapidOCR and Tesseract on the fictional screenshots of corpus_sample/."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from indexer.analyse.analysis import word_analyzer
from indexer.analyse.fold import fold
from indexer.extract.base import Extracted, ExtractionError
from indexer.extract.image import extract_image
from indexer.extract.layout import Line, lines_from_json, lines_to_json, reading_order
from indexer.extract.ocr import ocr_image, tesseract_available, tidy_spaces
from indexer.extract.rapid import STRIP_ASPECT, STRIP_OVERLAP, dictionary, strips
from indexer.extract.second import fill_in, respace

SCREENSHOTS = Path(__file__).parent.parent / "corpus_sample" / "screenshots"
DOC = "4b7e2d91-c3a5-4f68-9e12-8d0a6b3f5c27"
# Words Tesseract 5.3 read (after folding) in the samples and in every variant measured while
# tuning ocr.py: scaled to 0.8x, 1.5x and 2.5x, JPEG-compressed at quality 70, and inverted.
EXPECTED = {
    "chat_wechat_group.png": "邮箱账号 蒙古国 渗透测试 远程控制 航空公司 尼泊尔 医院 VPN 09:18",
    "manual_nightowl_p3.png": "部署前准备 键盘记录 文件管理 控制服务器 Windows Linux TLS v3.2",
    "notice_traditional.png": "伺服器 維護 備份 帳號 遠端登入 測試環境 it-desk@jinhua.example",
    f"{DOC}_1.png": "邮箱取证系统 尼泊尔 蒙古国 通讯录 收件箱 主流邮箱 Gmail Yahoo",
    f"{DOC}_2.png": "报价单 远程控制组件 永久授权 技术培训 邮箱取证基础版 授权方式 技术支持 5621",
}
_HAN_SPACE_HAN = re.compile(r"[\u3400-\u9fff] [\u3400-\u9fff]")


@pytest.fixture(scope="module")
def extracted() -> dict[str, Extracted]:
    """Every sample screenshot OCR'd once for the module: OCR takes a second or two each."""
    return {name: extract_image((SCREENSHOTS / name).read_bytes()) for name in EXPECTED}


def _png(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height pixels, with no pixel data worth decoding."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunks = [(b"IHDR", ihdr), (b"IDAT", zlib.compress(b"")), (b"IEND", b"")]
    body = b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        for kind, data in chunks
    )
    return b"\x89PNG\r\n\x1a\n" + body


def test_tesseract_is_usable_here():
    # Fails, never skips, where Tesseract or its Chinese data is missing: CI must install them.
    assert tesseract_available() is None


def test_a_missing_language_is_named():
    assert tesseract_available("eng+xxx") == "tesseract language data missing: xxx"


def test_ocr_with_a_missing_language_fails_instead_of_reading_without_it():
    data = (SCREENSHOTS / f"{DOC}_2.png").read_bytes()
    with pytest.raises(ExtractionError, match="language data missing: xxx"):
        ocr_image(data, langs="eng+xxx")


def test_without_tesseract_the_reason_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no tesseract on the PATH
    assert tesseract_available() == "tesseract is not installed"
    with pytest.raises(ExtractionError, match="tesseract is not installed"):
        ocr_image((SCREENSHOTS / f"{DOC}_2.png").read_bytes())


@pytest.mark.parametrize("name", EXPECTED)
def test_sample_words_are_read(extracted, name):
    # With chi_tra loaded Tesseract may read a Simplified glyph as its Traditional form; the index
    # folds both alike, so compare folded text.
    text = extracted[name].text
    missing = [word for word in EXPECTED[name].split() if fold(word) not in fold(text)]
    assert not missing, f"{name}: {missing} not in OCR text:\n{text}"


@pytest.mark.parametrize("name", EXPECTED)
def test_no_space_is_left_between_han_characters(extracted, name):
    assert not _HAN_SPACE_HAN.search(extracted[name].text)


def test_latin_words_stay_words(extracted):
    # What search needs: each English word its own token. RapidOCR drops the spaces between
    # Latin and Chinese ("支持Windows"), which the word tokenizer splits anyway, and the one
    # between a word and a number ("Windows7", one token), which the engine puts back.
    text = extracted["manual_nightowl_p3.png"].text
    assert "support@nightowl.example" in text
    tokens = [t.text for t in word_analyzer()(text)]
    assert {"window", "linux", "tls", "outlook"} <= set(tokens), tokens


def test_table_columns_stay_apart(extracted):
    # Wide gaps are layout: joining cells would make one false word of "技术培训" and "5 人天".
    # (A space between a number and Chinese, which RapidOCR drops, makes no token of its own.)
    assert re.search(r"技术培训  5 ?人天  6", extracted[f"{DOC}_2.png"].text)


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        ("渗 透 测 试", "渗透测试"),
        ("修复了 VPN 断线", "修复了 VPN 断线"),
        ("上线， 在管理", "上线，在管理"),
        ("the mail  relay", "the mail  relay"),
        ("功能                说明      状态", "功能  说明  状态"),
        ("\n报价单\n\f", "报价单"),
    ],
)
def test_tidy_spaces(raw, tidy):
    assert tidy_spaces(raw) == tidy


def test_image_metadata(extracted):
    doc = extracted["manual_nightowl_p3.png"]
    assert (doc.filetype, doc.encoding, doc.children) == ("image", "", ())
    assert doc.meta["width"] == "800" and doc.meta["height"] == "900"
    assert re.fullmatch(r"rapidocr \d+\.\d+\.\d+ PP-OCRv4", doc.meta["ocr"])
    assert doc.title  # the first line OCR read


def test_dark_mode_jpeg_is_read():
    image = Image.open(SCREENSHOTS / "notice_traditional.png").convert("RGB")
    text = ocr_image(_png(ImageOps.invert(image), "JPEG"))
    assert "伺服器" in text and "備份" in text


def test_transparent_background_is_read_as_white():
    # Black text on transparent pixels that are black underneath: flattening to greyscale
    # without compositing would give black on black.
    gray = Image.open(SCREENSHOTS / f"{DOC}_2.png").convert("L").crop((40, 20, 700, 320))
    rgba = Image.new("RGBA", gray.size, (0, 0, 0, 0))
    rgba.putalpha(ImageOps.invert(gray))
    assert "技术培训" in ocr_image(_png(rgba))


def test_blank_image_has_no_text():
    with pytest.raises(ExtractionError, match="no text found by OCR"):
        extract_image(_png(Image.new("RGB", (400, 300), "white")))


@pytest.mark.parametrize(
    "data",
    [
        b"not an image at all",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,  # PNG signature, garbage after it
        (SCREENSHOTS / f"{DOC}_2.png").read_bytes()[:4000],  # truncated
        b"P5\n4 4\n255\n" + bytes(16),  # a PGM: Pillow reads it, leaksearch does not accept it
    ],
    ids=["garbage", "bad-png", "truncated", "unaccepted-format"],
)
def test_corrupt_or_unaccepted_image_bytes(data):
    with pytest.raises(ExtractionError, match="not a readable image"):
        ocr_image(data)


@pytest.mark.parametrize("side", [10_000, 30_000], ids=["over-limit", "over-twice-limit"])
def test_decompression_bomb_is_refused(side):
    # 100 and 900 megapixels: Pillow warns past MAX_IMAGE_PIXELS and raises past twice that.
    with pytest.raises(ExtractionError, match="too large"):
        ocr_image(_png_header(side, side))


def test_timeout():
    data = (SCREENSHOTS / f"{DOC}_2.png").read_bytes()
    with pytest.raises(ExtractionError, match=r"OCR timed out after 0\.001 s"):
        ocr_image(data, timeout=0.001)


def _line(text: str, left: int, top: int, right: int, bottom: int) -> Line:
    return Line(text, (left, top, right, bottom))


def test_reading_order_puts_a_table_row_on_one_line():
    # Cells of a row are found in any order and a few pixels apart in height.
    lines = [
        _line("授权方式", 300, 52, 380, 72),
        _line("模块", 40, 50, 90, 70),
        _line("单账号", 300, 92, 360, 112),
        _line("价格", 600, 49, 640, 71),
        _line("邮箱取证基础版", 40, 90, 200, 110),
        _line("3.5", 600, 93, 630, 111),
    ]
    assert reading_order(lines) == "模块  授权方式  价格\n邮箱取证基础版  单账号  3.5"


def test_reading_order_joins_pieces_of_one_line():
    # Close boxes of one line: Chinese pieces meet without a space, Latin ones with one.
    lines = [_line("远程控制", 10, 10, 90, 30), _line("组件", 95, 10, 135, 30)]
    lines += [_line("Falcon-X", 10, 50, 90, 70), _line("2.3", 95, 50, 125, 70)]
    assert reading_order(lines) == "远程控制组件\nFalcon-X 2.3"


def test_line_boxes_survive_json():
    lines = [_line("蒙古国", 1, 2, 3, 4), _line("VPN 断线", 5, 6, 7, 8)]
    assert lines_from_json(lines_to_json(lines)) == lines


@pytest.mark.parametrize(
    ("rapid", "tesseract", "mended"),
    [
        (
            "多數為行銷真面",
            "多數為行銷頁面",
            "多數為行銷頁面",
        ),  # 頁 is not in PP-OCRv4's dictionary
        ("答：查中轉伺服器", "答 : 檢查中轉伺服器", "答：檢查中轉伺服器"),  # a dropped character
        ("安洵資訊公司介绍", "SHAM 公司介紹", "安洵資訊公司介绍"),  # Tesseract's misreading
        ("内部資料請勿外傅", "內部資料請勿外傳", "内部資料請勿外傅"),  # 傳 RapidOCR could spell
    ],
)
def test_traditional_characters_are_filled_in(rapid, tesseract, mended):
    assert fill_in(rapid, tesseract, dictionary()) == mended


@pytest.mark.parametrize(
    ("rapid", "tesseract", "mended"),
    [
        ("Mailboxforensicsmodule", "Mailbox forensics rnodule", "Mailbox forensics module"),
        ("支持dll侧加载", "支持 dll 侧 加载", "支持dll侧加载"),
        ("Keyloggerrecords 443", "Keylogger records 443", "Keylogger records 443"),
    ],
)
def test_english_word_spaces_are_put_back(rapid, tesseract, mended):
    assert respace(rapid, tesseract) == mended


@pytest.mark.parametrize(("width", "height"), [(1080, 900), (1080, 7000), (640, 1700), (300, 300)])
def test_strips_cover_a_long_screenshot_once(width, height):
    # Every row belongs to exactly one strip, and each strip sees the overlap above its share.
    parts = strips(width, height)
    assert parts[0][1] == 0 and parts[-1][2] == height
    assert all(a[2] == b[1] for a, b in zip(parts, parts[1:], strict=False))
    assert all(top == max(0, keep - STRIP_OVERLAP) for top, keep, _ in parts)
    assert all(end - keep <= width * STRIP_ASPECT * 1.4 for _, keep, end in parts)


def test_a_long_chat_screenshot_is_read_to_its_end():
    # Three chat screenshots stacked: 1,000 px wide would be shrunk under RapidOCR's 2,000 px
    # side limit to illegibility without strips.
    shot = Image.open(SCREENSHOTS / "chat_wechat_group.png").convert("RGB")
    tall = Image.new("RGB", (shot.width, shot.height * 3), "white")
    for i in range(3):
        tall.paste(shot, (0, i * shot.height))
    text = extract_image(_png(tall)).text
    assert text.count("尼泊尔航空公司") == 3 and text.count("蒙古国那边的邮箱账号") == 3
