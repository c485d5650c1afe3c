"""What the bot says, in Indonesian first and English on /language."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "id": {
        "intro": ("Selamat datang di layanan pengaduan {office}.\n"
                  "Di sini Anda dapat menyampaikan pengaduan atas layanan yang Anda terima.\n"
                  "/lapor — buat pengaduan\n/status NOMOR — lihat status tiket Anda\n"
                  "/batal — batalkan\n/language — English"),
        "ask_name": "Siapa nama lengkap Anda?",
        "bad_name": "Mohon tulis nama lengkap Anda (2–200 huruf).",
        "ask_contact": ("Bagaimana kami menghubungi Anda? Tekan tombol untuk memakai nomor telepon Anda, "
                        "atau tulis alamat e-mail / nomor telepon Anda."),
        "share_phone": "Pakai nomor ini",
        "bad_contact": "Kontak tidak dikenali. Tulis alamat e-mail atau nomor telepon (mis. 0812…).",
        "ask_service": "Layanan apa yang Anda adukan? Pilih salah satu:",
        "other_service": "Lainnya",
        "bad_service": "Mohon pilih layanan dengan tombol di atas.",
        "ask_date": ("Kapan Anda menerima layanan itu? Tulis tanggalnya (mis. 2026-03-02 atau 02-03-2026), "
                     "\"hari ini\", atau \"-\" bila tidak ingat."),
        "bad_date": "Tanggal tidak dikenali atau di masa depan. Contoh: 02-03-2026.",
        "ask_what": "Ceritakan apa yang terjadi.",
        "bad_what": "Mohon ceritakan kejadiannya dalam beberapa kalimat.",
        "ask_outcome": "Apa yang Anda harapkan dari kami?",
        "ask_files": "Kirim foto atau dokumen pendukung bila ada, lalu tekan \"Selesai\".",
        "done_files": "Selesai",
        "file_ok": "Berkas diterima ({count}). Kirim lagi atau tekan \"Selesai\".",
        "file_big": "Berkas {name} terlalu besar ({size} bita; batas {limit} bita) dan tidak disimpan.",
        "file_many": "Paling banyak {limit} berkas.",
        "summary": ("Mohon periksa pengaduan Anda:\nNama: {name}\nKontak: {contact}\nLayanan: {service}\n"
                    "Tanggal layanan: {date}\nKejadian: {what}\nHarapan: {outcome}\nLampiran: {files}"),
        "confirm": "Kirim",
        "cancel_button": "Batal",
        "bad_confirm": "Tekan \"Kirim\" untuk mengirim atau \"Batal\" untuk membatalkan.",
        "cancelled": "Dibatalkan. Ketik /lapor untuk memulai lagi.",
        "nothing_to_cancel": "Tidak ada yang dibatalkan. Ketik /lapor untuk membuat pengaduan.",
        "submitted": ("Terima kasih. Nomor tiket Anda: {number}.\nDicatat sebagai: {kind} — {reason}\n"
                      "{due}Cek status: /status {number}"),
        "due": "Batas waktu jawaban: {due}.\n",
        "kind_complaint": "pengaduan", "kind_suggestion": "saran/masukan",
        "unknown": "Belum diketahui", "none": "tidak ada",
        "joined": "Pesan Anda ditambahkan ke tiket {number}.",
        "no_ticket": "Anda belum memiliki tiket terbuka. Ketik /lapor untuk membuat pengaduan.",
        "status_usage": "Tulis: /status NOMOR, mis. /status ADU-2026-000123",
        "status_unknown": "Tiket {number} tidak ditemukan di antara tiket Anda.",
        "status": "Tiket {number}: {label}\n{history}",
        "unsupported": "Maaf, jenis pesan ini tidak dapat kami proses. Kirim teks, foto, atau dokumen.",
        "edited": "Pesan yang diubah tidak diproses. Kirim pesan baru bila ada tambahan.",
        "too_fast": "Terlalu banyak pesan. Mohon tunggu sebentar sebelum mengirim lagi.",
        "language": "Bahasa: Indonesia. Type /language for English.",
        "busy": "Mohon maaf, terjadi gangguan. Silakan coba lagi sebentar lagi.",
    },
    "en": {
        "intro": ("Welcome to the complaint service of {office}.\n"
                  "Here you can file a complaint about a service you received.\n"
                  "/lapor — file a complaint\n/status NUMBER — your ticket's status\n"
                  "/batal — cancel\n/language — Bahasa Indonesia"),
        "ask_name": "What is your full name?",
        "bad_name": "Please write your full name (2–200 letters).",
        "ask_contact": ("How can we reach you? Press the button to use your phone number, "
                        "or write your e-mail address / phone number."),
        "share_phone": "Use this number",
        "bad_contact": "Contact not recognised. Write an e-mail address or a phone number (e.g. 0812…).",
        "ask_service": "Which service is your complaint about? Choose one:",
        "other_service": "Other",
        "bad_service": "Please choose a service with the buttons above.",
        "ask_date": ("When did you receive that service? Write the date (e.g. 2026-03-02 or 02-03-2026), "
                     "\"today\", or \"-\" if you don't remember."),
        "bad_date": "Date not recognised or in the future. Example: 02-03-2026.",
        "ask_what": "Tell us what happened.",
        "bad_what": "Please describe what happened in a few sentences.",
        "ask_outcome": "What outcome do you expect?",
        "ask_files": "Send photos or documents if you have any, then press \"Done\".",
        "done_files": "Done",
        "file_ok": "File received ({count}). Send more or press \"Done\".",
        "file_big": "File {name} is too large ({size} bytes; limit {limit} bytes) and was not kept.",
        "file_many": "At most {limit} files.",
        "summary": ("Please check your complaint:\nName: {name}\nContact: {contact}\nService: {service}\n"
                    "Service date: {date}\nWhat happened: {what}\nExpected: {outcome}\nAttachments: {files}"),
        "confirm": "Send",
        "cancel_button": "Cancel",
        "bad_confirm": "Press \"Send\" to send or \"Cancel\" to cancel.",
        "cancelled": "Cancelled. Type /lapor to start again.",
        "nothing_to_cancel": "Nothing to cancel. Type /lapor to file a complaint.",
        "submitted": ("Thank you. Your ticket number: {number}.\nRecorded as: {kind} — {reason}\n"
                      "{due}Check its status: /status {number}"),
        "due": "Answer due by: {due}.\n",
        "kind_complaint": "complaint", "kind_suggestion": "suggestion",
        "unknown": "Unknown", "none": "none",
        "joined": "Your message was added to ticket {number}.",
        "no_ticket": "You have no open ticket. Type /lapor to file a complaint.",
        "status_usage": "Write: /status NUMBER, e.g. /status ADU-2026-000123",
        "status_unknown": "Ticket {number} was not found among your tickets.",
        "status": "Ticket {number}: {label}\n{history}",
        "unsupported": "Sorry, we cannot process this kind of message. Send text, a photo or a document.",
        "edited": "Edited messages are not processed. Send a new message to add something.",
        "too_fast": "Too many messages. Please wait a moment before sending again.",
        "language": "Language: English. Ketik /language untuk Bahasa Indonesia.",
        "busy": "Sorry, something went wrong. Please try again shortly.",
    },
}


def lookup(texts: dict[str, dict[str, str]], lang: str, key: str, **values) -> str:
    """Text ``key`` of a table in ``lang`` (Indonesian when unknown), formatted with ``values``."""
    table = texts.get(lang, texts["id"])
    return table[key].format(**values) if values else table[key]


def t(lang: str, key: str, **values) -> str:
    """What the bot says: ``key`` in ``lang``."""
    return lookup(TEXTS, lang, key, **values)
