"""Fixtures: a real index of corpus_sample/ built once, the Flask app over it, and a CLI runner."""

import csv
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from indexer.extract import extract
from indexer.index.build import build_index, read_failures
from search_web import create_app
from tests.browser import chromium, new_tab
from tests.chatgen import write_chat_corpus

ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "corpus_sample"
LABELS = Path(__file__).parent / "labelled_queries.tsv"
# The folders of text formats (and those the labels cover): quick to index, no OCR.
LONG_LOG = 8000  # messages of long_log_index's long log, as long as the leak's longest
TEXT_FOLDERS = ("chat", "docs", "targets", "notes", "web", "data", "encoded", "broken")


def copy_text_corpus(dest: Path) -> Path:
    """A copy of corpus_sample's text folders, for tests that index many times or change files."""
    for folder in TEXT_FOLDERS:
        shutil.copytree(CORPUS / folder, dest / folder)
    return dest


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("index")
    build_index(CORPUS, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def sample_texts(sample_index) -> dict[str, str]:
    """Corpus-relative path -> extracted title and text, for every indexed file."""
    failed = {f.path for f in read_failures(sample_index)}
    texts = {}
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file()):
        rel = path.relative_to(CORPUS).as_posix()
        if rel not in failed:
            doc = extract(path)
            texts[rel] = f"{doc.title}\n{doc.text}"
    return texts


@pytest.fixture(scope="session")
def long_log_index(tmp_path_factory) -> Path:
    """corpus_sample's chat logs and one log of 8,000 messages (long/chat/0.md), indexed."""
    corpus = tmp_path_factory.mktemp("long-log-corpus")
    shutil.copytree(CORPUS / "chat", corpus / "chat")
    write_chat_corpus(corpus / "long", logs=1, messages=LONG_LOG)
    index_dir = tmp_path_factory.mktemp("long-log-index")
    build_index(corpus, index_dir)
    return index_dir


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, for the browser tests (tests/browser.py)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser, server, request):
    """A fresh tab on the module's `server` fixture: the app a browser test looks at."""
    with new_tab(browser, server, request.node.name) as opened:
        yield opened


@pytest.fixture
def app(sample_index):
    return create_app({"INDEX_DIR": str(sample_index), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def labelled_queries(path: Path = LABELS) -> list[tuple[str, str, frozenset[str]]]:
    """(query, kind, relevant paths) rows of tests/labelled_queries.tsv (or another such TSV)."""
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [
            (r["query"], r["kind"], frozenset(p for p in r["relevant"].split(",") if p))
            for r in rows
        ]


def marked(page: str) -> list[str]:
    """The text of each mark of a page (the Chinese words in it are glossed inside it)."""
    return [m.get_text() for m in BeautifulSoup(page, "html.parser").find_all("mark")]
