"""Markdown files: chat logs held in HTML tables, escaped pipe tables, and ordinary prose."""

import re

from indexer.extract import html
from indexer.extract.base import Extracted, make
from indexer.extract.decode import decode
from indexer.extract.tables import join_cells

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n(.*?)(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(
    r"<((?:https?|ftp)://[^\s<>]+|mailto:[^\s<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>"
)
# Only real HTML tags go to the HTML parser; "<wxid_abc>" or "<admin>" in a chat is text.
_HTML_TAGS = (
    "a|abbr|b|blockquote|body|br|caption|center|code|col|colgroup|dd|del|details|div|dl|dt|em|"
    "embed|font|h[1-6]|head|hr|html|i|iframe|img|ins|kbd|li|link|mark|meta|noscript|object|ol|p|"
    "pre|s|script|section|small|span|strike|strong|style|sub|summary|sup|table|tbody|td|template|"
    "tfoot|th|thead|title|tr|tt|u|ul|video|audio|source|svg|form|input|button|textarea|select"
)
_NOT_A_TAG = re.compile(rf"<(?!/?(?:{_HTML_TAGS})(?=[\s/>])|!--|!\[CDATA\[|!doctype)", re.I)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SEPARATOR = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$")
_QUOTE_OR_BULLET = re.compile(r"^[ \t]*(?:>[ \t]?)*(?:[-*+][ \t]+(?:\[[ xX]\][ \t]+)?)?")
# "(target)" or "(target "title")"; one level of parentheses inside, as in Wikipedia URLs.
_TARGET = (
    r"\(\s*<?([^()\s>]{0,2000}(?:\([^()\s]{0,200}\)[^()\s>]{0,200})?)>?"
    r"(?:\s+[\"'(][^)\n]{0,500})?\s*\)"
)
_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]" + _TARGET)
_LINK = re.compile(r"\[([^\]\n]{0,500})\]" + _TARGET)
_REF_LINK = re.compile(r"\[([^\]\n]{1,500})\]\[[^\]\n]{0,500}\]")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]\n]{1,500})\]:[ \t]*<?(\S+?)>?(?:[ \t]+[\"'(].*)?$")
_CODE = re.compile(r"(`+)([^`\n]{1,2000}?)\1")
_EMPHASIS = (
    re.compile(r"\*\*(?=\S)([^\n]{1,500}?)(?<=\S)\*\*"),
    re.compile(r"(?<![\w_])__(?=\S)([^\n]{1,500}?)(?<=\S)__(?![\w_])"),
    re.compile(r"(?<!\*)\*([^\s*](?:[^*\n]{0,500}?[^\s*])?)\*(?!\*)"),
    re.compile(r"(?<![\w_])_([^\s_](?:[^_\n]{0,500}?[^\s_])?)_(?![\w_])"),
    re.compile(r"~~(?=\S)([^\n]{1,500}?)(?<=\S)~~"),
)
_HIDDEN = 0xF0000  # escaped ASCII punctuation rides in plane-15 private use until the end
_UNHIDE = {_HIDDEN + code: code for code in range(0x21, 0x7F)}
# Markdown leaves raw HTML alone, so backslashes inside HTML tables (chat messages) stay as typed.
_RAW = {_HIDDEN + code: "\\" + chr(code) for code in range(0x21, 0x7F)}
_ONLY_LABELS = re.compile(r"(?:\s*\[(?:image|file)(?::[^\]\n]*)?\])+\s*")


def extract_markdown(data: bytes) -> Extracted:
    """Extract markdown as plain text; title from the first heading, else the first line."""
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts, titles, pos = [], [], 0
    for fence in _FENCE.finditer(text):
        parts.append(_prose(text[pos : fence.start()], titles))
        parts.append(fence.group(2))  # code is content: kept exactly, markup and all
        pos = fence.end()
    parts.append(_prose(text[pos:], titles))
    text = "\n".join(parts)
    title = titles[0] if titles else _first_text_line(text)
    return make(text, title.translate(_UNHIDE), "md", encoding)


def _first_text_line(text: str) -> str:
    """The first line with words in it: a scanned document's first line is often just its image."""
    lines = (line.strip() for line in text.splitlines())
    return next((line for line in lines if line and not _ONLY_LABELS.fullmatch(line)), "")


def _prose(text: str, titles: list[str]) -> str:
    """Render a markdown stretch outside code fences; append its headings to titles."""
    text = _ESCAPE.sub(lambda m: _hide(m.group(1)), text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _NOT_A_TAG.sub("&lt;", text)
    tables: list[str] = []
    text, html_title = html.html_to_text(text, tables)
    lines = _lines(text.split("\n"), titles)
    if html_title:
        titles.append(html_title)
    text = "\n".join(lines)
    for index, rendered in enumerate(tables):
        text = text.replace(html.table_marker(index), rendered.translate(_RAW))
    return text.translate(_UNHIDE)


def _lines(lines: list[str], titles: list[str]) -> list[str]:
    out: list[str] = []
    in_table = False
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _SEPARATOR.match(line) and "|" in line:
            in_table = True
            continue  # the |---|---| row under a table header
        if "|" in line and (
            in_table or line.lstrip().startswith("|") or _SEPARATOR.match(following)
        ):
            in_table = True
            out.append(join_cells(_cells(line)))
            continue
        in_table = False
        if out and out[-1].strip() and _SETEXT.match(line) and not _RULE.match(lines[i - 1]):
            titles.append(out[-1].strip())
            continue  # the ==== or ---- under a setext heading
        if _RULE.match(line):
            continue
        heading = _ATX.match(line)
        if heading:
            line = heading.group(2) or ""
            titles.append(_inline(line).strip())
        out.append(_inline(_QUOTE_OR_BULLET.sub("", line)).strip())
    return out


def _cells(line: str) -> list[str]:
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") else line
    return [_inline(cell).strip() for cell in line.split("|")]


def _inline(text: str) -> str:
    """Strip inline markdown: code spans, images, links, emphasis; keep their words and targets."""
    text = _CODE.sub(lambda m: "".join(_hide(ch) for ch in m.group(2)), text)
    text = _IMAGE.sub(_image, text)
    text = _REF_DEF.sub(r"\1: \2", text)
    text = _LINK.sub(_link, text)
    text = _REF_LINK.sub(r"\1", text)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    return text


def _image(match: re.Match[str]) -> str:
    alt, name = match.group(1).strip(), html.file_name(match.group(2))
    label = _hide("[") + (f"image: {name}" if name else "image") + _hide("]")
    return f"{alt} {label}" if alt else label


def _link(match: re.Match[str]) -> str:
    text, url = match.group(1).strip(), match.group(2)
    return url if not text or text == url else f"{text} ({url})" if url else text


def _hide(ch: str) -> str:
    """Shield ASCII punctuation from the markdown patterns; other characters pass through."""
    return chr(_HIDDEN + ord(ch)) if "!" <= ch <= "~" and not ch.isalnum() else ch
