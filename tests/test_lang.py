"""Language of documents and chat messages: no confident guess on text too short to judge."""

from collections import Counter
from pathlib import Path

import pytest

from indexer.classify.lang import UNDETERMINED, detect_language, message_language
from indexer.index.pipeline import BuildOptions, process_file
from tests.chatgen import write_chat_corpus

CORPUS = Path(__file__).parent.parent / "corpus_sample"
EN = "The operators copied the mailbox archive to the staging server before the weekend."
PT = "O relatório final do projeto foi entregue ao cliente na semana passada com sucesso."


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ok",
        "thanks!",
        "Kevin",
        "hi there, done",
        "👍",
        "[file: pk_cdr_sample_10000.csv]",
        "[image: roundcube_login_0218.png]",
        "smb://192.0.2.15/proj/tw2020",
        "mail.mea-consular.in.example",
        "wxid_q8m2x7c4n1p5z3 2019031110030",
    ],
)
def test_too_short_to_judge(text):
    assert detect_language(text) == UNDETERMINED
    assert detect_language(text, fallback="zh") == "zh"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("好", "zh"),
        ("续了，合同下周盖章", "zh"),
        ("Falcon-X的Windows端装好了", "zh"),  # names and terms inside Chinese
        ("数据库是SQL Server 2012", "zh"),
        ("OK，今晚挂上", "zh"),
        ("mail.mea-consular.in.example 是内网入口", "zh"),
        (EN, "en"),
        (PT, "pt"),  # other languages are still found in text long enough
        ("资料已经全部打包好了，明天发给甲方。" + EN, "mixed"),
    ],
)
def test_language(text, expected):
    assert detect_language(text) == expected


def test_a_short_message_takes_its_logs_language():
    log = "续了，合同下周盖章\n话单增量每天多大\nok\n压缩后八个G左右"
    assert message_language("ok", log) == "zh"
    assert message_language(EN, log) == "en"
    assert message_language("ok", "ok") == UNDETERMINED


def test_a_long_chat_log_gets_no_stray_languages(tmp_path):
    """Short chat lines (Chinese, with names, files and links) as the pipeline sees them."""
    corpus = write_chat_corpus(tmp_path, logs=1, messages=1500, seed=3)
    path = corpus / "chat" / "0.md"
    found = process_file(path, "chat/0.md", BuildOptions(workers=1), tmp_path, "no OCR")
    langs = Counter(d["lang"] for d in found.docs if d["kind"] == "message")
    assert sum(langs.values()) == 1500
    assert set(langs) <= {"zh", "en", "mixed"}, langs
    assert langs["zh"] > 0.9 * 1500
