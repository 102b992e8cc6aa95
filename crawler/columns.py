"""Columns: the unit in which a portal's reports are listed, and so the unit of deletion evidence.

A column is one report list of a portal: an NFCMS column (its HTML pages and its JSON list), a TRS
folder, a Hanweb column (its <datastore> and dataproxy groups), a gkmlpt category. Its key is the
URL of the column's first page as the spider entered it, carried on every request that reads the
column and on every detail request it lists (`request.meta["column"]`), and on the item
(`ReportItem.column`).

Whether "not listed any more" proves a deletion is decided per column: only a column that was
read completely (every list page answered, no page cap hit, no records the page declares but
does not show) is evidence. A spider that learns a column was not read completely says so with
`PortalSpider.column_incomplete(column, reason)`, which sends the `column_incomplete` signal
below; the run lifecycle (crawler/lifecycle.py) listens to it, and to `report_listed`, which the
incremental spider middleware sends for every report request a list page yields.
"""

from __future__ import annotations

# Signal: sent with column=<column key>, reason=<one line a person can act on>, e.g.
# "list incomplete: shows 10 of 19 (https://…/index.html)".
column_incomplete = object()

# Signal: sent with column=<column key or None>, url=<the report URL as requested>: a list page
# of `column` listed this report in this run (whether it is then fetched, skipped as unchanged,
# refused or failed).
report_listed = object()
