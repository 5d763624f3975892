"""The index: a file to documents, the indexing run, the schema, writer and codec, the pinyin
lexicon, and reading while a run commits."""
