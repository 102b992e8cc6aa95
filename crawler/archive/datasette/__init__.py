"""The web UI of `govreports serve` (see crawler/serve.py): metadata.yml (labels, descriptions,
canned queries), plugin.py (the researcher's pages), templates/ and static/."""

STATIC_MOUNT = "govreports-static"  # where static/ is served: /govreports-static/govreports.css
