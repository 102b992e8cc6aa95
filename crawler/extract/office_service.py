"""One running LibreOffice for all the DOC and WPS files of a crawl.

`soffice --convert-to` starts LibreOffice for every file: about 1.7 s of CPU each on these
machines, most of it before the file is read. The extraction fork server (worker.py `--serve`)
instead keeps one office for its children, started when the first child asks for it, and a
child converts through it with uno_convert.py: about 0.5 s of CPU a file after a start of
about 1.3 s (21 sandbox DOC files through the extraction pool: 13.1 s against 42.6 s), the same
text for every one.

- **Server side** (`OfficeProcess`): started on request (a byte on a pipe every child inherits),
  as the server's own child: its own session, killed with the server even by kill -9
  (PR_SET_PDEATHSIG on soffice.bin itself, not on the launcher script that would leave it
  orphaned), under the children's memory limit. Killed when a child says it did not finish a
  file in time or dies by a signal (killed at its deadline, it may have left the office stuck on
  its file), and when the server ends; the next file starts a new one.
- **Child side** (`convert`): one conversion at a time (a lock file), or None when there is no
  service, no `uno` for the system's Python, or the office failed on the file: the caller then
  converts the one-shot way, so results and error messages stay those users know.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from crawler import procs
from crawler.extract.errors import Timeout

ENV = "GOVREPORTS_OFFICE"  # "FD:PIPE_NAME:FOLDER", set by the server for its children
# A Python that can import LibreOffice's `uno` (Debian's python3-uno is built for it).
UNO_PYTHON_ENV = "GOVREPORTS_UNO_PYTHON"
UNO_PYTHON = "/usr/bin/python3"
CLIENT = Path(__file__).with_name("uno_convert.py")
FILTERS = {"docx": "MS Word 2007 XML"}
START, STUCK = b"1", b"R"  # what a child writes on the request pipe
RESTART_CODE = 81  # soffice.bin's "start me again": it has just made its new profile
MEMORY_MB = 1024  # the extraction children's own default limit
CONNECT_S = 20.0  # a first start takes seconds on a busy machine; past this, one-shot
# A file waits this long for the office to be free, then converts one-shot, in parallel: a file
# the office is stuck on must not make every file queued behind it time out as well.
LOCK_WAIT_S = 10.0


def uno_python() -> str:
    return os.environ.get(UNO_PYTHON_ENV) or UNO_PYTHON


def office_binary() -> str | None:
    """soffice.bin beside the `soffice` launcher, or None without LibreOffice."""
    launcher = shutil.which("soffice")
    if launcher is None:
        return None
    binary = Path(launcher).resolve().with_name("soffice.bin")
    return str(binary) if binary.exists() else None


# --- the server's side ---------------------------------------------------------------------------
class OfficeProcess:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="govreports-office-"))
        self.pipe_name = f"govreports-office-{os.getpid()}"
        self.requests, self._request_w = os.pipe()
        os.set_blocking(self.requests, False)
        os.set_inheritable(self._request_w, True)
        self.pid: int | None = None
        self.starts = 0
        self._usable: bool | None = None  # not probed yet

    def child_env(self) -> dict[str, str]:
        return {ENV: f"{self._request_w}:{self.pipe_name}:{self.folder}"}

    def on_request(self) -> None:
        """Children wrote to `requests` (the server's loop saw it readable): START asks for the
        office, STUCK says it did not finish a file in time (it is started again on demand)."""
        said = b""
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(self.requests, 4096):
                said += chunk
        if STUCK in said:
            self.close_office()
        if START in said and self.pid is None and self.usable():
            self._start()

    def usable(self) -> bool:
        if self._usable is None:
            self._usable = office_binary() is not None and has_uno(uno_python())
            if not self._usable:
                (self.folder / "unavailable").touch()  # children stop asking
        return self._usable

    def reaped(self, pid: int, status: int) -> bool:
        """The server reaped `pid`; True if it was the office. A first start that made the
        profile asks to be started again."""
        if pid != self.pid:
            return False
        self.pid = None
        # (bounded: an office that asked at every start would otherwise be started forever)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == RESTART_CODE and self.starts < 3:
            self._start()
        return True

    def close_office(self) -> None:
        """Kill the office's whole session and collect it (SIGKILL: at once)."""
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.pid = None

    def close(self) -> None:
        self.close_office()
        for fd in (self.requests, self._request_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _start(self) -> None:
        binary = office_binary()
        assert binary is not None
        command = [binary, "--headless", "--norestore", "--nologo", "--nodefault"]
        command += ["--nolockcheck", f"-env:UserInstallation={(self.folder / 'profile').as_uri()}"]
        command += [f"--accept=pipe,name={self.pipe_name};urp;"]
        self.starts += 1
        pid = os.fork()  # the server is single-threaded: a plain fork is safe here
        if pid:
            self.pid = pid
            return
        try:
            os.setsid()
            procs.signal_when_parent_dies(signal.SIGKILL)
            memory = MEMORY_MB * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.closerange(3, 1 << 16)
            os.execv(binary, command)
        finally:
            os._exit(127)


def has_uno(python: str) -> bool:
    """Can `python` import LibreOffice's bridge? (Never raises: a missing Python is a no.)"""
    try:
        done = subprocess.run(
            [python, "-I", "-c", "import uno"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


# --- a child's side ------------------------------------------------------------------------------
def convert(data: bytes, src_ext: str, target: str, timeout_s: float) -> bytes | None:
    """`data` converted by the server's office; None when the caller must convert otherwise."""
    service = os.environ.get(ENV)
    if not service or target not in FILTERS:
        return None
    fd, pipe_name, folder = service.split(":", 2)
    if Path(folder, "unavailable").exists():
        return None
    with tempfile.TemporaryDirectory(prefix="office-") as tmp:
        source, result = Path(tmp, f"in.{src_ext}"), Path(tmp, f"out.{target}")
        source.write_bytes(data)
        command = [uno_python(), "-I", str(CLIENT), pipe_name, str(source), str(result)]
        command += [FILTERS[target], str(CONNECT_S)]
        with open(Path(folder, "lock"), "a") as lock:  # one file in the office at a time
            if not _locked(lock, LOCK_WAIT_S):
                return None  # the office is busy (maybe stuck on a hostile file): go one-shot
            with contextlib.suppress(OSError):
                os.write(int(fd), START)  # start it if it is not running
            try:
                done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
            except BaseException as exc:  # our timeout or the worker's alarm: mid-conversion
                with contextlib.suppress(OSError):
                    os.write(int(fd), STUCK)
                if isinstance(exc, subprocess.TimeoutExpired):
                    raise Timeout(f"LibreOffice took longer than {timeout_s:g} s") from exc
                raise
        if done.returncode == 0 and result.exists():
            return result.read_bytes()
    return None


def _locked(lock, wait_s: float) -> bool:
    """`lock` held exclusively within `wait_s` seconds."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
