import subprocess
import sys

import pytest

from crawler.lock import Locked, RunLock

HOLD = """
import sys, time
from crawler.lock import RunLock
lock = RunLock(sys.argv[1]); lock.acquire("pid-of-the-first-run")
print("held", flush=True); time.sleep(60)
"""


def test_second_holder_is_refused_with_the_first_holders_name(tmp_path) -> None:
    first = RunLock(tmp_path / "archive.db")
    first.acquire("pid 111 on cronhost")
    with pytest.raises(Locked, match="pid 111 on cronhost"):
        RunLock(tmp_path / "archive.db").acquire("pid 222")
    first.release()
    second = RunLock(tmp_path / "archive.db")
    second.acquire("pid 222")
    second.release()


def test_lock_of_a_killed_process_does_not_block(tmp_path) -> None:
    archive = str(tmp_path / "archive.db")
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, archive], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "held"
    with pytest.raises(Locked, match="pid-of-the-first-run"):
        RunLock(archive).acquire("me")
    proc.kill()  # SIGKILL: no cleanup code runs
    proc.wait()
    lock = RunLock(archive)
    lock.acquire("me")  # the kernel released the dead holder's flock
    assert (tmp_path / "archive.db.lock").read_text() == "me"
    lock.release()
