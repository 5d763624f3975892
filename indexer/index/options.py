"""How an indexing run reads files (its own module: the CLI reads the defaults without loading
the extractors)."""

import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BuildOptions:
    """How an indexing run reads files; every limit is reported when it stops a file."""

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    ocr: str = "auto"  # on | off | auto (OCR when its engine is installed)
    timeout: float = 600.0  # seconds one file's extraction may take, OCR included
    max_file_mb: float = 1024.0
    max_depth: int = 5  # containers inside containers
    entities: bool = True  # people and organisations named (the person and org facets)
