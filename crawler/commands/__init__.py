"""One module per group of CLI commands; crawler.cli registers them."""

from pathlib import Path

import click

# Commands that only read or re-clean an archive: the same --archive for each of them.
archive_option = click.option(
    "--archive",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="GOVREPORTS_ARCHIVE",
    default="output/archive.db",
    show_default=True,
    help="Archive file (env GOVREPORTS_ARCHIVE).",
)
