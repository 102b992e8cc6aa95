"""The `govreports` command line: a thin layer over the library modules.

Errors a user can cause become one line on stderr and a documented exit code, never a traceback
(README "Exit codes"). The commands map what they know (no such report: 1, lock held: 3 ...);
what any command can meet is mapped once, here:

- a usage error (a bad option or value, an unknown command): 2, on one line;
- the archive unreadable (damaged, not an archive, not allowed): 4;
- an output that cannot be written (stdout or a file: disk full, read-only, no permission): 5;
- the reader of stdout gone (`| head`): 141 (128 + SIGPIPE), silently, as a shell would;
- interrupted (Ctrl-C): 130.

Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from typing import Any, NoReturn

import click

from crawler import __version__

EXIT_USAGE, EXIT_ARCHIVE, EXIT_OUTPUT = 2, 4, 5
EXIT_INTERRUPTED, EXIT_PIPE = 130, 141


class _StdoutGone(Exception):
    """The reader of stdout went away; raised past click, which would exit 1 for it."""


class GovreportsGroup(click.Group):
    """A click group whose standalone `main` turns the errors above into their exit codes, and
    whose commands are loaded when it is first asked for one.

    Loading them imports the archive, Scrapy and every command module (about 0.8 s of CPU). A
    worker process of the crawl's page-work pool re-runs this module as its parent's __main__
    (multiprocessing's "spawn" does) and needs none of it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        _register()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise _StdoutGone from exc

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        if extra.pop("standalone_mode", True) is False:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        _exit(self._run(args, prog_name, extra))

    def _run(self, args: Any, prog_name: str | None, extra: dict[str, Any]) -> int:
        try:
            try:
                result = super().main(args, prog_name, standalone_mode=False, **extra)
                code = result if isinstance(result, int) else 0
            except SystemExit as done:
                code = _code(done.code)
            sys.stdout.flush()  # a full disk shows at the last write, not at exit
            return code
        except click.UsageError as error:
            return _say(_usage_line(error), EXIT_USAGE)
        except click.FileError as error:  # -o FILE that cannot be opened for writing
            return _say(f"govreports: error: {error.format_message()}", EXIT_OUTPUT)
        except click.ClickException as error:
            return _say(f"govreports: error: {error.format_message()}", error.exit_code)
        except (click.Abort, KeyboardInterrupt):
            return _say("govreports: interrupted", EXIT_INTERRUPTED)
        except (_StdoutGone, BrokenPipeError):
            _silence_stdout()
            return EXIT_PIPE
        except (_archive_unavailable(), sqlite3.Error) as error:
            return _say(f"govreports: error: archive unavailable: {_one_line(error)}", EXIT_ARCHIVE)
        except OSError as error:
            _silence_stdout()
            return _say(f"govreports: error: cannot write output: {_one_line(error)}", EXIT_OUTPUT)


def _archive_unavailable() -> type[Exception]:
    from crawler.archive import ArchiveUnavailable  # imported by any command that opens one

    return ArchiveUnavailable


def _usage_line(error: click.UsageError) -> str:
    where = error.ctx.command_path if error.ctx is not None else "govreports"
    return f"Error: {_one_line(error.format_message())} (see '{where} --help')"


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _code(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    click.echo(str(value), err=True)  # sys.exit("message"): Python's own convention
    return 1


def _say(line: str, code: int) -> int:
    with contextlib.suppress(OSError):  # stderr itself gone: the exit code still tells
        click.echo(line, err=True)
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush of what could not be
    written raises nothing more at exit (it would print a second error and exit 120)."""
    try:
        fileno = sys.stdout.fileno()
    except (OSError, ValueError):
        return  # not a real file (CliRunner): nothing to flush at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


def _exit(code: int) -> NoReturn:
    if code in (EXIT_OUTPUT, EXIT_PIPE):
        _silence_stdout()
    sys.exit(code)


@click.group(
    cls=GovreportsGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="govreports")
def main() -> None:
    """Harvest and query Chinese government information-disclosure annual reports."""


_registered = False


def _register() -> None:
    # Each command module owns its commands; listing them here keeps the CLI's shape in one place.
    global _registered
    if _registered:
        return
    _registered = True
    from crawler.commands import (
        clean,
        cluster,
        coverage,
        crawl,
        extract,
        figures,
        jobs,
        merge,
        portals,
        query,
        status,
        webarchive,
    )

    for module in (
        crawl, query, extract, clean, status, figures, portals, coverage, webarchive, merge, cluster,
        jobs,
    ):  # fmt: skip
        for command in module.COMMANDS:
            main.add_command(command)


if __name__ == "__main__":
    main()
