"""leaksearch indexer: extraction, analysis, classification and the Whoosh index."""
