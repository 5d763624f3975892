#!/usr/bin/env python3
"""Compute and verify tests/labelled_translation.tsv: queries that cross languages.

Run with the project venv:

    .venv/bin/python tools/verify_translation_labels.py          # check the TSV
    .venv/bin/python tools/verify_translation_labels.py --write  # rewrite it

Labels are computed from the corpus text as tools/verify_labels.py computes them (same files,
decoding, folding and markup checks), never from the index or the dictionary:
* en-to-zh: an English query is relevant in every file holding it, in any inflection (its words'
  Snowball stems in a row: invoice, invoices, invoicing), or one of the Chinese words it means
  (verify_labels.MEANS, judged by hand);
* zh-to-en: a Chinese query is relevant in every file holding it (either script) or one of the
  English phrases it means, in any inflection.
Text is what a reader sees (markup stripped: an attribute such as type="password" is not text);
the broken/ files are not indexed and have no text. Check: the corpus holds every query and at
least one word of what it means.
"""

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.verify_labels import (  # noqa: E402
    HERE,
    MEANS,
    STEM,
    corpus_files,
    decode,
    fold,
    visible,
    zh_regex,
)

TSV = HERE.parent / "tests" / "labelled_translation.tsv"
EN_TO_ZH = [
    "trojan",
    "backdoor",
    "remote control",
    "compromised host",
    "privilege escalation",
    "credential stuffing",
    "penetration testing",
    "penetration",
    "vulnerability",
    "password",
    "database",
    "database dump",
    "chat log",
    "call records",
    "contact list",
    "phone number",
    "ID card",
    "passport",
    "public security bureau",
    "Ministry of Foreign Affairs",
    "telecom operator",
    "salary",
    "police",
    "hacker",
    "virus",
    "spy",
    "contract",
    "invoice",
    "reimbursement",
    "supplier",
    "customer",
    "meeting",
    "server",
    "mailbox",
    "hospital",
    "government",
    "bank",
    "website",
    "data",
    "project",
    "phishing email",
    "social engineering database",
    "telecommunications",
]
ZH_TO_EN = [
    "木马",
    "后门",
    "远控",
    "肉鸡",
    "提权",
    "撞库",
    "漏洞",
    "密码",
    "数据库",
    "聊天记录",
    "话单",
    "通讯录",
    "身份证",
    "公安局",
    "运营商",
    "工资",
    "服务器",
    "黑客",
    "病毒",
    "间谍",
    "医院",
    "政府",
    "供应商",
]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def stems(text: str) -> str:
    """The text's English words as Snowball stems, each between spaces."""
    return " " + " ".join(STEM.stemWord(w) for w in re.findall(r"[a-z0-9]+", text)) + " "


def needle(word: str):
    """A test of a file's (folded text, stemmed text) for the word."""
    if _CJK.search(word):
        pattern = re.compile(zh_regex(word))
        return lambda text, _: pattern.search(text) is not None
    stemmed = stems(word.lower())
    return lambda _, stemmed_text: stemmed in stemmed_text


def rows() -> list[tuple[str, str, list[str], list[str]]]:
    """(query, kind, its own needle, the needles of what it means)."""
    out = []
    for q in EN_TO_ZH:
        out.append((q, "en-to-zh", [needle(q)], [needle(w) for w in MEANS[q]]))
    for q in ZH_TO_EN:
        out.append((q, "zh-to-en", [needle(q)], [needle(w) for w in MEANS[q]]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="rewrite the TSV from the corpus")
    args = ap.parse_args()
    texts = {}
    for rel in corpus_files():
        text = None if rel.startswith("broken/") else decode(rel)
        if text is not None:
            seen = fold(visible(rel, text))
            texts[rel] = (seen, stems(seen))
    errors, computed = [], []

    def hits(tests) -> list[str]:
        return sorted(r for r, (t, st) in texts.items() if any(n(t, st) for n in tests))

    for query, kind, own, meant in rows():
        relevant = hits(own + meant)
        if not hits(own) or not hits(meant):
            errors.append(f"{query!r}: the corpus lacks it or what it means")
        computed.append((query, kind, relevant))

    if args.write:
        with TSV.open("w", encoding="utf-8", newline="\n") as f:
            f.write("query\tkind\trelevant\n")
            for query, kind, relevant in computed:
                f.write(f"{query}\t{kind}\t{','.join(relevant)}\n")
        print(f"wrote {TSV} ({len(computed)} rows)")
    on_disk = {}
    for line in TSV.read_text("utf-8").splitlines()[1:]:
        query, kind, relevant = line.split("\t")
        on_disk[(query, kind)] = relevant.split(",") if relevant else []
    want = {(q, k): r for q, k, r in computed}
    for key in sorted(set(on_disk) | set(want)):
        if on_disk.get(key) != want.get(key):
            errors.append(f"TSV mismatch {key}: tsv={on_disk.get(key)} corpus={want.get(key)}")
    kinds = {k: sum(1 for _, kk, _ in computed if kk == k) for k in ("en-to-zh", "zh-to-en")}
    print(f"{len(computed)} labelled queries: {kinds}")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
