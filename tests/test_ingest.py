"""Containers, email and formats on a real index of corpus_sample: children, names, limits."""

import pytest

from indexer.build import read_failures
from indexer.filters import Filters
from indexer.search import get_document, search

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
