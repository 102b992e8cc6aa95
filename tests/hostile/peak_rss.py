"""`python -m tests.hostile.peak_rss ARGS`: `govreports ARGS`, and at exit the peak RSS of the
process and of the largest child it waited for (extraction workers), in KiB, written to the file
named by PEAK_RSS_FILE.

Why not wait4() in the parent: Linux records, at exec, the high-water RSS of the address space the
child leaves behind, which under vfork is the parent's; a child of a large pytest process would
report pytest's RSS. VmHWM belongs to the address space the crawl itself built."""

from __future__ import annotations

import atexit
import os
import re
import resource
import runpy
import sys
from pathlib import Path


def _write_peak() -> None:
    status = Path("/proc/self/status").read_text()
    own = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    Path(os.environ["PEAK_RSS_FILE"]).write_text(f"{max(own, children)}\n")


if __name__ == "__main__":
    atexit.register(_write_peak)
    sys.argv = ["govreports", *sys.argv[1:]]
    runpy.run_module("crawler.cli", run_name="__main__")
