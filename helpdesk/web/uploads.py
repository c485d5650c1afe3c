"""Checks on uploaded files: allowed type, size, and content that matches the name."""
from __future__ import annotations

from channels.base import InboundAttachment
from helpdesk.tickets.storage import safe_filename

# The first bytes each allowed type must start with; a mislabelled file is refused.
_MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
          "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "txt": "text/plain"}


def _looks_like(ext: str, data: bytes) -> bool:
    if ext == "txt":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return any(data.startswith(m) for m in _MAGIC.get(ext, ()))


def check_uploads(files, *, allowed: set[str], max_bytes: int, max_files: int) -> tuple[list, list[str]]:
    """(attachments, errors) for werkzeug FileStorage objects; empty file inputs are skipped."""
    attachments, errors = [], []
    present = [f for f in files if f and f.filename]
    if len(present) > max_files:
        return [], [f"Paling banyak {max_files} lampiran."]
    for f in present:
        name = safe_filename(f.filename)
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        data = f.read(max_bytes + 1)
        if ext not in allowed:
            errors.append(f"{name}: jenis berkas tidak diizinkan (boleh: {', '.join(sorted(allowed))}).")
        elif len(data) > max_bytes:
            errors.append(f"{name}: berkas lebih besar dari {max_bytes // (1024 * 1024)} MB.")
        elif not data:
            errors.append(f"{name}: berkas kosong.")
        elif not _looks_like(ext, data):
            errors.append(f"{name}: isi berkas tidak sesuai dengan jenisnya (.{ext}).")
        else:
            attachments.append(InboundAttachment(filename=name, content_type=_TYPES[ext], data=data))
    return attachments, errors
