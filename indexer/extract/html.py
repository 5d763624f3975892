"""HTML files, and the HTML renderer the markdown extractor shares: tables row per line, no tags."""

import codecs
import re
import warnings
from posixpath import basename
from urllib.parse import unquote

from bs4 import BeautifulSoup, NavigableString, ParserRejectedMarkup, Tag, UnusualUsageWarning
from bs4.element import Comment, Declaration, Doctype, PageElement, ProcessingInstruction

from indexer.extract.base import Extracted, ExtractionError, make
from indexer.extract.decode import decode
from indexer.extract.tables import row_lines

_DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "applet"}
_DROP_NODES = (Comment, Declaration, Doctype, ProcessingInstruction)
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
    "blockquote", "section", "article", "header", "footer", "nav", "aside", "main", "figure",
    "figcaption", "address", "hr", "form", "fieldset", "caption", "title", "details", "summary",
    "tr",
}  # fmt: skip
_SPACES = re.compile(r"\s+")
_END_PRE = "</pre>"  # a stack mark compared by identity, never emitted
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# WHATWG treats these labels as their supersets; real pages labelled gb2312 hold GBK characters.
_CHARSET_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "latin1": "cp1252"}
_CHARSET_SUPERSETS |= {"iso-8859-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_SAFE_SCHEMES = {"http", "https", "ftp", "mailto"}


def extract_html(data: bytes) -> Extracted:
    """Extract the visible text of an HTML page; title from <title>, else the first <h1>."""
    text, encoding = decode_html(data)
    rendered, title = html_to_text(text)
    # Inline elements leave stray spaces at line edges and doubled between words.
    lines = (_SPACES.sub(" ", line).strip() for line in rendered.split("\n"))
    return make("\n".join(lines), title, "html", encoding)


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
    try:
        return render(soup, keep_whitespace=tables is not None, tables=tables), _title(soup)
    except RecursionError as exc:  # links or tables nested thousands deep
        raise ExtractionError("HTML nested too deeply") from exc


def table_marker(index: int) -> str:
    """A one-character stand-in for a rendered table (supplementary private use, plane 16)."""
    return chr(0x100000 + index)


def parse(markup: str) -> BeautifulSoup:
    """Parse with html.parser; ExtractionError if the parser refuses the markup."""
    with warnings.catch_warnings():
        # Warnings about markup that looks like a file name or XML: we parse whatever files hold.
        warnings.simplefilter("ignore", UnusualUsageWarning)
        try:
            return BeautifulSoup(markup, "html.parser")
        except (ParserRejectedMarkup, AssertionError) as exc:
            raise ExtractionError(f"unparseable HTML: {exc}") from exc


def render(node: Tag, keep_whitespace: bool = False, tables: list[str] | None = None) -> str:
    """Return node's visible text: blocks on their own lines, tables a row per line, no scripts."""
    # An explicit stack and no tree edits: bs4's own edits cost O(depth) each, and hostile
    # pages nest tens of thousands deep.
    out: list[str] = []
    stack: list[PageElement | str] = list(reversed(node.contents))
    pre = 0
    while stack:
        item = stack.pop()
        if item is _END_PRE:
            pre -= 1
        elif isinstance(item, NavigableString):
            if not isinstance(item, _DROP_NODES):
                out.append(item if keep_whitespace or pre else _SPACES.sub(" ", item))
        elif isinstance(item, str):
            out.append(item)  # the newline that closes a block, pushed before its children
        elif not isinstance(item, Tag) or item.name in _DROP_TAGS:
            continue
        elif item.name == "table":
            out.append(f"\n{_table(item, tables)}\n")
        elif item.name in _REPLACED:
            out.append(_REPLACED[item.name](item))
        else:
            if item.name in ("pre", "textarea"):
                pre += 1
                stack.append(_END_PRE)
            if item.name in _BLOCKS:
                out.append("\n")
                stack.append("\n")
            stack.extend(reversed(item.contents))
    return "".join(out)


def _table(table: Tag, tables: list[str] | None) -> str:
    rendered = "\n".join(table_lines(table))
    if tables is None or len(tables) >= 0xFFFE:
        return rendered
    tables.append(rendered)
    return table_marker(len(tables) - 1)


def table_lines(table: Tag) -> list[str]:
    """Render a table one line per row: chat tables as "TIME FROM -> TO: MESSAGE", others " | "."""
    rows = [
        [render(cell) for cell in row.find_all(["td", "th"], recursive=False)]
        for row in table.find_all("tr")
        if row.find_parent("table") is table  # rows of nested tables render inside their cell
    ]
    return row_lines([row for row in rows if row])


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
    text = render(link)
    href = str(link.get("href") or "").strip()
    name = file_name(href)
    if not name or href.startswith("#"):
        return text  # javascript: and data: targets are not content
    if name == href and _scheme(href):
        return text if href in text else f"{text} ({href})"
    # A relative path: an attachment, whose file name is what researchers search for.
    return f"{text} [file: {name}]" if text.strip() and text.strip() != name else f"[file: {name}]"


_REPLACED = {"img": _image_text, "a": _link_text, "br": lambda _: "\n"}


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
