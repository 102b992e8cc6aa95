"""The sandbox's self-signed TLS certificate: one certificate whose SubjectAltName lists every
hostname the sandbox serves. Cached under sandbox/.cache/ (gitignored), keyed by the host list."""

from __future__ import annotations

import hashlib
import os
import ssl
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
VALIDITY = timedelta(days=825)
RENEW_BEFORE = timedelta(days=30)


def cert_paths(hosts: list[str], cache_dir: Path = CACHE_DIR) -> tuple[Path, Path]:
    """Return (certfile, keyfile) for these hosts, creating them if missing or nearly expired."""
    names = sorted(set(hosts))
    digest = hashlib.sha256("\n".join(names).encode()).hexdigest()[:12]
    cert_file = cache_dir / f"sandbox-{digest}.crt"
    key_file = cache_dir / f"sandbox-{digest}.key"
    if not (_still_valid(cert_file) and key_file.exists()):
        cache_dir.mkdir(parents=True, exist_ok=True)
        cert_pem, key_pem = _make_cert(names)
        # Key first, then the certificate: a reader that sees the certificate also sees its key.
        _atomic_write(key_file, key_pem)
        _atomic_write(cert_file, cert_pem)
    return cert_file, key_file


def server_context(hosts: list[str]) -> ssl.SSLContext:
    cert_file, key_file = cert_paths(hosts)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.set_alpn_protocols(["http/1.1"])  # h11 speaks HTTP/1.1 only; no h2 over TLS
    return context


def _make_cert(names: list[str]) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())  # EC: generated in milliseconds, unlike RSA
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "govreports offline sandbox"),
            x509.NameAttribute(NameOID.COMMON_NAME, names[0] if names else "sandbox"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _still_valid(cert_file: Path) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    except (OSError, ValueError):
        return False
    return cert.not_valid_after_utc - RENEW_BEFORE > datetime.now(UTC)


def _atomic_write(path: Path, data: bytes) -> None:
    # Tests start many sandboxes; a half-written file must never be visible to another one.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
