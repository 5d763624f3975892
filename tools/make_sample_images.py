"""Render the screenshots of corpus_sample/screenshots/: python tools/make_sample_images.py

Every person, company, product and number is invented; the text exists only in the pixels, as in
the leak's documents. Output is byte-identical on every run with the same Pillow and Noto CJK fonts.
"""

import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[1] / "corpus_sample" / "screenshots"
FONTS = Path("/usr/share/fonts/opentype/noto")
SC, TC = 2, 3  # face indexes of Noto Sans CJK SC / TC inside the .ttc collections
DOC_UUID = "4b7e2d91-c3a5-4f68-9e12-8d0a6b3f5c27"
_TOKENS = re.compile(r"[A-Za-z0-9_.@:/+%-]+|.", re.S)
AVATARS = {"周立群": "#6b8fc7", "陈凯文": "#c78a6b", "何亚军": "#7fb07a", "我": "#9a7fc2"}
# A [section] per block; a line per paragraph, table row (cell|cell) or chat message (sender|text,
# "@" for a time stamp, "我" for my own right-hand messages).
TEXT = """
[chat]
@|昨天 14:32
周立群|蒙古国那边的邮箱账号今天能交付吗
我|还差两个，晚上八点前给你
周立群|好，客户催得比较急
@|昨天 16:05
陈凯文|越南那所大学的渗透测试报告写完了
陈凯文|文件名是 report_v2.docx
我|收到，我先看一下
何亚军|远程控制工具新版本什么时候上线？
我|下周二，修复了 VPN 断线的问题
@|09:18
何亚军|尼泊尔航空公司的项目暂停了
周立群|知道了，先把医院那个做完
[manual]
客户端支持 Windows 7 及以上版本和 Linux 系统。部署前请确认目标主机可以访问控制服务器的 443 端口，
并关闭杀毒软件的实时防护。安装完成后客户端会自动上线，在管理界面的主机列表中显示。
所有通信均使用 TLS 加密。如遇连接失败，请先检查代理设置，再联系技术支持 support@nightowl.example。
[manual_table]
功能|说明|状态
文件管理|上传、下载、删除文件|支持
屏幕监控|每隔 5 秒截取一次屏幕|支持
键盘记录|记录键盘输入内容|测试中
邮箱提取|导出 Outlook 邮件账号|支持
[notice]
各位同事：自下週一起，機房伺服器的例行維護時間改為每週三晚上十點至十二點。維護期間遠端登入服務將暫停，請提前儲存工作進度。
此外，蒙古國專案的測試環境將於本月底關閉，相關帳號請於三十日前完成備份。
如有疑問，請聯絡系統管理組林志豪（分機 2316），或寄信至 it-desk@jinhua.example。
[slide]
支持 Gmail、Outlook、Yahoo 等主流邮箱
无需目标点击即可同步收件箱内容
批量导出联系人、通讯录和附件
已在尼泊尔、蒙古国等地区的项目中使用
[prices]
模块|授权方式|价格（万元）
邮箱取证基础版|单账号|3.5
邮箱取证企业版|100 个账号|28
远程控制组件|永久授权|45
技术培训|5 人天|6
"""
SECTIONS = {name: body.strip().splitlines() for name, body in re.findall(r"\[(\w+)\]([^[]*)", TEXT)}


class Page:
    """A canvas that records every string it draws, in reading order, as the ground truth."""

    def __init__(self, size: tuple[int, int], face: int, background: str = "#ffffff") -> None:
        self.image = Image.new("RGB", size, background)
        self.draw = ImageDraw.Draw(self.image)
        self.face = face
        self.lines: list[str] = []

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        """The Noto Sans CJK face of this page at size pixels."""
        name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
        return ImageFont.truetype(str(FONTS / name), size, index=self.face)

    def text(self, xy: tuple[int, int], text: str, size: int, fill: str = "#1a1a1a", **kw) -> None:
        """Draw one line of text and record it."""
        self.draw.text(xy, text, font=self.font(size, kw.pop("bold", False)), fill=fill, **kw)
        self.lines.append(text)

    def paragraph(self, x: int, y: int, width: int, text: str, size: int = 16) -> int:
        """Draw text wrapped to width, never inside a Latin word or number; return the y below."""
        font, lines, line = self.font(size), [], ""
        for token in _TOKENS.findall(text):
            if line and font.getlength(line + token) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        for done in [*lines, line.rstrip()]:
            self.draw.text((x, y), done, font=font, fill="#1a1a1a")
            y += round(size * 1.75)
        self.lines.append(text)
        return y + size // 2

    def table(self, x: int, y: int, widths: list[int], rows: list[str]) -> int:
        """Draw a ruled table with a shaded header row; return the y below it."""
        height = 34
        self.draw.rectangle((x, y, x + sum(widths), y + height), "#eef1f5")  # header row
        for r, row in enumerate(rows):
            left = x
            for width, cell in zip(widths, row.split("|"), strict=True):
                self.draw.rectangle((left, y, left + width, y + height), outline="#8a8f99")
                self.text((left + 10, y + 7), cell, 15, bold=r == 0)
                left += width
            y += height
        return y + 16


def chat() -> Page:
    """A desktop-WeChat-style group chat: grey canvas, white and green bubbles, names and times."""
    page, y = Page((560, 1200), SC, "#f5f5f5"), 70
    page.draw.rectangle((0, 0, 560, 52), fill="#ededed")
    page.draw.line((0, 52, 560, 52), fill="#d6d6d6")
    page.text((20, 14), "星河项目组（5）", 17)
    for sender, text in (message.split("|") for message in SECTIONS["chat"]):
        if sender == "@":  # a centred time stamp
            page.text((round(280 - page.font(14).getlength(text) / 2), y), text, 14, fill="#9b9b9b")
            y += 34
            continue
        width, height = round(page.font(16).getlength(text)) + 24, 48  # one line per bubble
        mine = sender == "我"  # my own messages: right-aligned green bubbles, no name shown
        page.draw.rectangle((504 if mine else 20, y, 540 if mine else 56, y + 36), AVATARS[sender])
        if not mine:
            page.text((66, y - 2), sender, 14, fill="#8c8c8c")
            y += 22
        box = (494 - width, y, 494, y + height) if mine else (66, y, 66 + width, y + height)
        page.draw.rounded_rectangle(box, 4, fill="#95ec69" if mine else "#ffffff")
        page.text((box[0] + 12, y + 10), text, 16, fill="#111")
        y += height + 18
    page.image = page.image.crop((0, 0, 560, y))  # drawn on a tall canvas, cut to its content
    return page


def manual() -> Page:
    """A product-manual page: running header, heading, paragraphs, a ruled table, page number."""
    page = Page((800, 900), SC)
    page.text((60, 30), "NightOwl 远程管理平台 用户手册 v3.2", 14, fill="#777777")
    page.draw.line((60, 56, 740, 56), fill="#cccccc")
    page.text((60, 80), "第三章 客户端部署", 20, bold=True)
    page.text((60, 130), "3.1 部署前准备", 17, bold=True)
    intro_start, intro_end, note = SECTIONS["manual"]
    y = page.paragraph(60, 168, 680, intro_start + intro_end)
    page.text((60, y + 8), "3.2 功能列表", 17, bold=True)
    y = page.table(60, y + 48, [150, 330, 120], SECTIONS["manual_table"])
    page.text((60, y + 8), "3.3 注意事项", 17, bold=True)
    page.paragraph(60, y + 46, 680, note)
    page.text((385, 850), "- 3 -", 14, fill="#777777")
    return page


def notice() -> Page:
    """An internal notice in Traditional Chinese."""
    page, y = Page((760, 560), TC), 150
    page.text((330, 40), "內部通知", 20, bold=True)
    page.text((60, 96), "關於調整伺服器維護時間的說明", 18)
    for text in SECTIONS["notice"]:
        y = page.paragraph(60, y, 640, text)
    page.text((520, y + 20), "管理部 敬啟", 16)
    page.text((520, y + 52), "2022年6月15日", 16)
    return page


def document() -> tuple[Page, Page]:
    """The leak-shaped document's two pages: a product slide and a price list."""
    page = Page((960, 540), SC, "#f7f9fc")
    page.draw.rectangle((0, 0, 960, 72), fill="#1f3a5f")
    page.text((48, 22), "天穹邮箱取证系统 产品介绍", 20, fill="#ffffff", bold=True)
    for i, text in enumerate(SECTIONS["slide"]):
        page.draw.ellipse((52, 131 + 56 * i, 60, 139 + 56 * i), fill="#1f3a5f")
        page.text((76, 120 + 56 * i), text, 18)
    page.text((48, 490), "天穹科技 2021 内部材料", 14, fill="#7a869a")
    prices = Page((800, 460), SC)
    prices.text((60, 40), "报价单", 20, bold=True)
    y = prices.table(60, 90, [220, 200, 180], SECTIONS["prices"])
    prices.paragraph(60, y + 10, 680, "以上价格含一年技术支持，不含税。联系人：郑海涛 138****5621")
    return page, prices


def pages() -> dict[str, Page]:
    """Every sample image by file name."""
    images = [chat(), manual(), notice(), *document()]
    names = ["chat_wechat_group", "manual_nightowl_p3", "notice_traditional", DOC_UUID + "_1"]
    return dict(zip([f"{n}.png" for n in [*names, DOC_UUID + "_2"]], images, strict=True))


def main() -> None:
    """Write the PNGs and the markdown page that links the document's page images."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, page in pages().items():
        page.image.save(OUT / name, "PNG", optimize=False)  # no metadata, so no timestamps
    links = "\n\n".join(f"![]({DOC_UUID}_{n}.png)" for n in (1, 2))
    (OUT / f"{DOC_UUID}.md").write_text(f"# 产品介绍材料\n\n{links}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
