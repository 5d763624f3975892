"""HTML files, and the HTML renderer the markdown extractor shares: tables row per line, no tags."""

import codecs
import re
import warnings
from posixpath import basename
from urllib.parse import unquote

from bs4 import BeautifulSoup, ParserRejectedMarkup, Tag, UnusualUsageWarning
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from indexer.extract.base import Extracted, ExtractionError, join_cells, make
from indexer.extract.decode import decode

_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "applet"]
_DROP_NODES = (Comment, Declaration, Doctype, ProcessingInstruction)
_BLOCKS = [
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "blockquote", "section", "article", "header", "footer", "nav", "aside", "main", "figure",
    "figcaption", "address", "hr", "form", "fieldset", "caption", "title", "details", "summary",
]  # fmt: skip
_CHAT_COLUMNS = {
    "time": {"time", "date", "datetime", "timestamp", "时间", "日期"},
    "from": {"from", "sender", "发送者", "发送人", "发信人"},
    "to": {"to", "receiver", "recipient", "接收者", "接收人", "收信人"},
    "message": {"message", "content", "msg", "text", "消息", "内容"},
}
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# WHATWG treats these labels as their supersets; real pages labelled gb2312 hold GBK characters.
_CHARSET_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "latin1": "cp1252"}
_CHARSET_SUPERSETS |= {"iso-8859-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_SAFE_SCHEMES = {"http", "https", "ftp", "mailto"}


def extract_html(data: bytes) -> Extracted:
    """Extract the visible text of an HTML page; title from <title>, else the first <h1>."""
    text, encoding = decode_html(data)
    rendered, title = html_to_text(text)
    return make(rendered, title, "html", encoding)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode like decode(), but trust a <meta charset> when the bytes are not UTF-8 and it fits."""
    match = _META_CHARSET.search(data[:4096])
    if match and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            label = match.group(1).decode("ascii").lower()
            try:
                codec = codecs.lookup(_CHARSET_SUPERSETS.get(label, label)).name
                return data.decode(codec), codec
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong or unknown label: let the content decide
    return decode(data)


def html_to_text(markup: str, tables: list[str] | None = None) -> tuple[str, str]:
    """Render markup as plain text (tables one row per line) and return (text, title).

    With a tables list (markdown), whitespace is kept as written and each outermost table is
    appended to it and left in the text as the marker table_marker(index).
    """
    soup = parse(markup)
    title = _title(soup)
    render_inline(soup, keep_whitespace=tables is not None)
    for table in reversed(soup.find_all("table")):  # innermost first, so cells hold plain text
        rendered = "\n".join(table_lines(table))
        if tables is not None and len(tables) < 0xFFFE and table.find_parent("table") is None:
            tables.append(rendered)
            rendered = table_marker(len(tables) - 1)
        table.replace_with(f"\n{rendered}\n")
    return soup.get_text(), title


def table_marker(index: int) -> str:
    """A one-character stand-in for a rendered table (supplementary private use, plane 16)."""
    return chr(0x100000 + index)


def parse(markup: str) -> BeautifulSoup:
    """Parse with html.parser, dropping scripts, styles and comments; ExtractionError if refused."""
    with warnings.catch_warnings():
        # Warnings about markup that looks like a file name or XML: we parse whatever files hold.
        warnings.simplefilter("ignore", UnusualUsageWarning)
        try:
            soup = BeautifulSoup(markup, "html.parser")
        except (ParserRejectedMarkup, AssertionError) as exc:
            raise ExtractionError(f"unparseable HTML: {exc}") from exc
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for node in soup.find_all(string=lambda s: isinstance(s, _DROP_NODES)):
        node.extract()
    return soup


def render_inline(soup: BeautifulSoup, keep_whitespace: bool) -> None:
    """Turn images, links, line breaks and block boundaries into plain text, in place."""
    if not keep_whitespace:
        for node in soup.find_all(string=True):
            if not node.find_parent(["pre", "textarea"]):
                node.replace_with(re.sub(r"\s+", " ", node))
    for img in soup.find_all("img"):
        img.replace_with(_image_text(img))
    for link in soup.find_all("a"):
        link.replace_with(_link_text(link))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(_BLOCKS):
        block.insert_before("\n")
        block.insert_after("\n")


def table_lines(table: Tag) -> list[str]:
    """Render a table one line per row: chat tables as "TIME FROM -> TO: MESSAGE", others " | "."""
    rows = [
        [cell.get_text() for cell in row.find_all(["td", "th"], recursive=False)]
        for row in table.find_all("tr")
    ]
    rows = [[" ".join(cell.split()) for cell in row] for row in rows if row]
    columns = _chat_columns(rows[0]) if rows else None
    if columns is None:
        return [join_cells(row) for row in rows]
    return [_chat_line(row, columns) for row in rows[1:]]


def _chat_columns(header: list[str]) -> dict[str, int] | None:
    found = {}
    for i, name in enumerate(header):
        for role, names in _CHAT_COLUMNS.items():
            if name.lower() in names and role not in found:
                found[role] = i
    return found if len(found) == len(_CHAT_COLUMNS) else None


def _chat_line(row: list[str], columns: dict[str, int]) -> str:
    cell = {role: row[i] if i < len(row) else "" for role, i in columns.items()}
    line = f"{cell['time']} {cell['from']} -> {cell['to']}: {cell['message']}".rstrip()
    # Columns beyond the four (a type, a message id) are kept, never dropped.
    extra = [value for i, value in enumerate(row) if i not in columns.values() and value]
    return " | ".join([line, *extra])


def _title(soup: BeautifulSoup) -> str:
    for tag in (soup.title, soup.find("h1")):
        if tag is not None and tag.get_text().strip():
            return " ".join(tag.get_text().split())
    return ""


def _image_text(img: Tag) -> str:
    alt = " ".join(str(img.get("alt") or "").split())
    name = file_name(str(img.get("src") or ""))
    label = f"[image: {name}]" if name else "[image]"
    return f" {alt} {label} " if alt else f" {label} "


def _link_text(link: Tag) -> str:
    text = link.get_text()
    href = str(link.get("href") or "").strip()
    name = file_name(href)
    if not name or href.startswith("#"):
        return text  # javascript: and data: targets are not content
    if name == href and _scheme(href):
        return text if href in text else f"{text} ({href})"
    # A relative path: an attachment, whose file name is what researchers search for.
    return f"{text} [file: {name}]" if text.strip() and text.strip() != name else f"[file: {name}]"


def file_name(src: str) -> str:
    """Return the file name an attachment path points at, the whole URL for web addresses."""
    src = src.strip()
    scheme = _scheme(src)
    if scheme in _SAFE_SCHEMES:
        return src
    if scheme or not src:
        return ""  # javascript:, data: and the like name no file
    path = src.split("#")[0].split("?")[0].replace("\\", "/")
    return unquote(basename(path.rstrip("/"))) or src


def _scheme(url: str) -> str:
    # urlsplit raises on malformed hosts; only the scheme matters, and "C:" is a drive, not one.
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]+):", url)
    return match.group(1).lower() if match else ""
