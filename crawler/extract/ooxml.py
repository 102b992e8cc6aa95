"""Reading parts of an OOXML (zip) package without letting a zip bomb inflate in memory."""

from __future__ import annotations

import io
import zipfile

from crawler.extract.errors import Corrupt, TooLarge

# No real report's document.xml comes near this; a zip bomb goes far past it.
MAX_INFLATED = 200_000_000


def open_package(data: bytes) -> zipfile.ZipFile:
    """The package, refused before any inflating when its members declare too much."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise Corrupt(f"not a readable zip package: {exc}") from exc
    declared = sum(info.file_size for info in package.infolist())
    if declared > MAX_INFLATED:
        biggest = max(package.infolist(), key=lambda info: info.file_size)
        raise TooLarge(
            f"{biggest.filename} inflates to {biggest.file_size:,} bytes "
            f"(package {declared:,} > limit {MAX_INFLATED:,})"
        )
    return package


def read_part(package: zipfile.ZipFile, name: str) -> bytes:
    """One member, read in chunks so a member that lies about its size is still stopped."""
    chunks, total = [], 0
    try:
        with package.open(name) as member:
            while chunk := member.read(1 << 20):
                total += len(chunk)
                if total > MAX_INFLATED:
                    raise TooLarge(f"{name} inflates past {MAX_INFLATED:,} bytes")
                chunks.append(chunk)
    except KeyError as exc:
        raise Corrupt(f"package has no {name}") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise Corrupt(f"{name}: {exc}") from exc
    return b"".join(chunks)
