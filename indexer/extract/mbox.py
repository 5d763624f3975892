"""Unix mailboxes (.mbox): each message becomes an .eml child; the text lists the messages."""

import dataclasses
import re
from email.parser import BytesHeaderParser
from email.policy import default

from indexer.extract.base import Child, Extracted, ExtractionError, make
from indexer.extract.email import header

# A separator is a "From " line carrying a time of day ("From sender Thu Nov 17 10:02:27 2005"):
# writers that forget to escape "From " at the start of a body line write prose there, not times.
_SEPARATOR = re.compile(rb"^From \S+ [^\r\n]*\d\d:\d\d[^\r\n]*\r?\n", re.MULTILINE)
# mboxrd writers quote body lines ">From " (and ">>From " ...) with one more ">" each.
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


def extract_mbox(data: bytes) -> Extracted:
    """Split a mailbox into messages: one "date | from | subject" line and one child each."""
    starts = list(_SEPARATOR.finditer(data))
    if not starts or data[: starts[0].start()].strip():
        raise ExtractionError("not an mbox file: it does not start with a 'From ' line")
    ends = [match.start() for match in starts[1:]] + [len(data)]
    messages = [
        _QUOTED_FROM.sub(rb"\1", data[m.end() : end]) for m, end in zip(starts, ends, strict=True)
    ]
    width = max(4, len(str(len(messages))))
    parser = BytesHeaderParser(policy=default)
    lines, children = [], []
    for number, message in enumerate(messages, start=1):
        headers = parser.parsebytes(message)
        fields = (header(headers, key) or "-" for key in ("date", "from", "subject"))
        lines.append(" | ".join(fields))
        children.append(Child(name=f"message-{number:0{width}d}.eml", data=message))
    # The mailbox's file name titles it better than its first message does.
    extracted = make("\n".join(lines), "", "mbox", "utf-8")
    return dataclasses.replace(extracted, title="", children=tuple(children))
