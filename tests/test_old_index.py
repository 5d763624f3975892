"""An index written by another version of leaksearch: a clear message wherever it is read, and
rebuilt by the next `leaksearch index`.

Whoosh pickles the schema, analyzers included, into the index: another version's index may name
a class that is gone (it cannot be opened at all) or hold other fields (it opens, but would
answer wrongly).
"""

import importlib
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index
from whoosh.fields import TEXT

from indexer.cli import main
from indexer.index.build import build_index
from indexer.index.options import BuildOptions
from indexer.index.reader import OldIndexError
from indexer.index.schema import build_schema
from indexer.search.search import search
from search_web import create_app

ROOT = Path(__file__).parent.parent
GONE_MODULE = "leaksearch_gone_analysis"
GONE_SOURCE = '''
from whoosh.analysis import RegexTokenizer


class GoneTokenizer(RegexTokenizer):
    """A tokenizer of an earlier version, deleted since."""
'''
MESSAGE = "this index was written by another version of leaksearch; rebuild it"
MESSAGE_ZH = "此索引由另一版本的 leaksearch 写入，请重建"
# Whoosh's TOC.read leaves the table of contents open when unpickling the schema fails; the file
# is closed when the exception is dropped, with a ResourceWarning. Only that warning is ignored.
pytestmark = pytest.mark.filterwarnings(
    r"ignore:Exception ignored in. <_io.FileIO name='.*_MAIN_\d+\.toc'"
    ":pytest.PytestUnraisableExceptionWarning"
)


@pytest.fixture(params=["class_gone", "schema_changed"])
def old_index(request, tmp_path, monkeypatch) -> Path:
    """An index of one document written by another version; its name must be escaped in HTML."""
    index_dir = tmp_path / "ix <&>"
    index_dir.mkdir()
    schema = build_schema()
    if request.param == "class_gone":
        modules = tmp_path / "modules"
        modules.mkdir()
        (modules / f"{GONE_MODULE}.py").write_text(GONE_SOURCE, "utf-8")
        monkeypatch.syspath_prepend(modules)
        gone = importlib.import_module(GONE_MODULE)
        schema.remove("content")
        schema.add("content", TEXT(analyzer=gone.GoneTokenizer(), phrase=True))
    else:
        schema.add("legacy", TEXT())
    ix = whoosh_index.create_in(index_dir, schema)
    with ix.writer() as writer:
        writer.add_document(path="old.txt", root="old.txt", kind="document", content="hello")
    if request.param == "class_gone":
        # The class is deleted: unpickling the index's schema now fails.
        del sys.modules[GONE_MODULE]
        (modules / f"{GONE_MODULE}.py").unlink()
        importlib.invalidate_caches()
    return index_dir


def test_reading_it_raises_old_index_error(old_index):
    with pytest.raises(OldIndexError) as raised:
        search(old_index, "hello")
    command = f"leaksearch index CORPUS --index {shlex.quote(str(old_index))} --rebuild"
    assert str(raised.value) == f"{MESSAGE}: {command}"


@pytest.mark.parametrize(
    "args", [["search", "hello"], ["search", "hello", "--format", "csv"], ["batch", "-"]]
)
def test_cli_says_to_rebuild(old_index, args):
    result = CliRunner().invoke(main, [*args, "--index", str(old_index)], input="hello\n")
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert MESSAGE in result.output and str(old_index) in result.output


def test_serve_refuses_to_start(old_index):
    # A subprocess: a server that started anyway would run until the timeout, not forever.
    command = [sys.executable, "-m", "indexer.cli", "serve", "--index", str(old_index)]
    done = subprocess.run(
        [*command, "--port", "0"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert MESSAGE in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "url",
    [
        "/?q=hello",
        "/?q=hello&ui=zh",
        "/doc/old.txt",
        "/facet/country?q=hello",
        "/export.csv?q=hello",
        "/batch?terms=hello",
    ],
)
def test_web_pages_say_to_rebuild(old_index, url):
    client = create_app({"INDEX_DIR": str(old_index), "TESTING": True}).test_client()
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 503
    assert (MESSAGE_ZH if "ui=zh" in url else "another version of leaksearch") in html
    assert "--rebuild" in html
    assert "ix &lt;&amp;&gt;" in html and "ix <&>" not in html


def test_api_gives_the_message(old_index):
    client = create_app({"INDEX_DIR": str(old_index), "TESTING": True}).test_client()
    answer = client.get("/api/search?q=hello")
    assert answer.status_code == 503
    assert "another version of leaksearch" in answer.get_json()["error"]


def test_index_run_rebuilds_it(old_index, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("hello India\n", "utf-8")
    (corpus / "b.txt").write_text("安洵 world\n", "utf-8")
    report = build_index(corpus, old_index, options=BuildOptions(workers=1, ocr="off"))
    assert report.added == 2
    assert [hit.path for hit in search(old_index, "hello").hits] == ["a.txt"]
