"""The postings a segment writer collects until it writes its segment, kept as compact columns.

Whoosh's PostingPool keeps a tuple of five Python objects per posting (about 150 bytes), sorts
them in Python, spills a sorted run to disk every 128 MB and merges the runs back one posting at a
time: most of a segment flush. Here a posting is a term number, a document number, a weight and
its value's bytes appended to arrays; the codec's field writer sorts them with numpy and writes
every term's postings from slices (codec.PackedFieldWriter.write_pool).
"""

from array import array

# Bytes a posting costs in the pool besides its value (four array items, one dict entry per term
# amortised): what a writer's memory budget is counted in.
POSTING_BYTES = 24


class PackedPool:
    """Stands in for Whoosh's PostingPool in a segment writer (its add, fieldnames, cleanup)."""

    def __init__(self) -> None:
        self.terms: dict[tuple[str, bytes], int] = {}  # (field, term bytes) -> term number
        self.fieldnames: set[str] = set()
        self.tids = array("I")
        self.docs = array("I")
        self.weights = array("f")
        self.value_ends = array("Q")  # where each posting's value ends in values
        self.values = bytearray()

    def add(self, item: tuple) -> None:
        """One posting: (fieldname, term bytes, document number, weight, value bytes)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        key = (fieldname, tbytes)
        tid = self.terms.get(key)
        if tid is None:
            tid = self.terms[key] = len(self.terms)
            self.fieldnames.add(fieldname)
        self.tids.append(tid)
        self.docs.append(docnum)
        self.weights.append(weight)
        if vbytes:
            self.values += vbytes
        self.value_ends.append(len(self.values))

    def __len__(self) -> int:
        return len(self.tids)

    def memory(self) -> int:
        """Bytes the pool holds, roughly."""
        return len(self.tids) * POSTING_BYTES + len(self.values) + len(self.terms) * 120

    def take(self) -> tuple[list, array, array, array, array, bytearray]:
        """Hand over the terms (field, term bytes) by term number and the posting columns (term
        numbers, documents, weights, value ends, values), leaving the pool empty."""
        taken = (list(self.terms), self.tids, self.docs, self.weights, self.value_ends, self.values)
        self.__init__()
        return taken

    def cleanup(self) -> None:
        """Nothing is spilled to disk (Whoosh's pool removes its run files here)."""
