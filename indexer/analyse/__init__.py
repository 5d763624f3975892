"""Analysis: the Whoosh analyzers, Traditional -> Simplified folding, pinyin readings."""
