"""Light normalisation of extracted text; the deep cleaning is crawler.cleaning's job."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls (but tab and newline) and the non-characters some PDF producers emit.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def tidy(text: str) -> str:
    """NFC, one newline convention, no trailing spaces, no empty lines."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_CONTROL.sub("", line).rstrip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line.strip())
