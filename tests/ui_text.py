"""What a page in the Chinese interface may still show in Latin letters: data, and nothing else.

A page's visible text (and its title, tooltips and labels) is split into Latin words; each must
come from the data the page shows (the stored fields of the documents it links to, the facet
values it lists, the query), be a word the Chinese labels themselves hold (query syntax such as
`country:IN`), or be a name (leaksearch, and English as the switch back to it).
"""

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from whoosh import index as whoosh_index
from whoosh import query as Q

LABELS = Path(__file__).parent.parent / "search_web" / "labels.json"
TEMPLATES = Path(__file__).parent.parent / "search_web" / "templates"
WORD = re.compile(r"[A-Za-z]{2,}")
NAMES = {"leaksearch", "English", "CSV", "JSONL"}  # names: the tool, a language, formats
# Fields a page shows as labels, not as data: their codes (zh, en, und, message) must be named.
NOT_DATA = ("lang", "kind")


def labels() -> dict[str, dict[str, str]]:
    return json.loads(LABELS.read_text("utf-8"))


def label_keys_used() -> set[str]:
    """Every literal label key the templates ask t() for."""
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"\bt\('([\w-]+)'\)", template.read_text("utf-8")))
    return used


def allowed_words() -> set[str]:
    return NAMES | {w for v in labels()["zh"].values() for w in WORD.findall(v)}


def visible_text(html: str) -> str:
    """What a reader sees or hears: text, the title, tooltips, labels and button values."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    parts = [soup.get_text(" ")]
    for tag in soup.find_all(True):
        parts += [tag.get(a, "") for a in ("title", "aria-label", "placeholder", "alt")]
    return " ".join(parts)


def data_words(html: str, index_dir: Path) -> set[str]:
    """Latin words of the data a page shows: its documents' fields, facet values, the query."""
    soup = BeautifulSoup(html, "html.parser")
    paths = {
        unquote(urlsplit(a["href"]).path).removeprefix("/doc/")
        for a in soup.find_all("a", href=True)
        if urlsplit(a["href"]).path.startswith("/doc/")
    }
    values = [el["data-value"] for el in soup.find_all(attrs={"data-value": True})]
    values += [el.get("value", "") for el in soup.find_all("input")]
    with whoosh_index.open_dir(index_dir).searcher() as searcher:
        for path in paths:
            for fields in searcher.search(Q.Term("path", path), limit=None):
                values += [
                    str(v) for k, v in fields.fields().items() if k not in (*NOT_DATA, "meta")
                ]
                values += [str(v) for v in (fields.get("meta") or {}).values()]
    for row in soup.select("table.failures td"):
        values.append(row.get_text())
    return {w for v in values for w in WORD.findall(v)}


def english_left(html: str, index_dir: Path) -> list[str]:
    """Latin words of a Chinese page that are neither data nor allowed."""
    data = data_words(html, index_dir)
    ok = allowed_words() | data
    text = visible_text(html)
    left = set()
    for found in WORD.finditer(text):
        word, start, end = found.group(), found.start(), found.end()
        # A snippet cuts words at its ends (…ds): a piece of a data word there is data.
        cut = "…" in (text[:start].rstrip()[-1:], text[end:].lstrip()[:1])
        if word not in ok and not (cut and any(word in d for d in data)):
            left.add(word)
    return sorted(left)
