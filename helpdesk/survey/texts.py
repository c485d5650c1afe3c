"""What the survey says to the reporter by e-mail and in chat, Indonesian first."""
from __future__ import annotations

from helpdesk.chat.texts import lookup

TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "email_subject": "[{number}] Survei kepuasan atas penanganan pengaduan Anda",
        "email": ("Yth. {name},\n\nPengaduan Anda {number} telah dijawab. Mohon luangkan dua menit untuk "
                  "menilai pelayanan kami dalam Survei Kepuasan Masyarakat (9 pertanyaan, nilai 1–4):\n\n{url}\n\n"
                  "Tautan ini berlaku sampai {expires}. Jawaban Anda dipakai untuk menghitung Indeks Kepuasan "
                  "Masyarakat dan tidak memengaruhi penanganan pengaduan Anda.\n\n{office}"),
        "chat": ("Pengaduan {number} telah dijawab. Bantu kami menilai pelayanan kami: Survei Kepuasan "
                 "Masyarakat, 9 pertanyaan dengan nilai 1–4. Tekan \"Isi survei\" atau buka {url}\n"
                 "Berlaku sampai {expires}."),
        "start": "Isi survei",
        "question": "Pertanyaan {i}/{n} — {label}\n{question}\n1 = Tidak baik … 4 = Sangat baik",
        "ask_comment": "Terima kasih. Ada saran atau komentar? Tulis di sini, atau tekan \"Lewati\".",
        "skip": "Lewati",
        "thanks": "Terima kasih, penilaian Anda untuk {number} telah kami terima.",
        "already": "Survei untuk {number} sudah diisi sebelumnya. Terima kasih.",
        "expired": "Maaf, waktu pengisian survei untuk {number} sudah berakhir.",
        "unknown": "Survei ini tidak ditemukan atau bukan untuk percakapan ini.",
        "stale": "Pertanyaan itu sudah dijawab. Mohon jawab pertanyaan berikut:",
        "inactive": "Tidak ada survei yang sedang diisi.",
        "busy": "Selesaikan atau batalkan (/batal) laporan yang sedang Anda isi, lalu tekan \"Isi survei\" lagi.",
        "bad_score": "Mohon pilih nilai 1, 2, 3 atau 4 dengan tombol.",
    },
    "en": {
        "email_subject": "[{number}] Satisfaction survey on the handling of your complaint",
        "email": ("Dear {name},\n\nYour complaint {number} has been answered. Please take two minutes to rate "
                  "our service in the public-satisfaction survey (9 questions, scores 1–4):\n\n{url}\n\n"
                  "This link is valid until {expires}. Your answers go into the public-satisfaction index "
                  "and do not affect the handling of your complaint.\n\n{office}"),
        "chat": ("Complaint {number} has been answered. Help us rate our service: the public-satisfaction "
                 "survey, 9 questions scored 1–4. Press \"Take the survey\" or open {url}\n"
                 "Valid until {expires}."),
        "start": "Take the survey",
        "question": "Question {i}/{n} — {label}\n{question}\n1 = Not good … 4 = Very good",
        "ask_comment": "Thank you. Any suggestion or comment? Write it here, or press \"Skip\".",
        "skip": "Skip",
        "thanks": "Thank you, your rating for {number} has been received.",
        "already": "The survey for {number} was already answered. Thank you.",
        "expired": "Sorry, the time to answer the survey for {number} has ended.",
        "unknown": "This survey was not found or is not for this chat.",
        "stale": "That question was already answered. Please answer the next one:",
        "inactive": "No survey is in progress.",
        "busy": "Finish or cancel (/batal) the report you are filling in, then press \"Take the survey\" again.",
        "bad_score": "Please choose a score 1, 2, 3 or 4 with the buttons.",
    },
}


def t(lang: str, key: str, **values) -> str:
    """The survey text ``key`` in ``lang``."""
    return lookup(TEXTS, lang, key, **values)
