"""Tests of country and target-type classification, one parametrized row per rule, on real data."""

import dataclasses
from pathlib import Path

import pytest
from babel import Locale

from indexer.analyse.fold import fold, is_cjk
from indexer.classify.classify import Classification, classify
from indexer.classify.countries import (
    alias_index,
    country_label,
    country_names,
    find_countries,
    normalize_name,
    resolve_country,
)
from indexer.classify.target_types import (
    TARGET_TYPES,
    find_target_types,
    resolve_target_type,
    target_type_codes,
    target_type_label,
)
from tools.make_country_data import cldr_rows

DATA = Path(__file__).parent.parent / "indexer" / "data"


def _tsv(name: str) -> list[list[str]]:
    """Return the data rows of a table under indexer/data, header and comments dropped."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")][1:]


ALIASES = _tsv("country_aliases.tsv")
KEYWORDS = _tsv("target_types.tsv")
CLDR_NAMES = {
    n for tag in ("en", "zh_Hans", "zh_Hant") for n in Locale.parse(tag).territories.values()
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Targets in India and Pakistan", ("IN", "PK")),
        ("印度和巴基斯坦的目标", ("IN", "PK")),
        ("臺灣與香港", ("HK", "TW")),
        ("台灣、澳門、韓國", ("KR", "MO", "TW")),
        ("Hongkong police", ("HK",)),
        ("Hong-Kong", ("HK",)),
        ("HONG KONG", ("HK",)),
        ("Hong kong", ("HK",)),
        ("HK SAR government", ("HK",)),
        ("the Philippines", ("PH",)),
        ("Burma and Myanmar", ("MM",)),
        ("Myanmar (Burma)", ("MM",)),
        ("Türkiye, Turkiye and Turkey", ("TR",)),
        ("Viet Nam", ("VN",)),
        ("Kyrgyz Republic", ("KG",)),
        ("吉尔吉斯斯坦 and 吉爾吉斯", ("KG",)),
        ("USA, U.S. and US agencies", ("US",)),
        ("the UK and Great Britain", ("GB",)),
        ("DPRK hackers", ("KP",)),
        ("South Korea", ("KR",)),
        ("south Korea", ("KR",)),
        ("Côte d’Ivoire", ("CI",)),
        ("Cote d'Ivoire and Ivory Coast", ("CI",)),
        ("St. Lucia and Saint Lucia", ("LC",)),
        ("Bosnia and Herzegovina", ("BA",)),
        ("Guinea-Bissau", ("GW",)),
        ("刚果（金）", ("CD",)),
        ("印尼和印度尼西亚", ("ID",)),
        (
            "尼泊尔 阿富汗 哈萨克斯坦 蒙古 马来西亚 柬埔寨 泰国",
            ("AF", "KH", "KZ", "MN", "MY", "NP", "TH"),
        ),
        ("尼日利亚、卢旺达、埃及", ("EG", "NG", "RW")),
        ("ＩＮＤＩＡ", ("IN",)),  # full-width letters
        ("India政府", ("IN",)),  # English touching Chinese
        ("政府India", ("IN",)),
        ("(India)", ("IN",)),
        ("India's ministry", ("IN",)),
    ],
)
def test_find_countries(text: str, expected: tuple[str, ...]) -> None:
    assert find_countries(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a turkey sandwich", ()),
        ("chad from accounting", ()),
        ("fine china plates", ()),
        ("contact us", ()),
        ("Korean food and Indian Ocean", ()),
        ("xIndia and India2", ()),
        ("Niger and Nigeria", ("NE", "NG")),
        ("Nigeria", ("NG",)),
        ("Papua New Guinea", ("PG",)),
        ("Equatorial Guinea", ("GQ",)),
        ("South Sudan", ("SS",)),
        ("Dominican Republic", ("DO",)),
        ("North Korea", ("KP",)),
        ("Northern Ireland", ("GB",)),
        ("Latin America and South America", ()),
        ("New Jersey, New Mexico", ()),
        ("Inner Mongolia", ()),
        ("Guinea pig", ()),
        ("西南非洲", ("NA",)),
        ("南非", ("ZA",)),
        ("中国香港", ("HK",)),  # the region, not also China
        ("中國台灣", ("TW",)),
        ("上海地区", ()),  # 海地, Haiti
        ("发展中国家", ()),
        ("南美国家", ()),
        ("印度洋", ()),
        ("内蒙古", ()),
        ("朝鲜族", ()),
        ("哈萨克族", ()),
        ("好多哥们", ()),  # 多哥, Togo
        ("理查德", ()),  # 查德, Chad in Traditional
        ("广东加强", ()),  # 东加, Tonga in Traditional
        ("美", ()),  # single characters are never names
        ("", ()),
    ],
)
def test_find_countries_precision(text: str, expected: tuple[str, ...]) -> None:
    assert find_countries(text) == expected


@pytest.mark.parametrize(("text", "code"), [("Georgia", "GE"), ("Jordan", "JO"), ("Chad", "TD")])
def test_capitalised_ambiguous_names_match(text: str, code: str) -> None:
    # Accepted false positives (the US state, given names): documented in find_countries.
    assert find_countries(text) == (code,)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("in", "IN"),
        ("IN", "IN"),
        (" gb ", "GB"),
        ("India", "IN"),
        ("INDIA", "IN"),
        ("india", "IN"),
        ("印度", "IN"),
        ("臺灣", "TW"),
        ("台湾", "TW"),
        ("Hongkong", "HK"),
        ("hong-kong", "HK"),
        ("香港", "HK"),
        ("澳門", "MO"),
        ("UK", "GB"),
        ("England", "GB"),
        ("America", "US"),
        ("美國", "US"),
        ("Turkey", "TR"),
        ("the Philippines", "PH"),
        ("the Netherlands", "NL"),
        ("南韓", "KR"),
        ("北韩", "KP"),
        ("Czech Republic", "CZ"),
        ("UAE", "AE"),
        ("Ivory Coast", "CI"),
        ("Kosovo", "XK"),
        ("海地", "HT"),  # not searched for in text, but still resolvable
        ("狮子山", "SL"),
    ],
)
def test_resolve_country(name: str, code: str) -> None:
    assert resolve_country(name) == code


@pytest.mark.parametrize(
    "name",
    ["", "Atlantis", "NATO", "EU", "European Union", "ZZ", "XA", "001", "Asia", "Latin America"],
)
def test_resolve_country_unknown(name: str) -> None:
    assert resolve_country(name) is None


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("IN", {"India", "印度"}),
        ("in", {"India", "印度"}),
        ("HK", {"Hong Kong", "Hongkong", "香港", "中國香港特別行政區"}),
        ("TW", {"Taiwan", "台湾", "台灣", "臺灣"}),
        ("KR", {"South Korea", "Korea", "韩国", "南韓", "韓國"}),
        ("CI", {"Côte d’Ivoire", "Cote d'Ivoire", "Ivory Coast", "科特迪瓦", "象牙海岸"}),
    ],
)
def test_country_names(code: str, names: set[str]) -> None:
    assert names <= set(country_names(code))


def test_country_names_unknown_code() -> None:
    assert country_names("ZZ") == ()


def test_the_cldr_names_file_is_the_installed_babels() -> None:
    # Regenerate with `python -m tools.make_country_data` after upgrading Babel.
    assert _tsv("cldr_countries.tsv") == [list(row) for row in cldr_rows()]


@pytest.mark.parametrize(
    ("code", "locale", "label"),
    [
        ("IN", "en", "India"),
        ("IN", "zh", "印度"),
        ("TW", "zh_Hant", "台灣"),
        ("KR", "zh-TW", "南韓"),
        ("DE", "fr", "Allemagne"),
        ("in", "en", "India"),
        ("IN", "not-a-locale", "India"),
        ("QQ", "en", "QQ"),
    ],
)
def test_country_label(code: str, locale: str, label: str) -> None:
    assert country_label(code, locale) == label


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Hong Kong", "hong kong"),
        ("Hong-Kong", "hong kong"),
        ("  Hong \t Kong ", "hong kong"),
        ("Guinea—Bissau", "guinea bissau"),
        ("Côte d’Ivoire", "côte d'ivoire"),
        ("ＨＫ", "hk"),
        ("臺灣", "台湾"),
    ],
)
def test_normalize_name(name: str, key: str) -> None:
    assert normalize_name(name) == key


def test_alias_index() -> None:
    index = alias_index()
    assert index["india"] == index["印度"] == "IN"
    assert index["hong kong"] == "HK"
    assert all(key == normalize_name(key) for key in index)
    index.clear()  # a copy: the cached index is untouched
    assert alias_index()["india"] == "IN"


def test_country_count() -> None:
    codes = set(alias_index().values())
    assert len(codes) == 250
    assert not codes & {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "-"}


@pytest.mark.parametrize(("code", "alias", "language"), ALIASES, ids=[row[1] for row in ALIASES])
def test_alias_row(code: str, alias: str, language: str) -> None:
    assert language == ("zh" if any(is_cjk(ch) for ch in alias) else "en")
    if code == "-":
        assert find_countries(alias) == ()
        return
    assert alias not in CLDR_NAMES  # the table adds only what CLDR lacks
    assert resolve_country(alias) == code
    assert alias in country_names(code)
    if not alias.startswith("the "):
        assert find_countries(alias) == (code,)


# --- target types -------------------------------------------------------------------------------


def _example(keyword: str, language: str) -> str:
    """Return a text that holds a keyword as it would appear in the corpus."""
    if language == "domain":
        return f"mail.{keyword.replace('xx', 'pk')} leaked"
    return f"目标：{keyword}。" if language == "zh" else f"Target: the {keyword}."


@pytest.mark.parametrize(
    ("code", "en_label", "zh_label", "keyword", "language"),
    KEYWORDS,
    ids=[f"{row[0]}-{row[3]}" for row in KEYWORDS],
)
def test_keyword_row(code: str, en_label: str, zh_label: str, keyword: str, language: str) -> None:
    assert language in {"en", "zh", "domain"}
    assert code in find_target_types(_example(keyword, language))
    assert (target_type_label(code), target_type_label(code, "zh")) == (en_label, zh_label)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("印度外交部", ("government",)),
        ("巴基斯坦电信话单", ("telecom",)),
        ("中國移動", ("telecom",)),
        ("臺灣大學", ("education",)),
        ("醫院", ("healthcare",)),
        ("公安厅", ("police",)),
        ("机场值机数据", ("transport",)),
        ("养老金", ("finance",)),
        ("电力公司", ("energy",)),
        ("电视台", ("media",)),
        ("清真寺", ("religion",)),
        ("非政府组织", ("ngo",)),  # not also government (政府)
        ("社交媒体", ("technology",)),  # not also media
        ("科技公司", ("technology",)),
        ("国防部", ("government", "military")),
        ("Ministries of Foreign Affairs", ("government",)),
        ("EMBASSIES", ("government",)),
        ("telecom operators", ("telecom",)),
        ("CDRs", ("telecom",)),
        ("Universities", ("education",)),
        ("hospitals", ("healthcare",)),
        ("airlines' check-in systems", ("transport",)),
        ("pension funds", ("finance",)),
        ("oil and gas", ("energy",)),
        ("newspapers", ("media",)),
        ("churches", ("religion",)),
        ("NGOs", ("ngo",)),
        ("pro-democracy groups", ("ngo",)),
        ("World Uyghur Congress", ("ngo",)),  # not also government (congress)
        ("Ministry of Health", ("government", "healthcare")),
        ("mofa.gov.pk", ("government",)),
        (r"mofa\.gov\.pk", ("government",)),  # markdown-escaped target list
        ("army.mil", ("military",)),
        ("ox.ac.uk", ("education",)),
        ("tsinghua.edu.cn", ("education",)),
        ("x.go.th", ("government",)),
        ("hospital telecom ministry", ("government", "telecom", "healthcare")),
    ],
)
def test_find_target_types(text: str, expected: tuple[str, ...]) -> None:
    assert find_target_types(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "把文件移动一下",  # 移动, move
        "保险起见",  # 保险, to be safe
        "卫生间",  # 卫生, toilet
        "我教会他了",  # 教会, taught
        "通讯录",  # contact list
        "power",
        "transport layer",
        "a turkey sandwich",
        "mil.pk.example.com",  # a suffix must end the host name
        "ac.uk",  # a suffix needs a name before it
        "x.go.com",
        "governmental",  # word boundaries
        "banknote",
        "",
    ],
)
def test_find_target_types_negative(text: str) -> None:
    assert find_target_types(text) == ()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("government", "government"),
        ("Government", "government"),
        ("政府", "government"),
        ("运营商", "telecom"),
        ("運營商", "telecom"),
        ("TELECOM", "telecom"),
        ("Telecom operator", "telecom"),
        ("police", "police"),
        ("Police & security", "police"),
        ("security", "police"),
        ("transport", "transport"),
        ("aviation", "transport"),
        ("NGO", "ngo"),
        ("civil society", "ngo"),
        ("科技", "technology"),
        ("醫療", "healthcare"),
    ],
)
def test_resolve_target_type(name: str, code: str) -> None:
    assert resolve_target_type(name) == code


@pytest.mark.parametrize("name", ["", "hacking", "ministry", "移动"])
def test_resolve_target_type_unknown(name: str) -> None:
    assert resolve_target_type(name) is None


@pytest.mark.parametrize(
    ("code", "locale", "label"),
    [
        ("government", "en", "Government"),
        ("government", "zh", "政府"),
        ("telecom", "zh_Hans", "运营商"),
        ("ngo", "en", "NGO & civil society"),
        ("unknown", "en", "unknown"),
    ],
)
def test_target_type_label(code: str, locale: str, label: str) -> None:
    assert target_type_label(code, locale) == label


def test_target_type_codes() -> None:
    assert target_type_codes() == TARGET_TYPES
    assert TARGET_TYPES == (
        "government",
        "telecom",
        "education",
        "healthcare",
        "military",
        "police",
        "transport",
        "finance",
        "energy",
        "media",
        "religion",
        "ngo",
        "technology",
    )


# --- classify -----------------------------------------------------------------------------------

TARGET_ROW = (
    r"| 政府 | 印度 India | 外交部 | mofa\.gov\.in | 5\.49GB | 邮件 |"
    "\n| 运营商 | 巴基斯坦 | Zong 话单 | zong\\.com\\.pk | 3TB | 话单 |"
)


def test_classify_target_list() -> None:
    assert classify(TARGET_ROW) == Classification(
        countries=("IN", "PK"), target_types=("government", "telecom")
    )


def test_classification_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        classify("India").countries = ()  # type: ignore[misc]


@pytest.mark.parametrize("text", [TARGET_ROW, "臺灣的醫院", "Hong Kong pro-democracy NGOs"])
def test_prefolded_text_gives_the_same_answer(text: str) -> None:
    folded = fold(text)
    assert find_countries(folded, folded=True) == find_countries(text)
    assert find_target_types(folded, folded=True) == find_target_types(text)


def test_large_text() -> None:
    # A sanity check that a 100 KB mixed document goes through in one call; no timing asserted.
    chat = (
        "wxid_abc 2021-04-01 我们拿到了尼泊尔电信的话单，还有臺灣大學的权限。上海地区服务器重启。\n"
    )
    prose = "The turkey sandwich is ready; Kazakhstan airline check-in data, 5.49GB.\n"
    text = (chat + prose) * (100_000 // len(chat + prose) + 1)
    assert len(text) >= 100_000
    assert classify(text) == Classification(
        countries=("KZ", "NP", "TW"), target_types=("telecom", "education", "transport")
    )
