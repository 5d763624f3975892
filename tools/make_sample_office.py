#!/usr/bin/env python3
"""Write the fictional Office, PDF and RTF samples in corpus_sample/office/ (deterministic bytes).

Every person, company, product, domain and number here is invented; domains end in .example and
IP addresses come from the documentation ranges. Files written:
  contract.docx   a Chinese services contract with a price table, header and footer
  targets.xlsx    a target list, two sheets, columns 国家区域 / 目标类型 / 目标名称 / Domain
  legacy.xls      an older target list in the BIFF .xls format, two sheets
  deck.pptx       a product deck: title slide, bullets with speaker notes, a table, a group
  report.pdf      a two-page delivery report with a Chinese text layer (embedded Noto Sans CJK)
  scanned.pdf     a text page, then a page that is only an image (a scanned voucher)
  encrypted.pdf   a PDF that needs a user password
  memo.rtf        meeting notes, \\ansicpg936: Chinese as GBK \\'hh escapes and as \\uN? escapes
  corrupt.<ext>   each format cut short, for the unreadable-file path
Zip timestamps and document dates are fixed, so reruns give identical bytes with the same library
versions and fonts. Needs the dev tools fpdf2 and xlwt and Debian's fonts-noto-cjk. Usage:
  python tools/make_sample_office.py [OUTPUT_DIR]
"""

import datetime
import io
import re
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pptx
import xlwt
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont
from pptx.util import Cm, Pt

OUT = Path(__file__).resolve().parents[1] / "corpus_sample" / "office"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC = 2  # face index of Noto Sans CJK SC inside the collection
DATE = datetime.datetime(2022, 3, 17, 9, 30, tzinfo=datetime.UTC)
W3C_DATE = DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
COMPANY = "蓝岭网络科技有限公司"

CONTRACT = [
    "合同编号：LL-2022-0317",
    "甲方：北辰智联科技有限公司（以下简称“甲方”）",
    f"乙方：{COMPANY}（以下简称“乙方”）",
    "第一条 服务内容",
    (
        "乙方为甲方提供 Lighthouse 态势感知平台的部署、培训与一年运维服务，"
        "服务对象为甲方在越南、泰国两地的分支机构。"
    ),
    (
        "Service scope: deployment of the Lighthouse situational-awareness platform, operator "
        "training and one year of maintenance for the branch offices in Vietnam and Thailand."
    ),
    "第二条 报价明细",
]
CONTRACT_TABLE = [
    ["序号", "服务项目", "Service item", "数量", "金额（元）"],
    ["1", "平台软件授权", "Platform licence", "1 套", "360,000"],
    ["2", "现场部署与调试", "On-site deployment", "20 人天", "96,000"],
    ["3", "操作培训", "Operator training", "2 期", "24,000"],
    ["合计", "", "", "", "480,000"],
]
CONTRACT_END = [
    "第三条 付款方式",
    "合同签订后十个工作日内支付百分之六十，验收合格后支付剩余百分之四十。",
    "第四条 保密条款",
    "双方对本合同内容及履行过程中知悉的对方商业秘密负有保密义务，期限为五年。",
    f"甲方（盖章）：北辰智联科技有限公司　　乙方（盖章）：{COMPANY}",
    "签订日期：2022年3月17日",
]
TARGET_HEADER = ["权限组", "国家区域", "目标类型", "目标名称", "Domain", "样本量", "登记日期"]
SEA_ROWS = [
    [1, "越南", "教育", "红河理工学院", "hrpoly.edu.example", "2.3GB", datetime.date(2021, 6, 1)],
    [1, "越南", "科技", "西贡云算科技公司", "saigoncloud.example", "1.2TB", None],
    None,  # a blank row, as exported sheets have
    [2, "泰国", "医疗", "清迈联合诊疗中心", "cm-care.example", "800MB", None],
    [2, "泰国", "航空", "暹罗之翼航空", "siamwings.example", "15GB", datetime.date(2022, 3, 1)],
]
NORTH_ROWS = [
    ["国家区域", "目标类型", "目标名称", "Domain", "备注 Notes"],
    [
        "尼泊尔",
        "航空",
        "喜马拉雅航空值机平台",
        "checkin.himair.example",
        "值机记录 check-in records",
    ],
    ["蒙古国", "教育", "乌兰巴托国际学院", "ub-intl.example", "教职工名单 staff list"],
    ["蒙古国", "科技", "戈壁数字公司", "gobidigital.example", "源代码 source code"],
]
XLS_ROWS = [
    ["国家区域", "目标类型", "目标名称", "Domain", "登记日期", "数量"],
    ["泰国", "教育", "湄南河师范学院", "mnr-edu.example", datetime.date(2019, 5, 20), 3],
    ["越南", "航空", "金莲航空", "goldenlotus-air.example", datetime.date(2019, 7, 2), 12.5],
]
REPORT_PAGES = [
    [
        "项目交付报告",
        "项目名称：Lighthouse 态势感知平台（蒙古国分支）",
        "交付日期：2022年5月1日",
        "本次交付完成了平台安装、告警规则配置与两期操作培训。",
        (
            "The delivery covered installation, alert-rule tuning and two operator training "
            "sessions in Ulaanbaatar."
        ),
    ],
    [
        "遗留问题 Open issues",
        "1. 部分告警规则误报偏高，需在下个版本调优。",
        "2. 198.51.100.23 上的采集节点磁盘空间不足。",
        "Sign-off: 陈思远, 2022-05-01",
    ],
]
VOUCHER = ["付款凭证 Payment voucher", "金额：人民币 480,000 元", f"收款方：{COMPANY}"]


def main() -> None:
    """Write every sample, then a cut-short copy of one file per format."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "contract.docx": contract_docx(),
        "targets.xlsx": targets_xlsx(),
        "legacy.xls": legacy_xls(),
        "deck.pptx": deck_pptx(),
        "report.pdf": text_pdf(REPORT_PAGES),
        "scanned.pdf": scanned_pdf(),
        "encrypted.pdf": encrypted_pdf(),
        "memo.rtf": memo_rtf(),
    }
    # Cut where each reader needs what is missing: a zip's central directory and a PDF's
    # cross-reference table sit at the end, the .xls sector chain runs past the cut, and the RTF
    # stops inside its font table, before any text.
    cuts = {"docx": "contract.docx", "xlsx": "targets.xlsx", "pptx": "deck.pptx"}
    cuts |= {"pdf": "report.pdf", "xls": "legacy.xls"}
    for ext, name in cuts.items():
        files[f"corrupt.{ext}"] = files[name][: len(files[name]) // 2]
    files["corrupt.rtf"] = files["memo.rtf"][:80]
    for name, data in files.items():
        (out / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


def fixed_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed member timestamps and fixed core-property dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                # openpyxl and python-pptx stamp the save time into dcterms:modified.
                pattern = rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)"
                body = re.sub(pattern, rb"\g<1>" + W3C_DATE.encode() + rb"\g<2>", body)
            member = zipfile.ZipInfo(info.filename, date_time=(2022, 3, 17, 9, 30, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, body)
    return out.getvalue()


def contract_docx() -> bytes:
    """A contract in Chinese with an English line, a price table with a merged total cell."""
    document = docx.Document()
    document.add_heading("技术服务合同", level=1)
    for line in CONTRACT:
        document.add_paragraph(line)
    table = document.add_table(rows=len(CONTRACT_TABLE), cols=len(CONTRACT_TABLE[0]))
    for r, row in enumerate(CONTRACT_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(4, 0).merge(table.cell(4, 3))  # "合计" spans the first four columns
    for line in CONTRACT_END:
        document.add_paragraph(line)
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{COMPANY} 商业秘密 Confidential"
    section.footer.paragraphs[0].text = "LL-2022-0317 技术服务合同"
    props = document.core_properties
    props.title, props.author, props.last_modified_by = (
        "技术服务合同（Lighthouse 平台）",
        "周明远",
        "",
    )
    props.created = props.modified = DATE
    props.revision = 3
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue())


def targets_xlsx() -> bytes:
    """A two-sheet target list; the first sheet has numbers, dates and a blank row."""
    book = openpyxl.Workbook()
    sea = book.active
    sea.title = "东南亚 2022"
    sea.append(TARGET_HEADER)
    for row in SEA_ROWS:
        sea.append(row or [])
    north = book.create_sheet("Nepal-Mongolia")
    for row in NORTH_ROWS:
        north.append(row)
    book.properties.title, book.properties.creator = "重点目标清单 2022", "李浩然"
    book.properties.created = book.properties.modified = DATE.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_zip(buffer.getvalue())


def legacy_xls() -> bytes:
    """An .xls target list with date and number cells, and a second sheet of notes."""
    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    sheet = book.add_sheet("2019年目标")
    for r, row in enumerate(XLS_ROWS):
        for c, value in enumerate(row):
            sheet.write(
                r, c, value, dates if isinstance(value, datetime.date) else xlwt.Style.default_style
            )
    notes = book.add_sheet("说明")
    notes.write(0, 0, "本表由 2019 年旧版清单导出。")
    notes.write(1, 0, "Exported from the 2019 list; see targets.xlsx for the current one.")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def deck_pptx() -> bytes:
    """A three-slide product deck: title, bullets with notes, a price table and a grouped box."""
    deck = pptx.Presentation()
    title = deck.slides.add_slide(deck.slide_layouts[0])
    title.shapes.title.text = "Lighthouse 态势感知平台"
    title.placeholders[1].text = f"产品介绍 Product overview\v{COMPANY} 2022"
    bullets = deck.slides.add_slide(deck.slide_layouts[1])
    bullets.shapes.title.text = "核心能力 Key capabilities"
    bullets.placeholders[1].text = (
        "资产测绘：自动发现暴露在公网的主机与服务\n"
        "威胁情报：关联 IP 与域名，例如 203.0.113.45 与 update.lanling.example\n"
        "Multi-language dashboard: 中文 / English / Tiếng Việt"
    )
    bullets.notes_slide.notes_text_frame.text = "讲解时强调尼泊尔试点项目的部署周期 (six weeks)。"
    prices = deck.slides.add_slide(deck.slide_layouts[5])
    prices.shapes.title.text = "版本与报价 Editions and prices"
    rows = [["版本 Edition", "功能 Features", "报价（元）"]]
    rows += [["标准版 Standard", "资产测绘", "180,000"]]
    rows += [["专业版 Professional", "资产测绘 + 威胁情报", "360,000"]]
    table = prices.shapes.add_table(3, 3, Cm(2), Cm(5), Cm(20), Cm(4)).table
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    group = prices.shapes.add_group_shape()
    box = group.shapes.add_textbox(Cm(2), Cm(11), Cm(12), Cm(1.5))
    box.text_frame.text = "联系人：陈思远 chen.siyuan@lanling.example"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    props = deck.core_properties
    props.title, props.author, props.last_modified_by = "Lighthouse 产品介绍", "陈思远", "陈思远"
    props.created = props.modified = DATE.replace(tzinfo=None)
    buffer = io.BytesIO()
    deck.save(buffer)
    return fixed_zip(buffer.getvalue())


def new_pdf() -> FPDF:
    """An FPDF with fixed dates and Noto Sans CJK SC embedded (subset) for Chinese text."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(DATE)
    pdf.set_author(COMPANY)
    pdf.add_font("noto", fname=FONT, collection_font_number=SC)
    pdf.set_font("noto", size=12)
    return pdf


def text_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one page per list of lines, all in the text layer."""
    pdf = new_pdf()
    pdf.set_title("项目交付报告 Delivery report")
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A text page, then a page holding only a picture of a voucher: no text layer at all."""
    pdf = new_pdf()
    pdf.add_page()
    pdf.multi_cell(0, 8, "附件二 付款凭证（扫描件）", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 8, "Appendix 2: the payment voucher, scanned, is on the next page.")
    pdf.add_page()
    pdf.image(voucher_png(), x=20, y=20, w=170)
    return bytes(pdf.output())


def voucher_png() -> io.BytesIO:
    """A grayscale picture of a payment voucher, its text only in pixels."""
    image = Image.new("L", (1200, 600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 44, index=SC)
    draw.rectangle((20, 20, 1180, 580), outline=0, width=4)
    for i, line in enumerate(VOUCHER):
        draw.text((70, 80 + i * 150), line, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def encrypted_pdf() -> bytes:
    """A PDF that opens only with its user password."""
    pdf = new_pdf()
    pdf.add_page()
    pdf.multi_cell(0, 8, "加密文档 Encrypted document")
    pdf.set_encryption(owner_password="lanling-owner", user_password="lanling-2022")
    return bytes(pdf.output())


def gbk_escaped(text: str) -> str:
    """Write text as RTF with every non-ASCII character as GBK \\'hh byte escapes."""
    return "".join(
        c if c.isascii() else "".join(f"\\'{b:02x}" for b in c.encode("gbk")) for c in text
    )


def unicode_escaped(text: str) -> str:
    """Write text as RTF with every non-ASCII character as a \\uN? escape (signed 16-bit N)."""
    return "".join(
        c if c.isascii() else f"\\u{ord(c) - 65536 if ord(c) > 32767 else ord(c)}?" for c in text
    )


def memo_rtf() -> bytes:
    """Meeting notes as Word writes them in a Chinese locale: \\ansicpg936, GBK escapes."""
    body = [
        r"{\rtf1\ansi\ansicpg936\deff0\deflang1033\deflangfe2052",
        r"{\fonttbl{\f0\fnil\fcharset134 "
        + gbk_escaped("宋体")
        + r";}{\f1\fswiss\fcharset0 Arial;}}",
        r"{\info{\title "
        + gbk_escaped("周例会纪要")
        + r"}{\author "
        + gbk_escaped("王晓峰")
        + "}}",
        r"\viewkind4\uc1\pard\f0\fs24 " + gbk_escaped("周例会纪要（2022年第18周）") + r"\par",
        gbk_escaped("一、越南项目：现场部署已完成，等待甲方验收。") + r"\par",
        r"\f1 Vietnam: on-site deployment finished, waiting for customer acceptance.\par",
        r"\f0 " + unicode_escaped("二、泰国项目：培训教材翻译进度百分之八十。") + r"\par",
        r"\trowd\cellx3000\cellx6000\cellx9000",
        r"\intbl "
        + gbk_escaped("尼泊尔")
        + r"\cell "
        + gbk_escaped("航空")
        + r"\cell checkin.himair.example\cell\row",
        r"\pard\f1 Next meeting: Friday 14:00, room 3B.\par",
        "}",
    ]
    return ("\r\n".join(body) + "\r\n").encode("ascii")


if __name__ == "__main__":
    main()
