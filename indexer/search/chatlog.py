"""A chat log read a window at a time: the messages around one, and where the query matched.

Matching messages are found through the index (each message is a document with its msg_index),
never by analysing the whole log; only the messages shown are read and marked up.
"""

from dataclasses import dataclass

import numpy as np
from whoosh import query as Q
from whoosh.searching import Searcher

from indexer.index.schema import TEXT_FIELDS
from indexer.search.gloss_html import PLAIN
from indexer.search.groups import ChatTable
from indexer.search.highlight import Pattern, mark, spans

WINDOW = 10  # messages shown before and after the current one on a log's page


@dataclass(frozen=True)
class ChatWindow:
    """The messages around the current one, and the way to the neighbouring matches and pages."""

    size: int  # messages in the log
    current: int  # msg_index the page is about: a match, or where plain paging stands
    rows: tuple[dict, ...]  # time, from, to, index, html, hit (matched the query), in log order
    matches: int  # messages of the log that match the query (0 without one)
    match_number: int  # 1-based rank of the current message among the matches, 0 if not one
    previous_match: int | None
    next_match: int | None
    earlier: int | None  # msg_index to centre on for the messages before this window
    later: int | None

    @property
    def first(self) -> int:
        return self.rows[0]["index"] if self.rows else 0

    @property
    def last(self) -> int:
        return self.rows[-1]["index"] if self.rows else 0


def message(stored: dict) -> dict:
    """A message's time, sender, recipient and place in its log."""
    return {
        "time": stored.get("msg_time", ""),
        "from": stored.get("sender", ""),
        "to": stored.get("recipient", ""),
        "index": stored.get("msg_index", 0),
    }


def rows(
    searcher: Searcher, docnums, pats: list[Pattern], hits=frozenset(), how: str = PLAIN
) -> tuple[dict, ...]:
    """Messages as shown: their text escaped, marked and glossed (how), `hit` if their number is
    in hits."""
    out = []
    for d in docnums:
        stored = searcher.stored_fields(int(d))
        text = stored.get("text", "")
        html = mark(text, spans(text, pats, TEXT_FIELDS), how)
        out.append({**message(stored), "html": html, "hit": int(d) in hits})
    return tuple(out)


def chat_window(
    searcher: Searcher,
    chats: ChatTable,
    log: int,
    matching: Q.Query | None,
    pats: list[Pattern],
    at: int | None = None,
    how: str = PLAIN,
) -> ChatWindow:
    """The window of a log's page around message `at` (else its first match, else its start).

    `matching` selects the log's messages that match the query (None: plain paging); `how` says
    whether their Chinese is glossed (gloss_html).
    """
    messages = chats.logs[log]
    size = len(messages)
    hit_ids = (
        np.fromiter(searcher.docs_for_query(matching), dtype=np.int64)
        if matching is not None
        else []
    )
    found = np.sort(chats.position[np.asarray(hit_ids, dtype=np.int64)])
    last = int(chats.position[messages[-1]])
    first = int(found[0]) if len(found) else 0
    current = first if at is None else min(max(at, 0), last)
    lo = max(0, min(current - WINDOW, last - 2 * WINDOW))
    hi = min(last, lo + 2 * WINDOW)
    shown = chats.around(log, lo, hi)
    before, after = np.searchsorted(found, current), np.searchsorted(found, current, "right")
    return ChatWindow(
        size=size,
        current=current,
        rows=rows(searcher, shown, pats, frozenset(int(d) for d in hit_ids), how),
        matches=len(found),
        match_number=int(after) if after > before else 0,
        previous_match=int(found[before - 1]) if before > 0 else None,
        next_match=int(found[after]) if after < len(found) else None,
        earlier=max(0, lo - WINDOW - 1) if lo > 0 else None,
        later=hi + WINDOW + 1 if hi < last else None,
    )
