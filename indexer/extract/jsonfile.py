"""JSON files (and JSON Lines): a "key.path: value" line per leaf; chat exports as chat lines."""

import json
from typing import Any

from indexer.extract.base import Extracted, ExtractionError, make
from indexer.extract.decode import decode
from indexer.extract.tables import CHAT_ROLES, chat_line

_TITLE_KEYS = ("title", "subject", "name")


def extract_json(data: bytes) -> Extracted:
    """Extract every string and number of a JSON document as readable lines."""
    text, encoding = decode(data)
    value = parse_json(text.lstrip("\ufeff"))
    lines: list[str] = []
    try:
        _walk(value, "", lines)
    except RecursionError as exc:  # chat lists nested in chat messages, hundreds deep
        raise ExtractionError("JSON nested too deeply") from exc
    title = ""
    if isinstance(value, dict):
        title = next((v for k in _TITLE_KEYS if isinstance(v := value.get(k), str)), "")
    return make("\n".join(lines), title, "json", encoding)


def parse_json(text: str) -> Any:
    """Parse JSON, or JSON Lines as a list; ExtractionError for anything else."""
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ExtractionError("invalid JSON: nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError, or an integer beyond Python's digit limit
        lines = [line for line in text.splitlines() if line.strip()]
        # JSON Lines (one document per line) is how many chat and log exports arrive.
        if getattr(exc, "msg", "") == "Extra data" and len(lines) > 1:
            try:
                return [json.loads(line) for line in lines]
            except (ValueError, RecursionError):
                pass
        raise ExtractionError(f"invalid JSON: {exc}") from exc


def _walk(value: Any, path: str, lines: list[str]) -> None:
    """Append "path: value" lines for every leaf, iteratively so deep nesting cannot overflow."""
    stack = [(path, value)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(reversed([(_join(path, str(k)), v) for k, v in value.items()]))
        elif isinstance(value, list):
            if is_chat(value):
                lines.extend(_chat_line(item) for item in value)
            else:
                stack.extend(reversed([(_join(path, str(i)), v) for i, v in enumerate(value)]))
        elif value is not None and value != "":
            lines.append(f"{path}: {_scalar(value)}" if path else _scalar(value))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def role_key(item: dict[str, Any], role: str) -> str | None:
    """The key of a chat record that holds a role (time, from, to, message), or None."""
    lowered = {str(k).lower(): k for k in item}
    return next((lowered[name] for name in CHAT_ROLES[role] if name in lowered), None)


def is_chat(items: list[Any]) -> bool:
    """True for a list of objects that each name a sender and a message."""
    dicts = [item for item in items if isinstance(item, dict)]
    if not dicts or len(dicts) < len(items):
        return False
    return all(role_key(d, "from") and role_key(d, "message") for d in dicts)


def _chat_line(item: dict[str, Any]) -> str:
    keys = {role: role_key(item, role) for role in CHAT_ROLES}
    cell = {role: _flat(item[key]) if key is not None else "" for role, key in keys.items()}
    # Other fields (attachments, ids, reply-to) are kept on the line, never dropped.
    extra: list[str] = []
    for key, value in item.items():
        if key not in keys.values():
            _walk(value, str(key), extra)
    return chat_line(cell["time"], cell["from"], cell["to"], cell["message"], extra)


def _flat(value: Any) -> str:
    if isinstance(value, dict | list):
        parts: list[str] = []
        _walk(value, "", parts)
        return " ".join(parts)
    return "" if value is None else _scalar(value)
