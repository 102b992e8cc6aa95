"""DOC and WPS (Word 97 OLE files) through LibreOffice: converted to DOCX, then read by the
DOCX walker. antiword is faster but silently truncates the 2021 tables (F1 0.78 vs 1.00), so it
is only the fallback where LibreOffice is not installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from crawler.extract import office_service
from crawler.extract.docx import docx_text
from crawler.extract.errors import Corrupt, Timeout, Unsupported


def word97_text(data: bytes, timeout_s: float) -> tuple[str, str]:
    """(text, method) of a Word 97 file."""
    if shutil.which("soffice"):
        return docx_text(convert(data, "doc", "docx", timeout_s)), "libreoffice"
    if shutil.which("antiword"):
        return _antiword(data, timeout_s), "antiword"
    raise Unsupported("neither LibreOffice (soffice) nor antiword is installed")


def convert(data: bytes, src_ext: str, target: str, timeout_s: float) -> bytes:
    """`data` converted by the extraction server's running LibreOffice when there is one
    (crawler/extract/office_service.py), else by ``soffice --headless --convert-to target``."""
    converted = office_service.convert(data, src_ext, target, timeout_s)
    if converted is not None:
        return converted
    with tempfile.TemporaryDirectory(prefix="lo-") as tmp:
        src = Path(tmp, f"in.{src_ext}")
        src.write_bytes(data)
        # A private profile per run: two runs sharing one profile, the second silently
        # produces nothing.
        profile = Path(tmp, "profile").as_uri()
        command = ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}"]
        command += ["--convert-to", target, "--outdir", tmp, str(src)]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise Timeout(f"LibreOffice took longer than {timeout_s:g} s") from exc
        out = Path(tmp, f"in.{target}")
        if not out.exists():
            raise Corrupt(f"LibreOffice could not read this .{src_ext} file")
        return out.read_bytes()


def _antiword(data: bytes, timeout_s: float) -> str:
    with tempfile.NamedTemporaryFile(suffix=".doc") as src:
        src.write(data)
        src.flush()
        command = ["antiword", "-m", "UTF-8.txt", "-w", "0", src.name]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise Timeout(f"antiword took longer than {timeout_s:g} s") from exc
    if done.returncode != 0:
        raise Corrupt(f"antiword: {done.stderr.decode('utf-8', 'replace').strip()[-200:]}")
    return done.stdout.decode("utf-8", "replace")
