"""What a file is, from its bytes: portals send PDFs as application/octet-stream and Word 97
files named .wps, so neither the Content-Type nor the extension is trusted."""

from __future__ import annotations

import io
import re
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ole-word": "application/msword",
    "ole-excel": "application/vnd.ms-excel",
    "ole": "application/x-ole-storage",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "html": "text/html",
    "zip": "application/zip",
    "unknown": "application/octet-stream",
}

_PREFIXES = (
    (OLE_MAGIC, "ole"),
    (ZIP_MAGIC, "zip"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
_HTML = re.compile(rb"^(\xef\xbb\xbf)?\s*<(!doctype\s+html|html|head|body|meta)\b", re.I)


def sniff_prefix(data: bytes) -> str:
    """The kind from the first bytes alone: cheap and safe on any input. Containers stay
    ``zip`` and ``ole`` here; `sniff` looks inside them."""
    for magic, kind in _PREFIXES:
        if data.startswith(magic):
            return kind
    # The PDF header may follow some junk; readers accept it within the first 1024 bytes.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if _HTML.match(data[:1024]):
        return "html"
    return "unknown"


def sniff(data: bytes) -> str:
    """pdf, docx, xlsx, ole-word (doc and Kingsoft wps), ole-excel (xls), ole, png, jpeg, gif,
    html, zip or unknown. Reads zip and OLE directories, so call it in the worker."""
    kind = sniff_prefix(data)
    if kind == "zip":
        return _zip_kind(data)
    if kind == "ole":
        return _ole_kind(data)
    return kind


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def _ole_kind(data: bytes) -> str:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("WordDocument"):
                return "ole-word"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "ole-excel"
    except (OSError, ValueError, IndexError):
        pass
    return "ole"
