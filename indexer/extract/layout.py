"""Recognised text lines, each with its box on the image, put into reading order."""

import json
import re
from dataclasses import dataclass

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Cells further apart than this many line heights are a table's columns (or a chat's two sides),
# joined by two spaces as tidy_spaces leaves Tesseract's; closer boxes are one line's words.
COLUMN_GAP = 1.0


@dataclass(frozen=True)
class Line:
    """One recognised line: its text and its box (left, top, right, bottom) in image pixels."""

    text: str
    box: tuple[int, int, int, int]

    @property
    def height(self) -> int:
        return max(1, self.box[3] - self.box[1])


def reading_order(lines: list[Line]) -> str:
    """Text of lines top to bottom, the boxes of one row (table cells) joined left to right."""
    return "\n".join(_join_row(row) for row in rows(lines))


def rows(lines: list[Line]) -> list[list[Line]]:
    """Group lines into rows: boxes sharing most of their height, each row sorted left to right."""
    grouped: list[list[Line]] = []
    for line in sorted(lines, key=lambda line: (line.box[1] + line.box[3]) / 2):
        row = grouped[-1] if grouped else None
        if row and _same_row(row[0], line):
            row.append(line)
        else:
            grouped.append([line])
    return [sorted(row, key=lambda line: line.box[0]) for row in grouped]


def _same_row(first: Line, line: Line) -> bool:
    # Half the smaller height: a cell a few pixels lower is the same row, the next line is not.
    overlap = min(first.box[3], line.box[3]) - max(first.box[1], line.box[1])
    return overlap >= 0.5 * min(first.height, line.height)


def _join_row(row: list[Line]) -> str:
    text = row[0].text
    for before, line in zip(row, row[1:], strict=False):
        gap = line.box[0] - before.box[2]
        if gap > COLUMN_GAP * min(before.height, line.height):
            text += "  "
        elif not (_CJK.match(line.text[:1]) and _CJK.match(before.text[-1:])):
            text += " "
        text += line.text
    return text


def lines_to_json(lines: list[Line]) -> str:
    """Lines as compact JSON, [[left, top, right, bottom, text], ...], for the OCR cache."""
    return json.dumps([[*line.box, line.text] for line in lines], ensure_ascii=False)


def lines_from_json(data: str) -> list[Line]:
    """The lines lines_to_json wrote."""
    return [Line(row[4], (row[0], row[1], row[2], row[3])) for row in json.loads(data)]
