"""`leaksearch --help` and `leaksearch search` load only what they use.

Nothing here is timed: bench/ measures the start-up (bench/README.md, CLI start-up). These tests
keep out of a search process the modules that made it slow, each of which the query at hand does
not need.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
# Runs the CLI in a fresh interpreter, then prints as its last line the modules it loaded and
# whether it compiled the regexes that find countries in text (indexing needs them, no search).
PROGRAM = """
import json, sys
from indexer.cli import main
from indexer.classify import countries
main(sys.argv[1:], standalone_mode=False)
scanner = countries._scanner.cache_info().currsize > 0
print(json.dumps({"modules": sorted(sys.modules), "country scanner": scanner}))
"""
NOT_FOR_A_SEARCH = (
    "babel",  # CLDR's country names are read from indexer/data/cldr_countries.tsv
    "indexer.classify.dates",  # dates are read when indexing
    "indexer.search.export",  # --format csv and jsonl, and `leaksearch batch`
    "indexer.index.build",  # `leaksearch index` and its extractors
    "indexer.extract",
    "rjieba",  # Chinese word segmentation: indexing; a query's Chinese is searched as bigrams
    "pypinyin",  # readings: indexing; typed pinyin is looked up in the index's lexicon
    "langdetect",
    "flask",
    "waitress",
)
NOT_FOR_HELP = ("numpy", "indexer.index.reader", "indexer.analyse.analysis", "indexer.search")


def run(*args: str) -> dict:
    """What a fresh `leaksearch ARGS` process has loaded when it is done."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", PROGRAM, *args]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def _under(names: set[str], package: str) -> set[str]:
    return {n for n in names if n == package or n.startswith(f"{package}.")}


@pytest.mark.parametrize(
    "query", [["server"], ["安洵"], ["anxun"], ["India"], ["印度", "--json"], ["Hong Kong"]]
)
def test_a_search_loads_no_module_it_does_not_use(sample_index, query):
    done = run("search", *query, "--index", str(sample_index))
    modules = set(done["modules"])
    assert "indexer.search.search" in modules  # the search did run here
    assert {m for package in NOT_FOR_A_SEARCH for m in _under(modules, package)} == set()
    assert not done["country scanner"]


def test_help_loads_no_search_module():
    modules = set(run("--help")["modules"])
    assert "indexer.cli" in modules
    assert {m for package in NOT_FOR_HELP for m in _under(modules, package)} == set()
