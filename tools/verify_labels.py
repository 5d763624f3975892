#!/usr/bin/env python3
"""Compute and verify tests/labelled_queries.tsv against the fictional sample corpus.

Run with the project venv (needs opencc, pypinyin, beautifulsoup4, pystemmer):

    .venv/bin/python tools/verify_labels.py          # check the TSV
    .venv/bin/python tools/verify_labels.py --write  # rewrite it

How a label is computed
-----------------------
* Every corpus file is read and decoded with its real encoding (ENCODINGS below; UTF-8
  otherwise, strictly). broken/garbage.txt is binary and has no text. The tooling files at
  the top of corpus_sample/ (README.md, make_encoded.py, verify_labels.py) are NOT corpus.
* Text is folded Traditional -> Simplified with opencc "t2s" and lower-cased; Chinese
  needles are folded the same way and matched as substrings.
* English needles match case-insensitively between non-alphanumeric boundaries
  ("India" matches "India's" and "India的" but not "Indian"; the corpus avoids demonyms).
* A query's relevant set is every file whose text contains any of the query's needles:
  - Chinese words: the word in either script (资料 / 資料).
  - Translations (MEANS): what a query means in the other language, judged by hand (hospital:
    医院; 数据: data, in the singular or plural); tools/verify_translation_labels.py labels
    tests/labelled_translation.tsv with the same table.
  - Countries: every name of the country in either language (印度 / India). 印度 does not
    count inside 印度尼西亚 (Indonesia) and 蒙古 does not count inside 内蒙古.
  - Company aliases: 安洵 / Anxun / i-Soon / iSoon / Auxun.
  - Pinyin: the Chinese word(s) with that reading.
Consistency checks (any failure makes the script exit non-zero):
* every needle hit must also be visible after stripping markup (HTML tags/attributes,
  <script>/<style>, markdown backslash escapes), so a label never depends on markup;
* every file that names the company in Latin letters also contains 安洵 (so pinyin,
  alias and Chinese queries for the company share one relevant set);
* pinyin queries (joined/spaced/run/ü) match no other Chinese string in the corpus than
  the intended words, checked with pypinyin over all readings of every character;
  no Latin token in the corpus equals a pinyin query;
* pinyin-rare-reading queries match, over all readings, exactly the intended words and
  their listed decoys, and each decoy is in the corpus and is not the query in
  pypinyin's reading of its own context (能完成 reads neng wan cheng, not tai wan): the
  decoys are not relevant, so the row measures precision;
* acronym queries (MSS) are relevant where the letters stand as a word; their initials
  reading must reach a Chinese string in files without the acronym (没说啥), so the row
  measures precision;
* English queries: no other inflection (same Snowball stem) occurs outside the set;
* Traditional queries fold to the intended Simplified word;
* no demonym (Indian, Thai, ...) occurs, and no needle hits the broken/ files.
"""

import argparse
import re
import sys
from pathlib import Path

import opencc
import Stemmer
from bs4 import BeautifulSoup
from pypinyin import Style, lazy_pinyin, pinyin

HERE = Path(__file__).resolve().parents[1] / "corpus_sample"
TSV = HERE.parent / "tests" / "labelled_queries.tsv"
# The folders the labels cover; the format samples (office/, containers/, screenshots/) are
# tested by their own tests and their text is out of this script's reach.
LABELLED = ("chat/", "docs/", "targets/", "notes/", "web/", "data/", "encoded/", "broken/")
ENCODINGS = {
    "encoded/weekly_report_gbk.txt": "gbk",
    "encoded/taiwan_notes_big5.txt": "big5",
    "encoded/meeting_minutes_utf16.txt": "utf-16",
    "encoded/delivery_readme_utf8bom.md": "utf-8-sig",
}
BINARY = {"broken/garbage.txt"}

T2S = opencc.OpenCC("t2s")
STEM = Stemmer.Stemmer("english")


def fold(s: str) -> str:
    return T2S.convert(s).lower()


# --------------------------------------------------------------------------- needles

COUNTRIES = {
    "india": (["印度"], ["india"]),
    "pakistan": (["巴基斯坦"], ["pakistan"]),
    "nepal": (["尼泊尔"], ["nepal"]),
    "myanmar": (["缅甸"], ["myanmar", "burma"]),
    "mongolia": (["蒙古"], ["mongolia"]),
    "malaysia": (["马来西亚"], ["malaysia"]),
    "thailand": (["泰国"], ["thailand"]),
    "vietnam": (["越南"], ["vietnam", "viet nam"]),
    "kazakhstan": (["哈萨克斯坦"], ["kazakhstan"]),
    "hong kong": (["香港"], ["hong kong", "hongkong"]),
    "taiwan": (["台湾"], ["taiwan"]),
    "turkey": (["土耳其"], ["turkey", "türkiye"]),
    "south korea": (["韩国", "南韩"], ["south korea"]),
}
# Chinese needles that must not count when they are part of a longer, different name.
ZH_EXCLUDE = {"印度": r"印度(?!尼西亚)", "蒙古": r"(?<!内)蒙古"}
COMPANY_ZH = ["安洵"]
COMPANY_EN = ["anxun", "auxun", "i-soon", "isoon"]
DEMONYMS = [
    "indian",
    "pakistani",
    "nepali",
    "nepalese",
    "burmese",
    "mongolian",
    "malaysian",
    "thai",
    "vietnamese",
    "kazakh",
    "taiwanese",
    "turkish",
    "korean",
    "hongkonger",
]


def zh_regex(word: str) -> str:
    w = fold(word)
    return ZH_EXCLUDE.get(w, re.escape(w))


def en_regex(word: str) -> str:
    parts = [re.escape(p) for p in word.lower().split()]
    return r"(?<![a-z0-9])" + r"\s+".join(parts) + r"(?![a-z0-9])"


def country(name: str) -> list[str]:
    zh, en = COUNTRIES[name]
    return [zh_regex(w) for w in zh] + [en_regex(w) for w in en]


def company() -> list[str]:
    return [zh_regex(w) for w in COMPANY_ZH] + [en_regex(w) for w in COMPANY_EN]


def zh(*words: str) -> list[str]:
    return [zh_regex(w) for w in words]


def plural(phrase: str) -> str:
    """The phrase with its last word in the plural (bureau -> bureaus, policy -> policies)."""
    if re.search(r"[^aeiou]y$", phrase):
        return phrase[:-1] + "ies"
    return phrase + ("es" if re.search(r"(s|x|ch|sh)$", phrase) else "s")


def en_forms(*phrases: str) -> list[str]:
    """English phrases in the singular and the plural, as the index's stemming finds them."""
    return [en_regex(f) for p in phrases for f in dict.fromkeys((p, plural(p)))]


# What a query also means in the other language: an English query's Chinese words, a Chinese
# query's English phrases. Judged by hand for this corpus, not read from the dictionary; the
# search translates through CC-CEDICT and indexer/data/translations.tsv (translate.py).
MEANS = {
    # English -> Chinese
    "passport": ["护照"],
    "hospital": ["医院"],
    "phishing": ["钓鱼"],
    "subscriber": ["用户"],
    "payroll": ["工资"],
    "trojan": ["木马"],
    "backdoor": ["后门"],
    "remote control": ["远控", "远程控制"],
    "compromised host": ["肉鸡"],
    "privilege escalation": ["提权"],
    "credential stuffing": ["撞库"],
    "penetration testing": ["渗透测试"],
    "penetration": ["渗透"],
    "vulnerability": ["漏洞"],
    "password": ["密码"],
    "database": ["数据库"],
    "database dump": ["拖库", "脱库"],
    "chat log": ["聊天记录"],
    "call records": ["话单", "通话记录"],
    "contact list": ["通讯录"],
    "phone number": ["手机号", "电话号码"],
    "ID card": ["身份证"],
    "public security bureau": ["公安局"],
    "Ministry of Foreign Affairs": ["外交部", "foreign ministry"],
    "telecom operator": ["运营商"],
    "salary": ["工资", "薪资"],
    "police": ["警察", "警方"],
    "hacker": ["黑客"],
    "virus": ["病毒"],
    "spy": ["间谍"],
    "contract": ["合同"],
    "invoice": ["发票"],
    "reimbursement": ["报销"],
    "supplier": ["供应商"],
    "customer": ["客户"],
    "meeting": ["会议"],
    "server": ["服务器"],
    "mailbox": ["邮箱"],
    "government": ["政府"],
    "bank": ["银行"],
    "website": ["网站"],
    "data": ["数据"],
    "project": ["项目"],
    "phishing email": ["钓鱼邮件"],
    "social engineering database": ["社工库"],
    "telecommunications": ["电信"],
    # Chinese -> English
    "外交部": ["Ministry of Foreign Affairs", "foreign ministry", "MFA"],
    "话单": ["call records", "call detail records", "CDR"],
    "数据": ["data"],
    "政府": ["government"],
    "电信": ["telecommunications"],
    "银行": ["bank"],
    "工资": ["salary", "wages", "payroll"],
    "邮箱": ["mailbox", "email account"],
    "医院": ["hospital"],
    "渗透": ["penetration", "infiltration"],
    "护照": ["passport"],
    "系统": ["system"],
    "网站": ["website"],
    "木马": ["trojan", "trojan horse", "remote access trojan"],
    "后门": ["backdoor"],
    "远控": ["remote control", "remote access trojan"],
    "肉鸡": ["compromised host", "zombie host"],
    "提权": ["privilege escalation"],
    "撞库": ["credential stuffing"],
    "漏洞": ["vulnerability", "exploit"],
    "密码": ["password"],
    "数据库": ["database"],
    "聊天记录": ["chat log", "chat record", "chat history"],
    "通讯录": ["contact list", "address book"],
    "身份证": ["identity card", "ID card"],
    "公安局": ["public security bureau", "PSB"],
    "运营商": ["telecom operator", "telecommunications operator", "mobile operator"],
    "服务器": ["server"],
    "黑客": ["hacker"],
    "病毒": ["virus"],
    "间谍": ["spy"],
    "供应商": ["supplier"],
}


def meant(*queries: str) -> list[str]:
    """The needles of what the queries mean in the other language (MEANS)."""
    found = []
    for q in queries:
        for w in MEANS.get(fold(q), MEANS.get(q, [])):
            found += [zh_regex(w)] if re.search(r"[\u4e00-\u9fff]", w) else en_forms(w)
    return found


def en(*words: str) -> list[str]:
    return [en_regex(w) for w in words]


# (query, kind, needle regexes, intended Chinese words for pinyin checks)
Q = []


# Kinds whose queries are translated when they run (typed pinyin, names and aliases are not).
TRANSLATED = ("zh-word", "zh-substring", "traditional", "simplified-for-traditional", "english")


def add(query, kind, needles, words=()):
    extra = meant(query) if kind in TRANSLATED else []
    Q.append((query, kind, needles + extra, tuple(words)))


for w in ["外交部", "话单", "数据", "政府", "电信", "安洵", "银行", "工资", "邮箱", "医院"]:
    add(w, "zh-word", company() if w == "安洵" else zh(w))
for w in ["外交", "安洵信", "洵信息", "运营", "渗透"]:
    add(w, "zh-substring", zh(w))

PINYIN = [
    ("anxun", "pinyin-joined", ["安洵"]),
    ("yinhang", "pinyin-joined", ["银行"]),
    ("waijiaobu", "pinyin-joined", ["外交部"]),
    ("dianxin", "pinyin-joined", ["电信"]),
    ("zhengfu", "pinyin-joined", ["政府"]),
    ("shuju", "pinyin-joined", ["数据"]),
    ("chongqing", "pinyin-joined", ["重庆"]),
    ("changan", "pinyin-joined", ["长安"]),
    ("huadan", "pinyin-joined", ["话单"]),
    ("youxiang", "pinyin-joined", ["邮箱"]),
    ("an xun", "pinyin-spaced", ["安洵"]),
    ("yin hang", "pinyin-spaced", ["银行"]),
    ("wai jiao bu", "pinyin-spaced", ["外交部"]),
    ("chong qing", "pinyin-spaced", ["重庆"]),
    ("chang an", "pinyin-spaced", ["长安"]),
    ("zheng fu", "pinyin-spaced", ["政府"]),
    ("anxunxinxi", "pinyin-run", ["安洵信息"]),
    ("yinduwaijiaobu", "pinyin-run", ["印度外交部"]),
    ("yuenanwaijiaobu", "pinyin-run", ["越南外交部"]),
    ("yunyingshanghuadan", "pinyin-run", ["运营商话单"]),
    ("ax", "pinyin-initials", ["安洵"]),
    ("wjb", "pinyin-initials", ["外交部"]),
    ("yh", "pinyin-initials", ["银行"]),
    ("hd", "pinyin-initials", ["话单"]),
    ("cq", "pinyin-initials", ["重庆"]),
    ("lvse", "pinyin-v", ["绿色"]),
    ("luse", "pinyin-v", ["绿色"]),
    ("lüse", "pinyin-v", ["绿色"]),
    ("nv", "pinyin-v", ["女"]),
    ("nü", "pinyin-v", ["女"]),
]
for query, kind, words in PINYIN:
    # The company's pinyin shares the company's relevant set (checked: every Latin-alias
    # file also contains 安洵, so this equals "files containing 安洵").
    needles = company() if words == ["安洵"] else zh(*words)
    add(query, kind, needles, words)

# Typed pinyin that a rare reading of a character would also find: the decoys (from
# corpus_sample/chat/10.md) match only through that reading (能 tai, 大 tai, 了 liao, 事 zi).
RARE = [
    ("taiwan", ["台湾"], ["能完", "大晚"]),
    ("ziliao", ["资料"], ["资了", "事了"]),
]
DECOYS = {query: decoys for query, _, decoys in RARE}
for query, words, _ in RARE:
    add(query, "pinyin-rare-reading", country("taiwan") if words == ["台湾"] else zh(*words), words)
# Capitals are an acronym first; initials apply only when nothing has the acronym (WJB).
# MSS is also every name of its group in indexer/data/synonyms.tsv.
add("MSS", "acronym", en("MSS", "Ministry of State Security") + zh("国家安全部", "国安部"))
add("XSS", "acronym", en("XSS"))
add("WJB", "pinyin-initials", zh("外交部"), ["外交部"])

for w in ["資料", "臺灣", "電信", "數據", "銀行", "護照"]:
    add(w, "traditional", country("taiwan") if w == "臺灣" else zh(w))
for w in ["资料", "台湾", "系统", "邮件", "大学", "网站"]:
    add(w, "simplified-for-traditional", country("taiwan") if w == "台湾" else zh(w))

for q, name in [
    ("India", "india"),
    ("Pakistan", "pakistan"),
    ("Nepal", "nepal"),
    ("Myanmar", "myanmar"),
    ("Mongolia", "mongolia"),
    ("Malaysia", "malaysia"),
    ("Thailand", "thailand"),
    ("Vietnam", "vietnam"),
    ("Kazakhstan", "kazakhstan"),
    ("Hong Kong", "hong kong"),
    ("Hongkong", "hong kong"),
    ("Taiwan", "taiwan"),
    ("Turkey", "turkey"),
    ("South Korea", "south korea"),
]:
    add(q, "country-en-for-zh", country(name))
for q, name in [
    ("印度", "india"),
    ("巴基斯坦", "pakistan"),
    ("香港", "hong kong"),
    ("土耳其", "turkey"),
    ("越南", "vietnam"),
    ("泰国", "thailand"),
    ("韩国", "south korea"),
    ("哈萨克斯坦", "kazakhstan"),
    ("蒙古", "mongolia"),
    ("缅甸", "myanmar"),
]:
    add(q, "country-zh-for-en", country(name))

for w in ["passport", "webshell", "hospital", "phishing", "subscriber", "payroll"]:
    add(w, "english", en(w))
for w in ["i-Soon", "iSoon", "Anxun", "Auxun"]:
    add(w, "alias", company())

TRAD_EXPECT = {
    "資料": "资料",
    "臺灣": "台湾",
    "電信": "电信",
    "數據": "数据",
    "銀行": "银行",
    "護照": "护照",
}


# --------------------------------------------------------------------------- corpus


def corpus_files() -> list[str]:
    out = []
    for p in sorted(HERE.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(HERE).as_posix()
        if not rel.startswith(LABELLED) or "__pycache__" in rel:
            continue
        out.append(rel)
    return out


def decode(rel: str) -> str | None:
    if rel in BINARY:
        return None
    return (HERE / rel).read_bytes().decode(ENCODINGS.get(rel, "utf-8"), errors="strict")


def visible(rel: str, text: str) -> str:
    """Text a reader sees: markup stripped (tags, attributes, scripts), md escapes undone."""
    if rel.endswith((".html", ".htm")) or text.lstrip().startswith("<table"):
        soup = BeautifulSoup(text, "html.parser")
        for tag in soup(["script", "style"]):
            tag.decompose()
        text = soup.get_text(" ")
    if rel.endswith(".md"):
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)  # image references
        text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|&<>])", r"\1", text)
    return text


def split_alnum(text: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])", " ", text)


# --------------------------------------------------------------------------- pinyin

_READ = {}


def readings(ch: str) -> set[str]:
    if ch not in _READ:
        rs = set()
        if "\u3400" <= ch <= "\u9fff":
            for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]:
                r = r.replace("ü", "v")
                rs |= {r, r.replace("v", "u"), r.replace("v", "ü")}
        _READ[ch] = rs
    return _READ[ch]


def pinyin_hits(text: str, query: str, kind: str) -> set[str]:
    """Every Chinese string in text whose (toneless, any heteronym) pinyin matches query."""
    hits = set()
    q = query.lower()
    if kind == "pinyin-initials":
        n = len(q)
        for i in range(len(text) - n + 1):
            if all(any(r.startswith(q[k]) for r in readings(text[i + k])) for k in range(n)):
                hits.add(text[i : i + n])
        return hits
    if kind == "pinyin-spaced":
        syl = q.split()
        for i in range(len(text) - len(syl) + 1):
            if all(syl[k] in readings(text[i + k]) for k in range(len(syl))):
                hits.add(text[i : i + len(syl)])
        return hits
    q = q.replace(" ", "")

    def walk(start, pos, off):
        if pos >= len(text):
            return
        for r in readings(text[pos]):
            if q.startswith(r, off):
                if off + len(r) == len(q):
                    hits.add(text[start : pos + 1])
                else:
                    walk(start, pos + 1, off + len(r))

    for i in range(len(text)):
        if readings(text[i]):
            walk(i, i, 0)
    return hits


def rare_reading_errors(query: str, found: set[str], extra: set[str]) -> list[str]:
    """A rare-reading row's matches must be its words and decoys, each decoy a rare reading."""
    decoys = set(DECOYS[query])
    errors = [f"{query!r}: pinyin also matches {sorted(extra - decoys)}"] if extra - decoys else []
    if not decoys <= found:
        errors.append(f"{query!r}: decoys not in the corpus: {sorted(decoys - found)}")
    for decoy in decoys:
        usual = "".join(lazy_pinyin(decoy, v_to_u=False))
        if usual == query:
            errors.append(f"{query!r}: decoy {decoy} reads so in its usual reading")
    return errors


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="rewrite the TSV from the corpus")
    args = ap.parse_args()

    files = corpus_files()
    raw = {}
    vis = {}
    for rel in files:
        t = decode(rel)
        if t is None:
            continue
        raw[rel] = fold(t)
        vis[rel] = fold(visible(rel, t))
    errors = []

    def hits(needles, texts):
        return sorted(r for r, t in texts.items() if any(re.search(n, t) for n in needles))

    computed = []
    for query, kind, needles, words in Q:
        rel_raw = hits(needles, raw)
        rel_vis = hits(needles, vis)
        if rel_raw != rel_vis:
            errors.append(f"{query!r}: needle only in markup: {set(rel_raw) ^ set(rel_vis)}")
        if not rel_raw:
            errors.append(f"{query!r}: no relevant file")
        if any(r.startswith("broken/") for r in rel_raw):
            errors.append(f"{query!r}: matches a broken/ file")
        computed.append((query, kind, rel_raw))

        if kind.startswith("pinyin"):
            found = set()
            for t in vis.values():
                found |= pinyin_hits(t, query, kind)
            intended = {fold(w) for w in words}
            extra = found - intended
            if kind == "pinyin-rare-reading":
                errors += rare_reading_errors(query, found, extra)
                extra = set()
            if kind != "pinyin-initials" and extra:
                errors.append(f"{query!r}: pinyin also matches {sorted(extra)}")
            if not intended <= found:
                errors.append(f"{query!r}: pinyin scanner misses {sorted(intended - found)}")
            # A Latin token equal to the query (letters split from digits, as tokenizers do)
            # would also be a match: it must already be in the set.
            latin = en_regex(query if kind == "pinyin-spaced" else query.replace(" ", ""))
            lat_files = {r for r, t in vis.items() if re.search(latin, split_alnum(t))}
            if not lat_files <= set(rel_raw):
                errors.append(f"{query!r}: Latin token in {sorted(lat_files - set(rel_raw))}")
            if kind == "pinyin-initials":
                print(
                    f"  note: initials {query!r} also reach {len(extra)} other strings, "
                    f"e.g. {sorted(extra)[:6]} (not labelled, per the brief)"
                )
        if kind == "acronym":
            decoys = set()
            for r, t in vis.items():
                if r not in rel_raw:
                    decoys |= pinyin_hits(t, query, "pinyin-initials")
            if not decoys:
                errors.append(f"{query!r}: its initials reach no file without it")
            print(f"  note: acronym {query!r} as initials would also reach {sorted(decoys)[:6]}")
        if kind == "english":
            stem = STEM.stemWord(query.lower())
            other = set()
            for r, t in vis.items():
                for tok in re.findall(r"[a-z]+", t):
                    if tok != query.lower() and STEM.stemWord(tok) == stem:
                        other.add((r, tok))
            stray = {(r, tok) for r, tok in other if r not in rel_raw}
            if stray:
                errors.append(f"{query!r}: inflections outside the set: {sorted(stray)}")
        if kind == "traditional" and fold(query) != TRAD_EXPECT[query]:
            errors.append(f"{query!r} folds to {fold(query)!r}")

    # company invariant: Latin alias => 安洵
    for r, t in vis.items():
        if any(re.search(en_regex(a), t) for a in COMPANY_EN) and "安洵" not in t:
            errors.append(f"{r}: names the company in Latin letters without 安洵")
    # demonyms
    for r, t in vis.items():
        for d in DEMONYMS:
            if re.search(en_regex(d), t):
                errors.append(f"{r}: contains demonym {d!r}")
    # Script rows must exercise folding: a Traditional query needs a file spelling it in
    # Traditional; a Simplified query needs a file where it only appears in Traditional.
    for query, kind, rels in computed:
        texts = [decode(r) or "" for r in rels]
        if kind == "traditional" and not any(query in t for t in texts):
            errors.append(f"{query!r}: no file spells it in Traditional script")
        if kind == "simplified-for-traditional" and all(query in t for t in texts):
            errors.append(f"{query!r}: every relevant file already has the Simplified form")

    if args.write:
        TSV.parent.mkdir(parents=True, exist_ok=True)
        with TSV.open("w", encoding="utf-8", newline="\n") as f:
            f.write("query\tkind\trelevant\n")
            for query, kind, rels in computed:
                f.write(f"{query}\t{kind}\t{','.join(rels)}\n")
        print(f"wrote {TSV} ({len(computed)} rows)")

    # compare with the TSV on disk
    lines = TSV.read_text(encoding="utf-8").splitlines()
    if lines[0] != "query\tkind\trelevant":
        errors.append("bad TSV header")
    on_disk = {}
    for ln in lines[1:]:
        q, k, rel = ln.split("\t")
        on_disk[(q, k)] = sorted(rel.split(",")) if rel else []
    want = {(q, k): rels for q, k, rels in computed}
    if on_disk != want:
        for key in sorted(set(on_disk) | set(want)):
            if on_disk.get(key) != want.get(key):
                errors.append(f"TSV mismatch {key}: tsv={on_disk.get(key)} corpus={want.get(key)}")
    for key in on_disk:
        for rel in on_disk[key]:
            if not (HERE / rel).is_file():
                errors.append(f"TSV lists missing file {rel}")

    kinds = {}
    for _, k, _ in computed:
        kinds[k] = kinds.get(k, 0) + 1
    print(f"{len(files)} corpus files, {len(computed)} labelled queries")
    for k, n in kinds.items():
        print(f"  {k}: {n}")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
