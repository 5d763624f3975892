"""leaksearch indexer: extraction, analysis, classification and the Whoosh index."""

from indexer.index import whoosh_fixes  # noqa: F401  (patches Whoosh before any search runs)
