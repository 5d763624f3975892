"""Chat messages in a file: rows of a Time/From/To/Message table, or records of a JSON export.

The extractors render a chat as lines of text; this module keeps each message apart, so the
index can hold every message as a unit of its own beside the whole log.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from indexer.extract.base import ExtractionError
from indexer.extract.decode import decode
from indexer.extract.html import decode_html, parse, render
from indexer.extract.jsonfile import is_chat, parse_json, role_key
from indexer.extract.tables import CHAT_ROLES, chat_columns

_MAX_DEPTH = 20  # how deep in a JSON document to look for a list of messages


@dataclass(frozen=True)
class Message:
    """One chat message; index is its place in the log, from 0."""

    index: int
    time: str
    sender: str
    recipient: str
    text: str


def find_messages(data: bytes, name: str) -> tuple[Message, ...]:
    """Every chat message in a file's bytes, in order; () for a file that holds no chat."""
    suffix = PurePosixPath(name).suffix.lower()
    try:
        if suffix in (".md", ".markdown", ".html", ".htm"):
            markup = decode_html(data)[0] if suffix in (".html", ".htm") else decode(data)[0]
            rows = _table_rows(markup)
        elif suffix in (".csv", ".tsv"):
            text = decode(data)[0].replace("\x00", "")
            rows = [
                list(
                    csv.reader(
                        io.StringIO(text, newline=""), "excel-tab" if suffix == ".tsv" else "excel"
                    )
                )
            ]
        elif suffix == ".json":
            rows = [_json_rows(parse_json(decode(data)[0].lstrip("\ufeff")))]
        else:
            return ()
    except (ExtractionError, csv.Error, RecursionError):
        return ()  # the extractor reports an unreadable file; here it simply holds no chat
    return tuple(_messages(rows))


def _table_rows(markup: str) -> list[list[list[str]]]:
    if "<table" not in markup.lower():
        return []
    tables = []
    for table in parse(markup).find_all("table"):
        tables.append(
            [
                [
                    " ".join(render(cell).split())
                    for cell in tr.find_all(["td", "th"], recursive=False)
                ]
                for tr in table.find_all("tr")
                if tr.find_parent("table") is table
            ]
        )
    return tables


def _json_rows(value: Any, depth: int = 0) -> list[list[str]]:
    """A chat list found in a JSON document as header + rows, or []."""
    if isinstance(value, list) and value and is_chat(value):
        header = list(CHAT_ROLES)
        rows = [[_text(item, role) for role in header] for item in value]
        return [header, *rows]
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    )
    for child in children:
        if depth < _MAX_DEPTH and (found := _json_rows(child, depth + 1)):
            return found
    return []


def _text(item: dict[str, Any], role: str) -> str:
    key = role_key(item, role)
    value = item.get(key) if key is not None else None
    return "" if value is None else " ".join(str(value).split())


def _messages(tables: list[list[list[str]]]):
    index = 0
    for rows in tables:
        columns = chat_columns(rows[0]) if rows else None
        if columns is None:
            continue
        for row in rows[1:]:
            cell = {role: row[i] if i < len(row) else "" for role, i in columns.items()}
            yield Message(index, cell["time"], cell["from"], cell["to"], cell["message"])
            index += 1
