"""OCR with the real Tesseract on the fictional screenshots in corpus_sample/screenshots/."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from indexer.extract.base import Extracted, ExtractionError
from indexer.extract.image import extract_image
from indexer.extract.ocr import DEFAULT_LANGS, ocr_image, tesseract_available, tidy_spaces
from indexer.fold import fold

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


def test_spaces_between_latin_words_are_kept(extracted):
    assert "support@nightowl.example" in extracted["manual_nightowl_p3.png"].text
    assert re.search(r"Windows 7 \S+ Linux \S", extracted["manual_nightowl_p3.png"].text)


def test_table_columns_stay_apart(extracted):
    # Wide gaps are layout: joining cells would make one false word of "技术培训" and "5 人天".
    assert re.search(r"技术培训  5 人天  6", extracted[f"{DOC}_2.png"].text)


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
    assert re.fullmatch(rf"tesseract \d+\.\d+\S* {re.escape(DEFAULT_LANGS)}", doc.meta["ocr"])
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
