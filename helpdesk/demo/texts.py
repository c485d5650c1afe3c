"""What the demo office's people write: e-mail subjects, officers' analyses and answers, replies.

Per service-standard component, so each answer fits the complaint it answers. Indonesian, as an
office writes to citizens; ``{layanan}`` is the service in words.
"""
from __future__ import annotations

SERVICE_WORDS = {
    "sertifikat-standar-kbli-22210": "layanan Sertifikat Standar KBLI 22210",
    "sertifikasi-industri-hijau": "layanan Sertifikasi Industri Hijau",
    None: "layanan kantor kami",
}
REGULATIONS = {
    "sertifikat-standar-kbli-22210": "Standar Pelayanan Sertifikat Standar KBLI 22210 (7 hari kerja, tanpa biaya); "
                                     "PP Nomor 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko",
    "sertifikasi-industri-hijau": "Standar Pelayanan Sertifikasi Industri Hijau (21 hari kerja); tarif PNBP "
                                  "menurut PP No. 54 Tahun 2021",
    None: "UU No. 25 Tahun 2009 tentang Pelayanan Publik; maklumat dan standar pelayanan kantor",
}

# component -> (e-mail subject, core problem, handling plan, actions taken, answer)
BY_COMPONENT: dict[str, tuple[str, str, str, str, str]] = {
    "persyaratan": (
        "Pertanyaan tentang persyaratan permohonan",
        "Pelapor mempertanyakan persyaratan yang diminta petugas dibandingkan dengan standar pelayanan.",
        "Klarifikasi ke petugas loket dan pencocokan dengan daftar persyaratan resmi.",
        "Daftar persyaratan di loket dan di laman web diseragamkan; petugas diingatkan agar tidak meminta "
        "dokumen di luar standar.",
        "Terima kasih atas laporan Bapak/Ibu. Persyaratan {layanan} adalah yang tercantum dalam standar "
        "pelayanan; dokumen di luar daftar itu tidak wajib dilampirkan. Daftar persyaratan di loket dan di laman "
        "web telah kami samakan, dan petugas telah kami ingatkan. Berkas Bapak/Ibu dapat diproses dengan "
        "dokumen yang sudah diserahkan."),
    "prosedur": (
        "Alur permohonan membingungkan",
        "Alur dan mekanisme pelayanan dinilai tidak jelas atau berulang oleh pelapor.",
        "Penelusuran alur permohonan pelapor dan klarifikasi ke bidang teknis.",
        "Alur permohonan dijelaskan kepada pelapor; bagan alur di ruang layanan diperbarui.",
        "Terima kasih atas masukan Bapak/Ibu. Alur {layanan} kami jelaskan sebagai berikut: berkas cukup "
        "diunggah sekali melalui sistem daring, lalu diverifikasi petugas tanpa perlu menyerahkan salinan fisik. "
        "Bagan alur di ruang layanan dan di laman web telah kami perbarui agar tidak menimbulkan kebingungan."),
    "jangka_waktu": (
        "Berkas belum selesai melewati jangka waktu",
        "Penyelesaian permohonan melewati jangka waktu dalam standar pelayanan.",
        "Pemeriksaan posisi berkas dan konfirmasi ke petugas pemroses.",
        "Berkas pelapor diproses dan diselesaikan; penyebab keterlambatan (antrean verifikasi) dicatat.",
        "Mohon maaf atas keterlambatan penyelesaian {layanan}. Setelah kami periksa, berkas Bapak/Ibu tertahan "
        "pada antrean verifikasi. Berkas tersebut telah kami selesaikan dan hasilnya dapat diunduh atau diambil "
        "di loket. Kami juga menambah petugas verifikasi agar jangka waktu dalam standar pelayanan terpenuhi."),
    "biaya": (
        "Diminta biaya di luar tarif resmi",
        "Dugaan pungutan di luar tarif resmi oleh petugas.",
        "Klarifikasi kepada petugas yang disebut, pemeriksaan bukti, dan konfirmasi kepada pelapor.",
        "Petugas yang bersangkutan diperiksa atasannya dan dijatuhi teguran tertulis; uang dikembalikan.",
        "Terima kasih atas keberanian Bapak/Ibu melapor. Biaya {layanan} hanya sesuai tarif resmi dalam standar "
        "pelayanan; pungutan lain tidak sah. Petugas yang bersangkutan telah diperiksa dan dijatuhi sanksi "
        "sesuai ketentuan, dan uang yang dibayarkan dikembalikan. Bila ada permintaan serupa, mohon segera "
        "laporkan kembali kepada kami."),
    "produk": (
        "Kesalahan pada dokumen hasil layanan",
        "Dokumen hasil layanan memuat kesalahan atau tidak dapat dipakai.",
        "Pemeriksaan dokumen hasil layanan dan penerbitan ulang bila terbukti salah.",
        "Dokumen diperbaiki dan diterbitkan ulang tanpa biaya.",
        "Terima kasih atas laporan Bapak/Ibu. Kesalahan pada dokumen hasil {layanan} telah kami perbaiki dan "
        "dokumen pengganti telah diterbitkan tanpa biaya. Dokumen dapat diunduh kembali atau diambil di loket "
        "dengan menunjukkan nomor pengaduan ini."),
    "penanganan_pengaduan": (
        "Pengaduan sebelumnya belum ditanggapi",
        "Pengaduan terdahulu pelapor belum ditanggapi sebagaimana mestinya.",
        "Penelusuran pengaduan terdahulu dan penanganan ulang oleh pejabat pengelola pengaduan.",
        "Pengaduan terdahulu ditindaklanjuti; pencatatan pengaduan kini melalui satu sistem.",
        "Mohon maaf, pengaduan Bapak/Ibu sebelumnya tidak tertangani dengan baik. Pengaduan tersebut telah kami "
        "tindak lanjuti, dan sejak kini setiap pengaduan dicatat dalam satu sistem dengan batas waktu jawaban "
        "14 hari kerja, sehingga perkembangannya dapat Bapak/Ibu pantau dengan nomor pengaduan."),
    "dasar_hukum": (
        "Permintaan penjelasan dasar hukum",
        "Pelapor meminta dasar hukum atas ketentuan yang disampaikan petugas.",
        "Penelusuran peraturan yang dirujuk dan konfirmasi ke bidang hukum.",
        "Dasar hukum disampaikan kepada pelapor beserta pasal yang relevan.",
        "Terima kasih atas pertanyaan Bapak/Ibu. Ketentuan yang disampaikan petugas mengacu pada {peraturan}. "
        "Salinan pasal yang relevan kami lampirkan pada jawaban ini; bila masih ada yang perlu dijelaskan, "
        "Bapak/Ibu dapat berkonsultasi di loket informasi."),
    "sarana_prasarana": (
        "Keluhan fasilitas ruang layanan",
        "Sarana atau fasilitas pelayanan rusak atau tidak memadai.",
        "Pengecekan fasilitas oleh subbagian umum.",
        "Fasilitas diperbaiki; pemeriksaan fasilitas dijadwalkan tiap pekan.",
        "Terima kasih atas laporan Bapak/Ibu. Fasilitas yang dikeluhkan telah kami periksa dan perbaiki, dan "
        "pemeriksaan sarana ruang layanan kini dijadwalkan setiap pekan. Mohon maaf atas ketidaknyamanannya."),
    "kompetensi_pelaksana": (
        "Sikap dan kemampuan petugas",
        "Petugas dinilai tidak kompeten atau tidak sopan dalam melayani.",
        "Klarifikasi kepada petugas dan atasannya; pemeriksaan rekaman layanan bila ada.",
        "Petugas dibina oleh atasannya dan diikutkan pelatihan layanan prima.",
        "Terima kasih atas laporan Bapak/Ibu, dan mohon maaf atas pelayanan yang kurang baik. Petugas yang "
        "bersangkutan telah dibina oleh atasannya dan diikutkan pelatihan pelayanan prima. Kami akan terus "
        "memantau agar kejadian serupa tidak terulang."),
    "pengawasan_internal": (
        "Pengawasan terhadap petugas",
        "Pelapor menilai pengawasan atasan terhadap petugas tidak berjalan.",
        "Penelaahan oleh pimpinan dan koordinasi dengan pengawas internal.",
        "Pimpinan menugaskan pemantauan berkala di ruang layanan dan membuka kanal pelaporan langsung.",
        "Terima kasih atas perhatian Bapak/Ibu. Pimpinan telah menugaskan pemantauan berkala di ruang layanan, "
        "dan laporan tentang petugas kini dapat disampaikan langsung kepada pimpinan melalui kanal pengaduan ini."),
    "jumlah_pelaksana": (
        "Petugas layanan kurang",
        "Jumlah petugas layanan tidak mencukupi pada jam tertentu.",
        "Pemeriksaan jadwal piket petugas loket.",
        "Jadwal piket diatur ulang sehingga loket tetap buka pada jam istirahat.",
        "Terima kasih atas masukan Bapak/Ibu. Jadwal petugas loket telah kami atur ulang sehingga loket tetap "
        "melayani pada jam istirahat, dan petugas cadangan disiapkan pada hari-hari ramai."),
    "jaminan_pelayanan": (
        "Menagih janji maklumat pelayanan",
        "Pelapor menagih pemenuhan maklumat dan jaminan pelayanan.",
        "Penelaahan pemenuhan maklumat pelayanan pada kasus pelapor.",
        "Layanan pelapor diselesaikan; pelanggaran maklumat dicatat dalam evaluasi kinerja unit.",
        "Terima kasih atas laporan Bapak/Ibu. Kami mengakui layanan kepada Bapak/Ibu belum sesuai maklumat "
        "pelayanan. Layanan tersebut telah kami selesaikan, dan kejadian ini dicatat dalam evaluasi kinerja unit "
        "sebagai bentuk tanggung jawab kami."),
    "keamanan_keselamatan": (
        "Keamanan dan keselamatan layanan",
        "Kondisi yang membahayakan keamanan atau keselamatan pengguna layanan.",
        "Pemeriksaan lokasi dan prosedur keselamatan.",
        "Tanda peringatan dipasang dan prosedur keselamatan diingatkan kepada petugas.",
        "Terima kasih atas laporan Bapak/Ibu. Kondisi yang dilaporkan telah kami periksa dan tangani, tanda "
        "peringatan dipasang, dan petugas kembali diingatkan tentang prosedur keamanan dan keselamatan."),
    "evaluasi_kinerja": (
        "Usulan tentang evaluasi kinerja dan survei",
        "Pelapor meminta evaluasi kinerja dan hasil survei kepuasan dibuka.",
        "Penelaahan jadwal survei kepuasan dan publikasinya.",
        "Hasil survei kepuasan dipublikasikan setiap triwulan di halaman statistik.",
        "Terima kasih atas masukan Bapak/Ibu. Survei kepuasan kini dikirim setelah setiap pengaduan dijawab, dan "
        "hasilnya (IKM) kami umumkan setiap triwulan di halaman statistik laman kami."),
    "lainnya": (
        "Pertanyaan umum",
        "Hal yang disampaikan berada di luar kewenangan kantor.",
        "Penelaahan kewenangan dan pengarahan ke instansi terkait.",
        "Pelapor diarahkan ke instansi yang berwenang.",
        "Terima kasih telah menghubungi kami. Hal yang Bapak/Ibu sampaikan berada di luar kewenangan kantor kami; "
        "silakan menghubungi instansi yang berwenang. Bila terkait layanan kami, kami siap membantu."),
}

OUT_OF_SCOPE = ("Terima kasih telah menghubungi kami. Hal yang Bapak/Ibu sampaikan berada di luar kewenangan "
                "kantor kami, sehingga laporan ini tidak dapat kami tindak lanjuti. Silakan menghubungi instansi "
                "yang berwenang.")
SUGGESTION_THANKS = ("Terima kasih atas saran dan masukan Bapak/Ibu. Masukan ini telah kami catat dan akan "
                     "menjadi bahan perbaikan layanan; karena disampaikan lebih dari 30 hari setelah layanan "
                     "diterima, laporan ini kami tangani sebagai saran/masukan.")
ASK_DOCUMENTS = ("Untuk menindaklanjuti pengaduan Bapak/Ibu, mohon kirimkan nomor permohonan dan foto atau "
                 "salinan bukti yang Bapak/Ibu miliki. Batas waktu jawaban kami hentikan sementara sampai "
                 "keterangan tersebut kami terima.")
DOCUMENTS_SENT = "Berikut nomor permohonan dan bukti yang diminta. Mohon segera diproses, terima kasih."
NOT_SOLVED = ("Jawaban sudah saya terima, tetapi masalahnya belum selesai: sampai hari ini dokumen saya belum "
              "juga diperbaiki. Mohon ditindaklanjuti kembali.")
STRANGER = ("Selamat siang, saya rekan kerja pelapor di perusahaan yang sama. Mohon informasi sampai di mana "
            "penanganan laporan ini, karena beliau sedang dinas luar.")
FORWARDED = "Diteruskan untuk pemeriksaan teknis; jawaban tim teknis ditunggu sebelum jawaban akhir."
APIP_REASON = ("Dugaan pungutan di luar tarif resmi oleh petugas; perlu pemeriksaan oleh aparat pengawas "
               "intern.")
APIP_RESULT = ("Inspektorat telah memeriksa laporan ini: pungutan terbukti dan petugas dijatuhi hukuman "
               "disiplin.")
APPROVAL_NOTE = "Disetujui; mohon Inspektorat menindaklanjuti dalam 10 hari kerja."
ESCALATION_NOTE = "Perlu keputusan kepala bidang: pelapor meminta pertemuan dengan pimpinan."
PHONED = ("Jawaban gagal terkirim ke e-mail pelapor (alamat tidak dikenal); jawaban disampaikan melalui "
          "telepon dan pelapor menerimanya.")
CLOSED_QUIETLY = "Pelapor tidak menyampaikan keberatan atas jawaban."
ACKNOWLEDGED = "Dicatat sebagai saran/masukan untuk perbaikan layanan."
REJECTED = "Di luar kewenangan kantor; pelapor diarahkan ke instansi terkait."
MERGED = "Laporan yang sama dikirim dua kali melalui kanal berbeda."
REOPEN_REASON = "Dokumen saya belum diperbaiki walaupun jawaban sudah dikirim."
ACCEPTED_BY_REPORTER = "Pelapor menerima jawaban."
SURVEY_COMMENTS = {
    4: ["Cepat dan jelas, terima kasih.", "Petugas ramah dan tuntas menjelaskan.", ""],
    3: ["Sudah baik, semoga bisa lebih cepat.", "", "Jawaban jelas, tapi harus menunggu agak lama."],
    2: ["Jawabannya lama sekali.", "Masalah selesai setelah beberapa kali menanyakan.", ""],
}


def subject(component: str) -> str:
    return BY_COMPONENT[component][0]


def analysis(component: str, service: str | None) -> dict[str, str]:
    """The R5 analysis an officer records for a complaint of this component."""
    _, core, plan, _, _ = BY_COMPONENT[component]
    return {"core_problem": core, "regulation_ref": REGULATIONS[service], "handling_plan": plan}


def actions_taken(component: str) -> str:
    return BY_COMPONENT[component][3]


def answer(component: str, service: str | None) -> str:
    """The final answer to a complaint of this component about this service."""
    return BY_COMPONENT[component][4].format(layanan=SERVICE_WORDS[service], peraturan=REGULATIONS[service])


EXPECTED = {
    "biaya": "Uang dikembalikan dan petugas yang meminta ditindak.",
    "jangka_waktu": "Berkas segera diselesaikan.",
    "produk": "Dokumen diperbaiki dan diterbitkan ulang.",
    "persyaratan": "Penjelasan persyaratan yang benar.",
    "kompetensi_pelaksana": "Petugas dibina agar melayani dengan baik.",
}


def expected(component: str) -> str:
    """What the reporter asks for, as the form's 'expected outcome' field holds it."""
    return EXPECTED.get(component, "Mohon segera ditindaklanjuti.")
