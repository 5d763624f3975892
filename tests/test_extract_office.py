"""Office, PDF and RTF extractors over corpus_sample/office/ and files written to tmp_path."""

import io
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pptx
import pypdfium2 as pdfium
import pytest
from docx.oxml import parse_xml
from openpyxl.drawing.image import Image as XLImage
from PIL import Image, ImageDraw

from indexer.extract import EXTRACTORS as ALL_EXTRACTORS
from indexer.extract.base import Extracted, ExtractionError
from indexer.extract.docx import extract_docx
from indexer.extract.xlsx import extract_xls, extract_xlsx

OFFICE = Path(__file__).parent.parent / "corpus_sample" / "office"
# Read through the project's dispatch table, so the tests also hold its office entries.
EXTRACTORS = {
    suffix: ALL_EXTRACTORS[suffix] for suffix in (".docx", ".xlsx", ".xls", ".pptx", ".pdf", ".rtf")
}
READABLE = ["contract.docx", "targets.xlsx", "legacy.xls", "deck.pptx", "report.pdf", "memo.rtf"]
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def extract(path: Path) -> Extracted:
    return EXTRACTORS[path.suffix](path.read_bytes())


def lines(name: str) -> list[str]:
    return extract(OFFICE / name).text.splitlines()


@pytest.mark.parametrize(
    ("name", "filetype", "title", "needles"),
    [
        (
            "contract.docx",
            "docx",
            "技术服务合同（Lighthouse 平台）",
            ["北辰智联科技有限公司", "Vietnam and Thailand", "保密义务", "商业秘密 Confidential"],
        ),
        ("targets.xlsx", "xlsx", "重点目标清单 2022", ["红河理工学院", "saigoncloud.example"]),
        ("legacy.xls", "xls", "", ["湄南河师范学院", "Exported from the 2019 list"]),
        ("deck.pptx", "pptx", "Lighthouse 产品介绍", ["资产测绘", "Key capabilities"]),
        ("report.pdf", "pdf", "项目交付报告 Delivery report", ["蒙古国分支", "Ulaanbaatar"]),
        ("memo.rtf", "rtf", "周例会纪要", ["等待甲方验收", "Friday 14:00"]),
    ],
)
def test_chinese_and_english_text(name: str, filetype: str, title: str, needles: list) -> None:
    doc = extract(OFFICE / name)
    assert (doc.filetype, doc.title) == (filetype, title)
    for needle in needles:
        assert needle in doc.text
    assert "\ufffd" not in doc.text


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("contract.docx", "2 | 现场部署与调试 | On-site deployment | 20 人天 | 96,000"),
        ("contract.docx", "合计 | 480,000"),  # one cell merged across four columns, written once
        (
            "targets.xlsx",
            "1 | 越南 | 教育 | 红河理工学院 | hrpoly.edu.example | 2.3GB | 2021-06-01",
        ),
        (
            "targets.xlsx",
            (
                "尼泊尔 | 航空 | 喜马拉雅航空值机平台 | checkin.himair.example | "
                "值机记录 check-in records"
            ),
        ),
        ("legacy.xls", "越南 | 航空 | 金莲航空 | goldenlotus-air.example | 2019-07-02 | 12.5"),
        ("deck.pptx", "专业版 Professional | 资产测绘 + 威胁情报 | 360,000"),
        ("memo.rtf", "尼泊尔|航空|checkin.himair.example|"),
    ],
)
def test_table_row_stays_one_line(name: str, line: str) -> None:
    assert line in lines(name)


@pytest.mark.parametrize(
    ("name", "sheets"),
    [
        ("targets.xlsx", ["[sheet: 东南亚 2022]", "[sheet: Nepal-Mongolia]"]),
        ("legacy.xls", ["[sheet: 2019年目标]", "[sheet: 说明]"]),
    ],
)
def test_every_sheet_under_its_marker(name: str, sheets: list[str]) -> None:
    text = lines(name)
    assert [line for line in text if line.startswith("[sheet: ")] == sheets
    assert text[0] == sheets[0]
    assert "" not in text  # empty rows are skipped
    assert extract(OFFICE / name).meta["sheets"] == "2"


def test_xlsx_row_order_and_values() -> None:
    text = lines("targets.xlsx")
    assert text.index("[sheet: Nepal-Mongolia]") > text.index(
        "2 | 泰国 | 航空 | 暹罗之翼航空 | siamwings.example | 15GB | 2022-03-01"
    )
    assert (
        "1 | 越南 | 科技 | 西贡云算科技公司 | saigoncloud.example | 1.2TB" in text
    )  # no trailing |


def test_slides_in_order_with_tables_groups_and_notes() -> None:
    text = "\n".join(lines("deck.pptx"))
    one, two, three = (text.index(f"[slide {n}]") for n in (1, 2, 3))
    assert one < text.index("Lighthouse 态势感知平台") < two
    assert two < text.index("讲解时强调尼泊尔试点项目") < three  # speaker notes
    assert three < text.index("联系人：陈思远 chen.siyuan@lanling.example")  # inside a group
    assert "[slide 4]" not in text
    assert extract(OFFICE / "deck.pptx").meta == {
        "author": "陈思远",
        "created": "2022-03-17T09:30:00",
        "modified": "2022-03-17T09:30:00",
        "slides": "3",
    }


def test_docx_meta_and_headers() -> None:
    doc = extract(OFFICE / "contract.docx")
    assert doc.meta == {
        "author": "周明远",
        "created": "2022-03-17T09:30:00+00:00",
        "modified": "2022-03-17T09:30:00+00:00",
    }
    text = doc.text.splitlines()
    assert text[0] == "技术服务合同"
    assert text[-2:] == ["蓝岭网络科技有限公司 商业秘密 Confidential", "LL-2022-0317 技术服务合同"]


def test_pdf_pages_and_meta() -> None:
    doc = extract(OFFICE / "report.pdf")
    text = doc.text
    assert text.startswith("[page 1]\n项目交付报告")
    assert text.index("[page 2]") < text.index("198.51.100.23 上的采集节点磁盘空间不足")
    assert doc.children == ()
    assert doc.meta["author"] == "蓝岭网络科技有限公司"
    assert doc.meta["pages"] == "2"


def test_pdf_image_only_page_becomes_inline_png() -> None:
    doc = extract(OFFICE / "scanned.pdf")
    assert doc.text.splitlines()[:2] == ["[page 1]", "附件二 付款凭证（扫描件）"]
    assert doc.text.endswith("[page 2]")
    [child] = doc.children
    assert (child.name, child.inline) == ("page-2.png", True)
    image = Image.open(io.BytesIO(child.data))
    assert image.format == "PNG"
    assert image.size == (1654, 2339)  # A4 at 200 dpi


def test_pdf_blank_pages_and_attachments(tmp_path: Path) -> None:
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(200, 100)
    attachment = pdf.new_attachment("notes/说明.txt")
    attachment.set_data("尼泊尔 Nepal".encode())
    path = tmp_path / "blank.pdf"
    pdf.save(path)
    pdf.close()
    doc = extract(path)
    assert (doc.text, doc.title) == ("[page 1]", "")
    assert [(c.name, c.inline) for c in doc.children] == [
        ("page-1.png", True),
        ("attachments/说明.txt", False),
    ]
    assert Image.open(io.BytesIO(doc.children[0].data)).size == (556, 278)
    assert doc.children[1].data == "尼泊尔 Nepal".encode()


def run(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def cell(text: str) -> str:
    return f"<w:tc>{run(text)}</w:tc>"


def test_docx_content_controls_text_boxes_and_merged_cells(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("正文 body")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0))  # a vertical merge: its value belongs to both rows
    table.cell(0, 0).text = "蒙古国"
    table.cell(0, 1).text, table.cell(1, 1).text = "教育", "科技"
    body = document.element.body
    cover = f"<w:sdt {W_NS}><w:sdtContent>{run('封面 cover')}</w:sdtContent></w:sdt>"
    body.insert(0, parse_xml(cover))
    box = f"<w:txbxContent>{run('文本框 text box')}</w:txbxContent>"
    choice = f"<mc:AlternateContent><mc:Choice>{box}</mc:Choice><mc:Fallback>{box}</mc:Fallback>"
    body.insert(
        1, parse_xml(f"<w:p {W_NS} {MC_NS}><w:r>{choice}</mc:AlternateContent></w:r></w:p>")
    )
    wrapped_row = (
        f"<w:sdt><w:sdtContent><w:tr>{cell('泰国')}{cell('医疗')}</w:tr></w:sdtContent></w:sdt>"
    )
    rows = f"<w:tbl {W_NS}><w:tr>{cell('越南')}{cell('教育')}</w:tr>{wrapped_row}</w:tbl>"
    body.insert(len(body) - 1, parse_xml(rows))  # before the final section properties
    path = tmp_path / "controls.docx"
    document.save(path)
    text = extract(path).text.splitlines()
    assert text[:3] == ["封面 cover", "文本框 text box", "正文 body"]
    assert text[3:] == ["蒙古国 | 教育", "蒙古国 | 科技", "越南 | 教育", "泰国 | 医疗"]


def test_docx_comments_follow_the_body(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("报价见附件 quotation attached")
    document.add_comment(
        paragraph.runs, text="核对泰国报价 check the Thailand price", author="周明远"
    )
    path = tmp_path / "commented.docx"
    document.save(path)
    assert extract(path).text.splitlines() == [
        "报价见附件 quotation attached",
        "核对泰国报价 check the Thailand price",
    ]


def test_docx_without_core_properties_takes_first_heading(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("前言 preface")
    document.add_heading("越南项目总结", level=1)
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "bare.docx"
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "_rels/.rels":
                body = re.sub(rb"<Relationship [^>]*docProps/core.xml\"/>", b"", body)
            if info.filename != "docProps/core.xml":
                dst.writestr(info, body)
    doc = extract_docx(path.read_bytes())
    assert (doc.title, doc.meta) == ("越南项目总结", {})


def test_xlsx_with_wrong_used_range_keeps_every_cell(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for row in (["国家区域", "目标名称", "Domain"], ["泰国", "暹罗之翼航空", "siamwings.example"]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "dimension.xlsx"
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            body = src.read(info).replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1"/>')
            dst.writestr(info, body)
    assert "泰国 | 暹罗之翼航空 | siamwings.example" in extract(path).text


@pytest.mark.parametrize(
    ("source", "extractor", "filetype"),
    [("legacy.xls", extract_xlsx, "xls"), ("targets.xlsx", extract_xls, "xlsx")],
)
def test_workbook_read_by_content_when_suffix_lies(source: str, extractor, filetype: str) -> None:
    assert extractor((OFFICE / source).read_bytes()).filetype == filetype


@pytest.mark.parametrize(
    ("rtf", "expected"),
    [
        (rb"{\rtf1\ansi\ansicpg936 \'c4\'e1\'b2\'b4\'b6\'fb Nepal\par}", "尼泊尔 Nepal"),
        (rb"{\rtf1\ansi\uc1 \u33945?\u21476?\u22269? Mongolia\par}", "蒙古国 Mongolia"),
        (rb"{\rtf1\ansi\ansicpg950 \'bb\'4f\'c6\'57\par}", "臺灣"),
        (rb"{\rtf1\ansi \u-10176?\u-9216?\par}", "\U00020000"),  # a surrogate pair
        ("{\\rtf1\\ansi\\ansicpg936 泰国 Thailand\\par}".encode("gbk"), "泰国 Thailand"),
    ],
)
def test_rtf_code_pages_and_unicode(tmp_path: Path, rtf: bytes, expected: str) -> None:
    path = tmp_path / "note.rtf"
    path.write_bytes(rtf)
    assert extract(path).text == expected


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("corrupt.docx", "corrupt .docx: File is not a zip file"),
        ("corrupt.xlsx", "corrupt .xlsx: File is not a zip file"),
        ("corrupt.xls", "corrupt .xls: "),
        ("corrupt.pptx", "corrupt .pptx: File is not a zip file"),
        ("corrupt.pdf", "corrupt .pdf: Failed to load document"),
        ("corrupt.rtf", "corrupt .rtf: the file ends before any text"),
        ("encrypted.pdf", "encrypted .pdf: a password is needed to open it"),
    ],
)
def test_unreadable_samples_raise_extraction_error(name: str, reason: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(OFFICE / name)
    assert str(caught.value).startswith(reason)


@pytest.mark.parametrize(
    ("suffix", "stream", "reason"),
    [
        (".docx", "EncryptedPackage", "encrypted .docx: a password is needed"),
        (".xlsx", "EncryptedPackage", "encrypted .xlsx: a password is needed"),
        (".pptx", "EncryptedPackage", "encrypted .pptx: a password is needed"),
        (".docx", "WordDocument", "not a .docx package: an old binary Word .doc file"),
        (".pptx", "PowerPoint Document", "not a .pptx package: an old binary PowerPoint .ppt"),
    ],
)
def test_ole_containers_named_as_ooxml(
    tmp_path: Path, suffix: str, stream: str, reason: str
) -> None:
    # The start of an OLE compound file and one directory entry name, as Office writes them.
    path = tmp_path / f"locked{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream.encode("utf-16-le"))
    with pytest.raises(ExtractionError, match=f"^{re.escape(reason)}"):
        extract(path)


@pytest.mark.parametrize("suffix", sorted(EXTRACTORS))
@pytest.mark.parametrize(
    "data",
    [b"\x00" * 64, b"plain text, not a document\n", (OFFICE / "legacy.xls").read_bytes()[:600]],
)
def test_garbage_raises_extraction_error(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(data)
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    assert str(caught.value)


@pytest.mark.parametrize("name", READABLE)
@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.6, 0.9, 0.99])
def test_truncated_files_give_text_or_extraction_error(
    tmp_path: Path, name: str, fraction: float
) -> None:
    data = (OFFICE / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: int(len(data) * fraction)])
    try:
        doc = extract(path)
    except ExtractionError as exc:
        assert str(exc)
    else:
        assert doc.text  # a cut-short RTF keeps the text before the cut


def _screenshot(text: str) -> bytes:
    """A small PNG with some pixels to read (the extractors pass images on, OCR reads them)."""
    image = Image.new("RGB", (320, 60), "white")
    ImageDraw.Draw(image).text((10, 20), text, fill="black")
    for x in range(0, 320, 7):  # noise, so the PNG is no tiny icon the extractors skip
        image.putpixel((x, (x * 13) % 60), (x % 256, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_docx_images_are_inline_children_in_body_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("周报")
    document.add_picture(io.BytesIO(_screenshot("first")))
    document.add_picture(io.BytesIO(_screenshot("second")))
    document.save(tmp_path / "a.docx")
    doc = extract(tmp_path / "a.docx")
    names = [(child.name, child.inline) for child in doc.children]
    assert names == [("image: word/media/image1.png", True), ("image: word/media/image2.png", True)]
    assert doc.text == "周报"


def test_docx_of_screenshots_only_is_read(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_picture(io.BytesIO(_screenshot("only")))
    document.save(tmp_path / "a.docx")
    doc = extract(tmp_path / "a.docx")
    assert doc.text == "[image: word/media/image1.png]" and len(doc.children) == 1


def test_pptx_images_are_named_by_their_slide(tmp_path: Path) -> None:
    deck = pptx.Presentation()
    for number in range(1, 4):
        slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank: a picture-only slide
        if number != 2:
            slide.shapes.add_picture(io.BytesIO(_screenshot(f"slide {number}")), 0, 0)
    deck.save(tmp_path / "a.pptx")
    doc = extract(tmp_path / "a.pptx")
    names = [child.name for child in doc.children]
    assert names == ["slide 1 image: image1.png", "slide 3 image: image2.png"]
    assert doc.text == "[slide 1]\n[slide 2]\n[slide 3]"  # no text, but images to read


def test_xlsx_images_are_named_by_their_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "报价"
    book.active["A1"] = "型号"
    book.create_sheet("截图").add_image(XLImage(io.BytesIO(_screenshot("price"))), "B2")
    book.save(tmp_path / "a.xlsx")
    doc = extract(tmp_path / "a.xlsx")
    assert [child.name for child in doc.children] == ["sheet 截图 image: image1.png"]


def test_office_file_without_images_has_no_children() -> None:
    for name in ("contract.docx", "targets.xlsx", "deck.pptx"):
        assert extract(OFFICE / name).children == ()
