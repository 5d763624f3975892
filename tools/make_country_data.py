"""Write indexer/data/cldr_countries.tsv: every real country's CLDR name in English and Chinese.

    python -m tools.make_country_data

Babel gives the names only by loading each locale's whole CLDR data (40 ms for English and both
Chinese scripts), which every search paid to tell whether a typed word names a country; the names
are committed instead. tests/test_classify.py checks the file against the installed Babel.
"""

from babel import Locale

from indexer.classify.countries import CLDR_DATA

LOCALES = ("en", "zh_Hans", "zh_Hant")
# CLDR region codes that are not countries or territories: unions, pseudo-locales, "unknown", and
# codes reserved for islands that belong to another entry (Canary Islands, Ceuta, Diego Garcia...).
NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
)


def cldr_rows() -> list[tuple[str, str, str, str]]:
    """(code, English, Simplified Chinese, Traditional Chinese) of every real country, by code."""
    english, *chinese = (Locale.parse(tag).territories for tag in LOCALES)
    codes = sorted(c for c in english if len(c) == 2 and c.isalpha() and c not in NOT_COUNTRIES)
    return [(code, english[code], *(names[code] for names in chinese)) for code in codes]


def main() -> None:
    header = "# Made by python -m tools.make_country_data from Babel's CLDR territory names\n"
    rows = ["\t".join(("code", *LOCALES)), *("\t".join(row) for row in cldr_rows())]
    CLDR_DATA.write_text(header + "\n".join(rows) + "\n", "utf-8")
    print(f"{len(rows) - 1} countries -> {CLDR_DATA}")


if __name__ == "__main__":
    main()
