"""Containers, email and formats on a real index of corpus_sample: children, names, limits."""

import shutil

import pytest

from indexer.index.build import build_index, read_failures
from indexer.index.pipeline import BuildOptions
from indexer.search.filters import Filters
from indexer.search.search import get_document, search
from tests.conftest import CORPUS

DOCS = Filters(include={"kind": ("document",)})


def paths(index_dir, query: str) -> set[str]:
    return {h.path for h in search(index_dir, query, DOCS, pagelen=100).hits}


def failures(index_dir) -> dict[str, str]:
    return {f.path: f.reason for f in read_failures(index_dir)}


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("会议纪要", "containers/gbk_names.zip!/尼泊尔项目/会议纪要.txt"),  # GBK member name
        ("huiyijiyao", "containers/gbk_names.zip!/尼泊尔项目/会议纪要.txt"),
        ("航空公司名单", "containers/utf8_names.zip!/蒙古国/航空公司名单.txt"),
        ("大学名单", "containers/vietnam_notes.tar.gz!/越南/大学名单.txt"),
        ("医院名单", "containers/thailand_notes.7z!/泰国/医院名单.txt"),
        ("泰国航空公司", "containers/project_mail.eml"),  # RFC 2047 subject
        ("泰国航空公司", "containers/project_mail.eml!/航空公司名单.txt"),  # RFC 2231 attachment
        ("排期确认", "containers/project_mail.eml!/attachment-3.eml"),
        ("蒙古国航空公司项目", "containers/mailbox.mbox!/message-0001.eml"),
    ],
)
def test_members_and_attachments_are_documents_named_by_their_parent(sample_index, query, path):
    assert path in paths(sample_index, query)


def test_archive_is_searchable_by_member_name(sample_index):
    assert "containers/gbk_names.zip" in paths(sample_index, "会议纪要.txt")


def test_email_headers_are_metadata(sample_index):
    doc = get_document(sample_index, "containers/project_mail.eml")
    assert {"from", "to", "subject", "date"} <= set(doc.fields["meta"])
    assert doc.fields["date"].year >= 2000


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("containers/zip_bomb.zip", "zip bomb"),
        ("containers/encrypted.zip", "encrypted"),
        ("containers/corrupt.zip", "zip"),
        ("containers/corrupt.7z", "7z"),
        ("containers/corrupt.tar.gz", "tar"),
        (
            "containers/nested.zip!/level2.zip!/level3.zip!/level4.zip!/level5.zip!/level6.zip!/innermost.txt",
            "nested deeper than 5",
        ),
    ],
)
def test_refused_and_corrupt_containers_are_listed_with_reasons(sample_index, path, reason):
    assert reason in failures(sample_index)[path]


def test_traversal_names_stay_inside_the_archive(sample_index):
    found = {
        p for p in paths(sample_index, "name test") if p.startswith("containers/traversal.zip")
    }
    assert found and all("/../" not in p and "!//" not in p for p in found)


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("远程控制", "screenshots/4b7e2d91-c3a5-4f68-9e12-8d0a6b3f5c27.md"),  # linked page image
        ("yuancheng kongzhi", "screenshots/4b7e2d91-c3a5-4f68-9e12-8d0a6b3f5c27.md"),
        ("远程控制", "screenshots/4b7e2d91-c3a5-4f68-9e12-8d0a6b3f5c27_2.png"),
        ("付款凭证", "office/scanned.pdf"),  # a PDF page without a text layer, read by OCR
        ("技术服务合同", "office/contract.docx"),
        ("重点目标清单", "office/targets.xlsx"),
        ("Lighthouse", "office/deck.pptx"),
        ("周例会纪要", "office/memo.rtf"),
        ("Delivery report", "office/report.pdf"),
    ],
)
def test_office_pdf_and_ocr_text_is_found(sample_index, query, path):
    assert path in paths(sample_index, query)


def test_linked_page_images_are_attributed_page_by_page(sample_index):
    doc = get_document(
        sample_index, "screenshots/4b7e2d91-c3a5-4f68-9e12-8d0a6b3f5c27.md", "远程控制"
    )
    text = str(doc.text_html)
    first = text.index("[page: 4b7e2d91-c3a5-4f68-9e12-8d0a6b3f5c27_1.png]")
    second = text.index("[page: 4b7e2d91-c3a5-4f68-9e12-8d0a6b3f5c27_2.png]")
    assert first < second < text.index("<mark>远程控制</mark>")


@pytest.mark.parametrize(
    "path",
    [
        "office/corrupt.docx",
        "office/corrupt.xlsx",
        "office/corrupt.pdf",
        "office/encrypted.pdf",
        "office/corrupt.pptx",
        "office/corrupt.rtf",
    ],
)
def test_corrupt_office_files_are_listed(sample_index, path):
    assert failures(sample_index)[path]


def test_a_second_run_does_no_ocr(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "screenshots", corpus)
    index_dir = tmp_path / "ix"
    build_index(corpus, index_dir)
    assert read_failures(index_dir) == []
    # With OCR off, only the cache can read the images: a full rebuild still finds their text.
    report = build_index(corpus, index_dir, rebuild=True, options=BuildOptions(ocr="off"))
    assert report.failed == 0 and read_failures(index_dir) == []
    assert search(index_dir, "远程控制").total >= 2


def test_images_are_listed_when_ocr_is_off(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "screenshots", corpus)
    build_index(corpus, tmp_path / "ix", options=BuildOptions(ocr="off"))
    reasons = failures(tmp_path / "ix")
    pngs = {p.name for p in corpus.glob("*.png")}
    assert set(reasons) == pngs and all("OCR is off" in r for r in reasons.values())
