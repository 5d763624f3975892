"""Hostile input: an index built over damaged, malicious and oddly named files, and the web UI
showing all of it without a server error or a live script."""

import os
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from indexer.extract import EXTRACTORS, extract_bytes
from indexer.extract.archive import suffix_of
from indexer.index.build import Report, build_index, read_failures
from indexer.index.pipeline import CHILD_SEP, BuildOptions, Failure, utf8_safe
from indexer.search.search import Filters, get_document, search
from search_web import create_app
from tests.hostile import INDEXED, NESTING, make_hostile_corpus

CONTAINERS = (".zip", ".tar", ".tar.gz", ".7z", ".eml", ".mbox")
# Words of the payloads, searched so their snippets are rendered too.
PAYLOAD_QUERIES = ("alert", "script", "onerror", "onload", "javascript", "svg", "img", "")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path, dict[str, str], Report]:
    root = tmp_path_factory.mktemp("hostile")
    corpus, index_dir = root / "corpus", root / "index"
    expected = make_hostile_corpus(corpus)
    # Nothing here should hang: the limit only bounds a regression, on a loaded CI machine too.
    report = build_index(corpus, index_dir, options=BuildOptions(workers=2, timeout=60))
    return corpus, index_dir, expected, report


@pytest.fixture(scope="module")
def hostile_client(hostile):
    return create_app({"INDEX_DIR": str(hostile[1]), "TESTING": True}).test_client()


def files_on_disk(corpus: Path) -> set[str]:
    """Corpus-relative paths as build_index walks them (undecodable bytes as surrogates)."""
    found = set()
    for root, _, files in os.walk(corpus):
        for name in files:
            found.add(Path(root, name).relative_to(corpus).as_posix())
    return found


def failures_by_path(index_dir: Path) -> dict[str, Failure]:
    return {f.path: f for f in read_failures(index_dir)}


def indexed_paths(index_dir: Path) -> set[str]:
    docs = Filters(include={"kind": ("document",)})
    first = search(index_dir, "", docs, pagelen=100)
    hits = list(first.hits)
    for page in range(2, first.pages + 1):
        hits += search(index_dir, "", docs, page=page, pagelen=100).hits
    return {h.path for h in hits}


def assert_inert(html: str) -> None:
    """No payload is live markup: no inline script, event handler or javascript: link."""
    lowered = html.lower()
    assert "<script>alert" not in lowered
    assert 'href="javascript:' not in lowered and "href='javascript:" not in lowered
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), f"event handler on <{tag.name}>: {attr}"
            if attr.lower() in ("href", "src", "action", "formaction"):
                assert not str(value).strip().lower().startswith("javascript:"), (tag.name, value)
        if tag.name == "script":
            assert tag.get("src", "").startswith("/static/") and not tag.string


def test_the_corpus_covers_every_format(hostile):
    corpus, _, expected, _ = hostile
    suffixes = {suffix_of(rel) for rel in expected}
    # Other image suffixes share one extractor, and .text, .log, .htm, .tbz2 ... are aliases.
    aliases = {".text", ".log", ".markdown", ".htm", ".tbz2", ".txz", ".jpeg", ".bmp", ".tif"}
    aliases |= {".tiff", ".webp"}
    assert set(EXTRACTORS) - aliases <= suffixes
    assert set(expected) == files_on_disk(corpus), "make_hostile_corpus must describe every file"
    assert len(expected) >= 70


def test_every_file_is_indexed_or_listed_with_the_expected_reason(hostile):
    corpus, index_dir, expected, report = hostile
    failed, indexed = failures_by_path(index_dir), indexed_paths(index_dir)
    wrong = {}
    for rel, outcome in sorted(expected.items()):
        path = utf8_safe(rel)  # a name that is not UTF-8 is indexed with its bytes as \xNN
        if outcome == INDEXED:
            if path not in indexed or path in failed:
                wrong[rel] = failed[path].reason if path in failed else "missing"
        elif path not in failed or outcome not in failed[path].reason:
            wrong[rel] = failed[path].reason if path in failed else "indexed"
    assert wrong == {}, "outcome differs from expected"
    roots = {p.split(CHILD_SEP)[0] for p in indexed} | {p.split(CHILD_SEP)[0] for p in failed}
    assert roots == {utf8_safe(rel) for rel in expected}
    assert report.added + report.failed == len(expected)
    assert all(f.reason.strip() for f in failed.values())


def _check_members(index_dir: Path, vpath: str, data: bytes, indexed, failed, seen) -> None:
    """Every child the extractor lists is indexed or listed; recurse into indexed containers."""
    if suffix_of(vpath.rsplit(CHILD_SEP, 1)[-1]) not in CONTAINERS:
        return
    for child in extract_bytes(data, vpath.rsplit(CHILD_SEP, 1)[-1]).children:
        path = f"{vpath}{CHILD_SEP}{utf8_safe(child.name)}"
        seen.add(path)
        assert (path in indexed) != (path in failed), f"{path!r}: indexed and listed, or neither"
        if path in indexed:
            _check_members(index_dir, path, child.data, indexed, failed, seen)


def test_every_archive_member_is_indexed_or_listed(hostile):
    corpus, index_dir, expected, _ = hostile
    failed, indexed = failures_by_path(index_dir), indexed_paths(index_dir)
    seen: set[str] = set()
    for rel, outcome in expected.items():
        if outcome == INDEXED:
            data = (corpus / rel).read_bytes()
            _check_members(index_dir, utf8_safe(rel), data, indexed, failed, seen)
    members = {p for p in indexed | set(failed) if CHILD_SEP in p}
    assert members == seen, "a member in the index that no extractor lists"
    assert len(members) > 30


def test_member_names_cannot_climb_out_or_break_paths(hostile):
    _, index_dir, _, _ = hostile
    members = [p for p in indexed_paths(index_dir) if p.startswith("names/members.") and "!/" in p]
    assert len(members) == 2 * 9  # both archives, every hostile name, the duplicates apart
    for path in members:
        inner = path.split(CHILD_SEP, 1)[1]
        assert not inner.startswith("/") and ".." not in inner.split("/") and "\\" not in inner
        path.encode("utf-8")  # no surrogate reached the index
    assert "names/members.zip!/etc/passwd.txt" in members
    assert "names/members.tar!/Windows/system32/evil.txt" in members


def test_nesting_past_the_limit_is_listed(hostile):
    _, index_dir, _, _ = hostile
    deep = [f for f in read_failures(index_dir) if f.root == "bombs/deep.zip"]
    assert deep and all("nested deeper than 5 containers" in f.reason for f in deep)
    assert {f.path.count(CHILD_SEP) for f in deep} == {6}
    assert NESTING > 6


def test_a_file_with_a_lone_surrogate_in_its_text_is_indexed(hostile):
    # Regression: json.loads turns "\ud800" into a lone surrogate that OpenCC cannot encode,
    # and the worker's UnicodeEncodeError stopped the whole run (pipeline.utf8_safe).
    _, index_dir, _, _ = hostile
    doc = get_document(index_dir, "names/lone_surrogate.json")
    assert doc is not None and "\ufffd" in str(doc.text_html)


def test_a_file_name_that_is_not_utf8_is_indexed_with_its_bytes_escaped(hostile):
    # Regression: the surrogate-escaped name crashed the run in the worker (pipeline.utf8_safe).
    _, index_dir, _, _ = hostile
    assert get_document(index_dir, "names/bad\\xff\\xfeutf8.txt") is not None


def test_every_document_page_renders_with_payloads_inert(hostile, hostile_client):
    _, index_dir, _, _ = hostile
    started = time.monotonic()
    for path in sorted(p for p in indexed_paths(index_dir) if "\n" not in p):
        for q in ("", "alert"):
            response = hostile_client.get(f"/doc/{quote(path)}", query_string={"q": q})
            assert response.status_code == 200, path
            assert_inert(response.get_data(as_text=True))
    assert time.monotonic() - started < 60


def test_a_document_whose_name_has_a_newline_opens(hostile_client):
    path = "names/new\nline.txt"
    assert hostile_client.get(f"/doc/{quote(path)}").status_code == 200


def test_failed_files_have_no_document_page(hostile, hostile_client):
    _, index_dir, _, _ = hostile
    for path in failures_by_path(index_dir):
        assert hostile_client.get(f"/doc/{quote(path)}").status_code == 404, path


def test_failures_page_lists_every_failure_inertly(hostile, hostile_client):
    _, index_dir, _, _ = hostile
    response = hostile_client.get("/failures")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert_inert(page)
    soup = BeautifulSoup(page, "html.parser").get_text()
    for path in failures_by_path(index_dir):
        assert path in soup


@pytest.mark.parametrize("q", PAYLOAD_QUERIES)
def test_search_pages_show_payloads_as_text(hostile_client, q):
    for ui in ("en", "zh"):
        response = hostile_client.get("/", query_string={"q": q, "ui": ui})
        assert response.status_code == 200
        assert_inert(response.get_data(as_text=True))
    data = hostile_client.get("/api/search", query_string={"q": q, "limit": 100}).get_json()
    for hit in data["hits"]:
        assert "<script>alert" not in hit["snippet"] and "<img" not in hit["snippet"]
        assert_inert(hit["snippet"])
    for fmt in ("csv", "jsonl"):
        assert hostile_client.get(f"/export.{fmt}", query_string={"q": q}).status_code == 200


def test_payloads_are_shown_escaped(hostile, hostile_client):
    for path in ("xss/payload.txt", "xss/payload.csv", "xss/payload.docx", "xss/payload.eml"):
        page = hostile_client.get(f"/doc/{quote(path)}").get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
    page = hostile_client.get("/", query_string={"q": "onerror"}).get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_batch_page_renders_payload_terms_inertly(hostile_client):
    terms = "\n".join(("<script>alert(1)</script>", "javascript:alert(1)", '"><svg onload=x>'))
    response = hostile_client.post("/batch", data={"terms": terms})
    assert response.status_code == 200
    assert_inert(response.get_data(as_text=True))
