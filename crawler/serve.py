"""`govreports serve`: Datasette on the archive, read-only, with our pages, metadata and queries.

Read-only, the right way for a live file: the archive is passed as a plain (mutable) database,
which Datasette opens with ``file:...?mode=ro`` connections. SQLite then refuses every write, and
WAL readers see each committed crawl transaction as it lands. ``-i``/``--immutable`` would be
wrong here: ``immutable=1`` tells SQLite the file never changes, so it skips locking and ignores
the WAL, and reads during a crawl can be stale or inconsistent. No canned query is writable and
no write plugin is installed, so Datasette never asks for a write connection.

What is ours (crawler/archive/datasette/): a plugin with the researcher's pages (home, search,
report, downloads, figures, coverage: plugin.py), templates that put them and Datasette's own pages in
Chinese, a stylesheet, and metadata.yml (labels, descriptions, canned queries).
"""

from __future__ import annotations

import errno
import json
import socket
import sqlite3
import tempfile
from importlib import resources
from pathlib import Path

from crawler.archive import ArchiveUnavailable, ArchiveView, ensure_stdlib_sqlite
from crawler.archive.datasette import STATIC_MOUNT

DEFAULT_HOST = "127.0.0.1"  # local only unless the user says otherwise
DEFAULT_PORT = 8001
SETTINGS = {"sql_time_limit_ms": 5000, "max_returned_rows": 1000, "facet_time_limit_ms": 500}
UI = resources.files("crawler.archive.datasette")


def load_metadata(db_name: str, base_url: str = "/") -> dict:
    """Datasette metadata for the archive served under ``db_name`` (the file's stem)."""
    from datasette.utils import parse_metadata

    raw = parse_metadata(UI.joinpath("metadata.yml").read_text("utf-8"))
    database = raw.pop("database")
    metadata = _fill(raw, db=db_name, base=base_url)
    metadata["databases"] = {db_name: _fill(database, db=db_name, base=base_url)}
    return metadata


def _fill(value: object, **names: str) -> object:
    # Only HTML descriptions carry {db}/{base} placeholders; SQL is left alone (it has braces).
    if isinstance(value, dict):
        return {
            k: v.format(**names) if k == "description_html" else _fill(v, **names)
            for k, v in value.items()
        }
    return value


def register_plugin() -> None:
    """Our pages, once per process (Datasette's plugin manager is global)."""
    from datasette.plugins import pm

    from crawler.archive.datasette import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="govreports")


def datasette_args(path: Path, metadata_file: Path, host: str, port: int) -> list[str]:
    """Arguments for ``datasette serve``: no ``-i`` (see the module docstring)."""
    args = [str(path), "--metadata", str(metadata_file), "--host", host, "--port", str(port)]
    args += ["--template-dir", str(UI.joinpath("templates"))]
    args += ["--static", f"{STATIC_MOUNT}:{UI.joinpath('static')}"]
    for name, value in SETTINGS.items():
        args += ["--setting", name, str(value)]
    return args


def app(path: str | Path):
    """The same Datasette, in process (tests, embedding)."""
    from datasette.app import Datasette

    path = Path(path)
    register_plugin()
    return Datasette(
        [str(path)],
        metadata=load_metadata(path.stem),
        settings=SETTINGS,
        template_dir=str(UI.joinpath("templates")),
        static_mounts=[(STATIC_MOUNT, str(UI.joinpath("static")))],
    )


def check_archive(path: Path) -> None:
    """Fail early, with ArchiveUnavailable, unless ``path`` is a readable govreports archive
    with the schema the pages need (an older archive: run a crawl or any writer once)."""
    with ArchiveView.open(path) as archive:
        try:
            archive.check_searchable()
        except sqlite3.Error as exc:
            raise ArchiveUnavailable(
                f"{path} is not a govreports archive of this version ({exc}): open it for "
                "writing once (govreports crawl, or govreports reclean) to upgrade it"
            ) from exc


class PortBusy(Exception):
    """Another process listens on the port (exit 3, as a lock held by another run)."""


class BadAddress(ValueError):
    """An address this host cannot listen on (a usage error)."""


def check_port(host: str, port: int) -> None:
    """Bind the address once, before Datasette does, so that a busy port is one line and exit 3
    instead of uvicorn's log and exit 1 after the archive was opened."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise BadAddress(f"cannot listen on {host}:{port}: {exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortBusy(f"port {port} on {host} is busy (another server listens)") from None
            raise BadAddress(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def serve(path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Run Datasette on the archive until interrupted (blocks)."""
    from datasette import cli as datasette_cli

    path = Path(path)
    ensure_stdlib_sqlite()
    check_archive(path)
    check_port(host, port)
    register_plugin()
    with tempfile.TemporaryDirectory(prefix="govreports-serve-") as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        metadata = load_metadata(path.stem)
        metadata_file.write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
        # Datasette's own CLI entry point: the same startup checks as `datasette serve`.
        datasette_cli.serve.main(
            datasette_args(path, metadata_file, host, port),
            prog_name="govreports serve",
            standalone_mode=False,
        )
