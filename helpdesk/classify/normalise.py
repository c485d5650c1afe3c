"""Text normalisation for complaints as citizens write them: chat shorthand, typos, mixed English.

Pure: no Flask, no I/O. The classifier, the evaluation and the similar-ticket search all read
text through :func:`normalise`, so a word is spelt one way everywhere.
"""
from __future__ import annotations

import re
import unicodedata

# Chat shorthand and common spellings, mapped to the standard word (KBBI spelling).
SHORTHAND = {
    "yg": "yang", "yng": "yang", "dgn": "dengan", "dg": "dengan", "dngn": "dengan", "utk": "untuk",
    "untk": "untuk", "tuk": "untuk", "dr": "dari", "dri": "dari", "krn": "karena", "karna": "karena",
    "krna": "karena", "soalnya": "karena", "tdk": "tidak", "tak": "tidak", "gak": "tidak", "ga": "tidak",
    "gk": "tidak", "nggak": "tidak", "ngga": "tidak", "enggak": "tidak", "engga": "tidak", "kagak": "tidak",
    "ndak": "tidak", "gx": "tidak", "blm": "belum", "blom": "belum", "belom": "belum",
    "sdh": "sudah", "udh": "sudah", "udah": "sudah", "dah": "sudah", "uda": "sudah", "sdah": "sudah",
    "bgt": "banget", "bngt": "banget", "bgtt": "banget", "sy": "saya", "sya": "saya", "aku": "saya",
    "gw": "saya", "gue": "saya", "ane": "saya", "kmi": "kami", "lg": "lagi", "lgi": "lagi",
    "jg": "juga", "jga": "juga", "sm": "sama", "sma": "sama", "tp": "tapi", "tpi": "tapi", "klo": "kalau",
    "kalo": "kalau", "kl": "kalau", "klu": "kalau", "gmn": "bagaimana", "gimana": "bagaimana",
    "gmna": "bagaimana", "knp": "kenapa", "napa": "kenapa", "kpn": "kapan", "kapn": "kapan", "trs": "terus",
    "trus": "terus", "skrg": "sekarang", "skg": "sekarang", "skrang": "sekarang", "hrs": "harus",
    "msh": "masih", "masi": "masih", "bs": "bisa", "bsa": "bisa", "org": "orang", "orng": "orang",
    "ptgs": "petugas", "ptugas": "petugas", "pgw": "pegawai", "dtg": "datang", "dateng": "datang",
    "tgl": "tanggal", "bln": "bulan", "thn": "tahun", "taun": "tahun", "mgg": "minggu", "mggu": "minggu",
    "hr": "hari", "jam2": "jam", "kmrn": "kemarin", "kemaren": "kemarin", "td": "tadi", "tdi": "tadi",
    "bbrp": "beberapa", "byk": "banyak", "bnyk": "banyak", "dikit": "sedikit", "dl": "dulu", "dlu": "dulu",
    "aja": "saja", "aj": "saja", "doang": "saja", "emg": "memang", "emang": "memang", "pdhl": "padahal",
    "pdahal": "padahal", "ttg": "tentang", "dpt": "dapat", "dapet": "dapat", "nanya": "tanya",
    "nunggu": "tunggu", "ngurus": "urus", "ngajuin": "ajukan", "ngadu": "adu", "dmn": "mana",
    "dimana": "mana", "kmna": "kemana", "bkn": "bukan", "bukn": "bukan", "jd": "jadi", "jdi": "jadi",
    "sbg": "sebagai", "spt": "seperti", "kyk": "seperti", "kayak": "seperti", "kek": "seperti",
    "smua": "semua", "smw": "semua", "sbnrnya": "sebenarnya", "tlg": "tolong", "tolongin": "tolong",
    "mhn": "mohon", "mksd": "maksud", "min": "admin", "mimin": "admin", "kak": "kakak", "ka": "kakak",
    "bpk": "bapak", "pak": "bapak", "ibu2": "ibu", "bu": "ibu", "makasih": "terima kasih",
    "trims": "terima kasih", "tq": "terima kasih", "thx": "terima kasih", "duit": "uang", "doku": "uang",
    "kelar": "selesai", "beres": "selesai", "cepet": "cepat", "biar": "agar", "lama2": "lama", "ribet": "rumit", "ngasal": "asal",
    "dibales": "dibalas", "bales": "balas", "ngga2": "tidak", "cuma": "hanya", "cm": "hanya",
    "brp": "berapa", "gede": "besar", "dmn2": "mana", "ngerti": "mengerti", "tau": "tahu", "liat": "lihat",
    "nyerahin": "serahkan", "ditaro": "ditaruh", "pake": "pakai", "pakek": "pakai", "mau2": "mau",
    "blg": "bilang", "bilng": "bilang", "nelpon": "telepon", "telpon": "telepon", "tlp": "telepon",
    "hp": "ponsel", "wa": "whatsapp", "ig": "instagram", "sertif": "sertifikat", "sertifikatnya": "sertifikat",
    "berkasnya": "berkas", "petugasnya": "petugas", "auditornya": "auditor", "izinnya": "izin",
}

# English words that citizens mix into Indonesian sentences, mapped to the Indonesian word.
ENGLISH = {
    "staff": "petugas", "officer": "petugas", "officers": "petugas", "fee": "biaya", "fees": "biaya",
    "cost": "biaya", "charge": "biaya", "charged": "ditagih", "pay": "bayar", "paid": "bayar",
    "payment": "pembayaran", "invoice": "tagihan", "receipt": "kuitansi", "requirement": "persyaratan",
    "requirements": "persyaratan", "document": "dokumen", "documents": "dokumen", "slow": "lambat",
    "late": "terlambat", "delay": "terlambat", "delayed": "terlambat", "pending": "tertunda",
    "waiting": "menunggu", "weeks": "minggu", "week": "minggu", "months": "bulan", "month": "bulan",
    "days": "hari", "rude": "kasar", "unprofessional": "tidak profesional", "parking": "parkir",
    "queue": "antrian", "toilet": "toilet", "complaint": "pengaduan", "complaints": "pengaduan",
    "response": "tanggapan", "reply": "balasan", "follow": "tindak", "certificate": "sertifikat",
    "approval": "persetujuan", "procedure": "prosedur", "process": "proses", "workflow": "alur",
    "flow": "alur", "stage": "tahap", "step": "langkah", "steps": "langkah", "wrong": "salah",
    "error": "galat", "down": "gangguan", "website": "situs", "survey": "survei", "safety": "keselamatan",
    "regulation": "peraturan", "legal": "hukum", "basis": "dasar", "guarantee": "jaminan",
    "supervisor": "atasan", "training": "pelatihan", "free": "gratis", "bribe": "suap", "update": "kabar",
}

# Words too common to tell one complaint from another (explanations, similar complaints).
STOP_WORDS = frozenset("""yang dan di ke dari ini itu saya kami kita kamu anda ia dia mereka untuk dengan pada
dalam akan juga atau karena sudah belum tidak bukan ada adalah oleh agar supaya tapi tetapi namun lagi
masih sangat banget sih kok ya nya dong deh lah kah pun jadi bisa mau ingin harus hanya saja sama telah
bapak ibu kakak admin mohon tolong terima kasih selamat pagi siang sore malam yth hormat dengan the and to
of is in for we our you it was are be this that not please sir madam""".split())

# Of each complaint, the classifier and the similar-ticket search read this many characters: the
# matter is stated early, and a long mail (quoted threads, pasted documents) stays cheap.
READ_CHARS = 2000

_URL = re.compile(r"(https?://|www\.)\S+")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_TICKET = re.compile(r"\b[a-z]{2,5}-\d{4}-\d{3,}\b")
_MONEY = re.compile(r"\brp\.?\s?\d[\d.,]*(\s?(rb|ribu|jt|juta))?\b|\b\d[\d.,]*\s?(rb|ribu|jt|juta|k)\b")
_REDUP = re.compile(r"\b([a-z]{3,})2\b")  # "kelar2" is "kelar-kelar"
_REPEAT = re.compile(r"([a-z])\1{2,}")  # "lamaaa" -> "lama"
_NON_WORD = re.compile(r"[^a-z\s]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower-case, standard spelling, placeholders for links, money and ticket numbers."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _URL.sub(" situs ", text)
    text = _EMAIL.sub(" surel ", text)
    text = _TICKET.sub(" nomortiket ", text)
    text = _MONEY.sub(" rupiah ", text)
    text = _REDUP.sub(r"\1 \1", text)
    text = _REPEAT.sub(r"\1", text)
    text = text.replace("-", " ")
    text = _NON_WORD.sub(" ", text)
    words = []
    for word in text.split():
        word = SHORTHAND.get(word, word)
        word = ENGLISH.get(word, word)
        words.append(word)
    return _SPACES.sub(" ", " ".join(words)).strip()


def complaint_text(subject: str | None, body: str | None) -> str:
    """What the classifier reads of a complaint: the subject unless it only repeats the body."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or body.startswith(subject) or subject.startswith(body):
        return body or subject
    return f"{subject}\n{body}"
