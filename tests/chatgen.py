"""Long chat logs shaped like the real leak's: HTML tables of thousands of messages over years.

Messages are recombined from corpus_sample's chat lines (fictional), so the same seed writes the
same bytes. Used where size matters: date filters over many months, grouped chat hits, paging a
log's document page, fuzzing.

    python -m tests.chatgen OUT_DIR [--logs 3] [--messages 10000]
"""

import argparse
import datetime as dt
import random
import re
from functools import cache
from html import escape
from pathlib import Path

SAMPLE_CHAT = Path(__file__).parent.parent / "corpus_sample" / "chat"
_CELL = re.compile(r"<td>(.*?)</td>", re.S)
SENDERS = ("阿飞", "wxid_q8m2x7c4n1p5z3", "老王", "wxid_k2j9a8b7c6d5e4", "Kevin", "小陈")
START = dt.datetime(2018, 3, 1, 9, 0, 0)
# Four years and more: a log of 10,000 messages spans about 50 months.
MEAN_GAP = dt.timedelta(hours=4)


@cache
def message_pool() -> tuple[str, ...]:
    """Message texts of corpus_sample's chat logs, markup included (links stay links)."""
    found: list[str] = []
    for path in sorted(SAMPLE_CHAT.glob("*.md")):
        for row in path.read_text("utf-8").split("<tr>")[1:]:
            cells = _CELL.findall(row)
            if len(cells) == 4:
                found.append(cells[3])
    return tuple(found)


def chat_log(messages: int, seed: int, start: dt.datetime = START) -> str:
    """One chat log as the leak's markdown files hold it: a Time / From / To / Message table."""
    rng = random.Random(seed)
    pool = message_pool()
    when = start
    rows = ["<table>", "<tr><th>Time</th><th>From</th><th>To</th><th>Message</th></tr>"]
    for i in range(messages):
        when += dt.timedelta(seconds=int(rng.expovariate(1 / MEAN_GAP.total_seconds())))
        sender, recipient = rng.sample(SENDERS, 2)
        text = pool[rng.randrange(len(pool))]
        if i % 97 == 0:  # a findable marker with a number, in every few hundred messages
            text += f" 批次{i // 97}号"
        rows.append(
            f"<tr><td>{when:%Y-%m-%d %H:%M:%S}</td><td>{escape(sender)}</td>"
            f"<td>{escape(recipient)}</td><td>{text}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows) + "\n"


def write_chat_corpus(dest: Path, logs: int = 3, messages: int = 10_000, seed: int = 1) -> Path:
    """dest/chat/N.md for N in range(logs), each log `messages` long, starting months apart."""
    folder = dest / "chat"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(logs):
        start = START + dt.timedelta(days=45 * n)
        (folder / f"{n}.md").write_text(chat_log(messages, seed + n, start), "utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--logs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_chat_corpus(args.out, args.logs, args.messages, args.seed)


if __name__ == "__main__":
    main()
