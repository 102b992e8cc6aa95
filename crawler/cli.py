"""The `govreports` command line: a thin layer over the library modules.

Errors a user can cause become one line on stderr and a documented exit code, never a traceback.
"""

from __future__ import annotations

import click

from crawler import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govreports")
def main() -> None:
    """Harvest and query Chinese government information-disclosure annual reports."""


def _register() -> None:
    # Each command module owns its commands; listing them here keeps the CLI's shape in one place.
    from crawler.commands import (
        clean,
        coverage,
        crawl,
        extract,
        figures,
        portals,
        query,
        status,
    )

    for module in (crawl, query, extract, clean, status, figures, portals, coverage):
        for command in module.COMMANDS:
            main.add_command(command)


_register()


if __name__ == "__main__":
    main()
