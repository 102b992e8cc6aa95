"""Item pipelines, one job each, ordered in crawler/settings.py ITEM_PIPELINES:

validate (100) -> canonicalize (200) -> clean (300) -> attachments (400) -> dedup (500)
-> archive (800).
"""
