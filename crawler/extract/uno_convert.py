"""Convert one file through a LibreOffice that is already running (crawler/extract/office_service.py).

Run by a Python that has LibreOffice's `uno` module (Debian's python3-uno is built for the
system's /usr/bin/python3, not for our virtualenv), so it imports nothing of govreports:

    python3 -I uno_convert.py PIPE_NAME SOURCE TARGET FILTER [CONNECT_SECONDS]

Exit codes: 0 converted; 3 no office answered on PIPE_NAME within CONNECT_SECONDS (the caller
converts another way); 4 the office could not load or store the file (the caller converts the
one-shot way, whose error is the one users know); 5 `uno` cannot be imported here.
"""

from __future__ import annotations

import contextlib
import sys
import time

NO_OFFICE, NOT_CONVERTED, NO_UNO = 3, 4, 5


def main(argv: list[str]) -> int:
    pipe, source, target, filter_name = argv[:4]
    connect_s = float(argv[4]) if len(argv) > 4 else 30.0
    try:
        import uno
        from com.sun.star.beans import PropertyValue
    except ImportError:
        return NO_UNO

    def prop(name: str, value: object) -> PropertyValue:
        found = PropertyValue()
        found.Name, found.Value = name, value
        return found

    desktop = _desktop(uno, pipe, connect_s)
    if desktop is None:
        return NO_OFFICE
    document = None
    try:
        url = uno.systemPathToFileUrl(source)
        # Hidden: no window; ReadOnly: never write back; no macros from a hostile file.
        load = (prop("Hidden", True), prop("ReadOnly", True), prop("MacroExecutionMode", 0))
        document = desktop.loadComponentFromURL(url, "_blank", 0, load)
        if document is None:
            return NOT_CONVERTED
        document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", filter_name),))
    except Exception as exc:  # com.sun.star.* errors: the file, not the office
        print(f"not converted: {type(exc).__name__}: {exc}", file=sys.stderr)
        return NOT_CONVERTED
    finally:
        if document is not None:
            with contextlib.suppress(Exception):  # a document the office already dropped
                document.close(True)
    return 0


def _desktop(uno, pipe: str, connect_s: float):
    """The office's Desktop, once it accepts on `pipe` (it may still be starting)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + connect_s
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", context
            )
        except Exception:  # NoConnectException while the office starts
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
