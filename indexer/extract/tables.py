"""How table rows and chat messages become lines of text; HTML, markdown, CSV and JSON share it."""

CHAT_ROLES = {
    "time": ("time", "date", "datetime", "timestamp", "create_time", "createtime", "时间", "日期"),
    "from": ("from", "sender", "sender_name", "author", "talker", "from_user", "发送者", "发送人"),
    "to": ("to", "receiver", "recipient", "to_user", "接收者", "接收人", "收信人"),
    "message": ("message", "content", "msg", "text", "body", "消息", "内容"),
}


def join_cells(cells: list[str]) -> str:
    """Join table cells into one searchable line, collapsing whitespace inside each cell."""
    return " | ".join(" ".join(cell.split()) for cell in cells)


def chat_line(time: str, sender: str, recipient: str, message: str, extra: list[str]) -> str:
    """Render one chat message as "TIME FROM -> TO: MESSAGE", extra fields after " | "."""
    line = f"{time} {sender} -> {recipient}: {message}".strip()
    return " | ".join([line, *(value for value in extra if value)])


def chat_columns(header: list[str]) -> dict[str, int] | None:
    """Map each chat role to its column when a header names all four (Time/From/To/Message)."""
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        for role, names in CHAT_ROLES.items():
            if " ".join(name.split()).lower() in names and role not in found:
                found[role] = i
                break
    return found if len(found) == len(CHAT_ROLES) else None


def row_lines(rows: list[list[str]]) -> list[str]:
    """Render rows a line each: chat tables as chat lines, others as cells joined by " | "."""
    columns = chat_columns(rows[0]) if rows else None
    if columns is None:
        return [join_cells(row) for row in rows]
    lines = []
    for row in rows[1:]:
        row = [" ".join(cell.split()) for cell in row]
        cell = {role: row[i] if i < len(row) else "" for role, i in columns.items()}
        # Columns beyond the four (a type, a message id) are kept, never dropped.
        extra = [value for i, value in enumerate(row) if i not in columns.values()]
        lines.append(chat_line(cell["time"], cell["from"], cell["to"], cell["message"], extra))
    return lines
