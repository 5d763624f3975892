"""Language of documents and chat messages: no confident guess on text too short to judge."""

from collections import Counter
from pathlib import Path

import pytest

from indexer.classify import lang
from indexer.classify.lang import UNDETERMINED, detect_language, message_language
from indexer.index.pipeline import BuildOptions, process_file
from tests.chatgen import write_chat_corpus

CORPUS = Path(__file__).parent.parent / "corpus_sample"
EN = "The operators copied the mailbox archive to the staging server before the weekend."
PT = "O relatório final do projeto foi entregue ao cliente na semana passada com sucesso."
# The same fictional report in languages written in Latin letters: none is taken for English by
# the function-word shortcut (lang.FUNCTION_WORDS); each is still langdetect's to name.
OTHER_LANGUAGES = {
    "fr": (
        "Le rapport final du projet a été remis au client la semaine dernière. Les "
        "opérateurs ont copié les archives de la messagerie sur le serveur avant le "
        "week-end, puis ils ont supprimé les journaux pour que personne ne remarque rien."
    ),
    "de": (
        "Der Abschlussbericht des Projekts wurde dem Kunden letzte Woche übergeben. Die "
        "Betreiber haben das Archiv des Postfachs vor dem Wochenende auf den Server "
        "kopiert und danach die Protokolle gelöscht, damit es niemand bemerkt."
    ),
    "es": (
        "El informe final del proyecto fue entregado al cliente la semana pasada. Los "
        "operadores copiaron el archivo del correo al servidor antes del fin de semana y "
        "después borraron los registros para que nadie lo notara."
    ),
    "it": (
        "La relazione finale del progetto è stata consegnata al cliente la settimana "
        "scorsa. Gli operatori hanno copiato l'archivio della posta sul server prima del "
        "fine settimana e poi hanno cancellato i registri perché nessuno se ne "
        "accorgesse."
    ),
    "nl": (
        "Het eindrapport van het project is vorige week aan de klant overhandigd. De "
        "beheerders hebben het archief van de mailbox voor het weekend naar de server "
        "gekopieerd en daarna de logboeken gewist, zodat niemand het zou merken."
    ),
    "id": (
        "Laporan akhir proyek telah diserahkan kepada klien minggu lalu. Para operator "
        "menyalin arsip kotak surat ke server sebelum akhir pekan, lalu menghapus catatan "
        "log agar tidak ada yang menyadarinya sama sekali."
    ),
    "pl": (
        "Raport końcowy projektu został przekazany klientowi w zeszłym tygodniu. "
        "Operatorzy skopiowali archiwum skrzynki pocztowej na serwer przed weekendem, a "
        "potem usunęli dzienniki, żeby nikt tego nie zauważył."
    ),
    "sv": (
        "Slutrapporten för projektet lämnades till kunden förra veckan. Operatörerna "
        "kopierade arkivet från brevlådan till servern före helgen och raderade sedan "
        "loggarna så att ingen skulle märka något alls."
    ),
    "vi": (
        "Báo cáo cuối cùng của dự án đã được giao cho khách hàng vào tuần trước. Các nhân "
        "viên đã sao chép kho lưu trữ hộp thư lên máy chủ trước cuối tuần, sau đó xóa "
        "nhật ký để không ai phát hiện."
    ),
    "tl": (
        "Ang huling ulat ng proyekto ay ibinigay sa kliyente noong nakaraang linggo. "
        "Kinopya ng mga operator ang archive ng mailbox sa server bago ang katapusan ng "
        "linggo at pagkatapos ay binura nila ang mga log."
    ),
}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ok",
        "thanks!",
        "Kevin",
        "hi there, done",
        "👍",
        "[file: pk_cdr_sample_10000.csv]",
        "[image: roundcube_login_0218.png]",
        "smb://192.0.2.15/proj/tw2020",
        "mail.mea-consular.in.example",
        "wxid_q8m2x7c4n1p5z3 2019031110030",
    ],
)
def test_too_short_to_judge(text):
    assert detect_language(text) == UNDETERMINED
    assert detect_language(text, fallback="zh") == "zh"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("好", "zh"),
        ("续了，合同下周盖章", "zh"),
        ("Falcon-X的Windows端装好了", "zh"),  # names and terms inside Chinese
        ("数据库是SQL Server 2012", "zh"),
        ("OK，今晚挂上", "zh"),
        ("mail.mea-consular.in.example 是内网入口", "zh"),
        (EN, "en"),
        (PT, "pt"),  # other languages are still found in text long enough
        ("资料已经全部打包好了，明天发给甲方。" + EN, "mixed"),
    ],
)
def test_language(text, expected):
    assert detect_language(text) == expected


def test_a_short_message_takes_its_logs_language():
    log = "续了，合同下周盖章\n话单增量每天多大\nok\n压缩后八个G左右"
    assert message_language("ok", log) == "zh"
    assert message_language(EN, log) == "en"
    assert message_language("ok", "ok") == UNDETERMINED


def test_a_long_chat_log_gets_no_stray_languages(tmp_path):
    """Short chat lines (Chinese, with names, files and links) as the pipeline sees them."""
    corpus = write_chat_corpus(tmp_path, logs=1, messages=1500, seed=3)
    path = corpus / "chat" / "0.md"
    found = process_file(path, "chat/0.md", BuildOptions(workers=1), tmp_path, "no OCR")
    langs = Counter(d["lang"] for d in found.docs if d["kind"] == "message")
    assert sum(langs.values()) == 1500
    assert set(langs) <= {"zh", "en", "mixed"}, langs
    assert langs["zh"] > 0.9 * 1500


@pytest.mark.parametrize("code", sorted(OTHER_LANGUAGES))
def test_other_languages_are_not_taken_for_english(code):
    assert detect_language(OTHER_LANGUAGES[code]) == code


@pytest.mark.parametrize(
    "text",
    [
        EN * 3,
        (
            "Return a new array of the given shape, filled with zeros. If the shape is an integer, "
            "the array is one-dimensional; the dtype defaults to float64 when it is not given."
        ),
        (
            "hi all, the vpn to the staging box is down again and I cannot reach the mail archive "
            "from home, could someone with access restart it before the call with the client"
        ),
    ],
)
def test_english_without_langdetect_is_what_langdetect_says(text):
    words = lang._WORD.findall(text)
    assert len(words) >= lang._ENGLISH_WORDS
    assert lang._english_share(words) >= lang._ENGLISH_SHARE  # the shortcut answers
    assert lang._detect(" ".join(words)) == detect_language(text) == "en"
