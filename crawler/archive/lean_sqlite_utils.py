"""sqlite-utils, imported without pandas.

sqlite-utils imports pandas whenever pandas is installed, only to map DataFrame column types
that govreports never inserts. cnloc (places) installs pandas, and pandas loads pyarrow: measured,
`import sqlite_utils` left a process at 121 MiB RSS with pandas visible and 35 MiB without, and a
crawl paid that in its own process and in every child forked from it. The archive package
imports this module before any of its modules imports sqlite-utils; pandas stays importable for
any code that asks for it afterwards (sqlite-utils just never sees it).
"""

from __future__ import annotations

import sys

if "sqlite_utils" not in sys.modules and "pandas" not in sys.modules:
    sys.modules["pandas"] = None  # type: ignore[assignment]  # `import pandas` now fails fast
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]

from sqlite_utils import Database

__all__ = ["Database"]
