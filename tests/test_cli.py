"""The leaksearch CLI through click's CliRunner, over real files and a real index."""

import json

import pytest

from indexer.cli import main
from indexer.search.search import Filters, search
from tests.conftest import copy_text_corpus


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def counts(output: str) -> dict[str, int]:
    # A slow run logs progress lines before it (every 10 s when not on a terminal).
    line = next(line for line in output.splitlines() if line.startswith("added "))
    words = line.replace(",", "").split()
    return {words[i]: int(words[i + 1]) for i in range(0, 10, 2)}


@pytest.fixture
def corpus(tmp_path):
    return copy_text_corpus(tmp_path / "corpus")


def test_index_then_reindex_unchanged_changes_nothing(runner, corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = run(runner, "index", corpus, "--index", index_dir)
    assert first.exit_code == 0
    c1 = counts(first.output)
    files = sum(1 for p in corpus.rglob("*") if p.is_file())
    assert c1["added"] + c1["failed"] == files
    second = run(runner, "index", corpus, "--index", index_dir)
    c2 = counts(second.output)
    assert c2 == {
        "added": 0,
        "updated": 0,
        "removed": 0,
        "unchanged": c1["added"],
        "failed": c1["failed"],
    }


def test_changed_and_deleted_files(runner, corpus, tmp_path):
    index_dir = tmp_path / "index"
    run(runner, "index", corpus, "--index", index_dir)
    victim = next(p for p in sorted(corpus.rglob("*.md")))
    rel = victim.relative_to(corpus).as_posix()
    changed = sorted((corpus / "notes").glob("*.txt"))[0]
    changed.write_text("zebra-unique-marker 斑马独特", encoding="utf-8")
    victim.unlink()
    out = run(runner, "index", corpus, "--index", index_dir).output
    assert counts(out)["removed"] == 1 and counts(out)["updated"] == 1
    found = json.loads(run(runner, "search", "斑马独特", "--index", index_dir, "--json").output)
    assert [h["path"] for h in found["hits"]] == [changed.relative_to(corpus).as_posix()]
    docs = search(index_dir, "", Filters(include={"kind": ("document",)}), pagelen=100)
    assert docs.total < 100 and rel not in {h.path for h in docs.hits}


def test_rebuild_reads_everything_again(runner, corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = counts(run(runner, "index", corpus, "--index", index_dir).output)
    again = counts(run(runner, "index", corpus, "--index", index_dir, "--rebuild").output)
    assert again["added"] == first["added"] and again["unchanged"] == 0


def test_failures_lists_broken_and_empty_files_with_reasons(runner, sample_index):
    out = run(runner, "failures", "--index", sample_index, "--json").output
    rows = {r["path"]: r["reason"] for r in json.loads(out)}
    assert any("empty" in p for p in rows)
    assert all(reason for reason in rows.values())
    plain = run(runner, "failures", "--index", sample_index).output
    assert all(p in plain for p in rows)


def test_search_json_shape(runner, sample_index):
    out = run(runner, "search", "安洵", "--index", sample_index, "--json", "--limit", 3).output
    data = json.loads(out)
    assert set(data) == {"total", "hits", "facets", "cut_short", "expansions"}
    assert data["total"] >= len(data["hits"]) > 0
    assert set(data["hits"][0]) == {
        "path",
        "title",
        "score",
        "snippet",
        "country",
        "target_type",
        "person",
        "org",
        "lang",
    }
    assert {"country", "target_type", "lang", "filetype", "person", "org"} <= set(data["facets"])


@pytest.mark.parametrize("country", ["IN", "in", "India", "印度"])
def test_search_country_option_takes_codes_and_names(runner, sample_index, country):
    out = run(
        runner,
        "search",
        "",
        "--index",
        sample_index,
        "--json",
        "--country",
        country,
        "--limit",
        100,
    )
    hits = json.loads(out.output)["hits"]
    assert hits and all("IN" in h["country"] for h in hits)


def test_bad_input_is_a_clear_error(runner, sample_index, tmp_path):
    bad = run(runner, "search", "x", "--index", sample_index, "--country", "Atlantis")
    assert bad.exit_code != 0 and "unknown country" in bad.output
    missing = run(runner, "search", "x", "--index", tmp_path / "nothing")
    assert missing.exit_code != 0 and "leaksearch index" in missing.output


def test_plain_search_output(runner, sample_index):
    out = run(runner, "search", "India", "--index", sample_index).output
    assert out.splitlines()[0].endswith("ms") and "hit" in out.splitlines()[0]


def test_every_command_has_help(runner):
    for name, command in main.commands.items():
        assert command.help, name
        assert run(runner, name, "--help").exit_code == 0
