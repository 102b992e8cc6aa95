"""Crawling on many machines: each portal a Scrapyd job writing its own shard archive, the
shards merged into one archive afterwards (crawler.archive.merge).

- nodes: the nodes file (`nodes.toml`): each Scrapyd node's URL, slots and tags.
- jobs: the portals to crawl and the network tag each needs (what a portal registry replaces).
- scrapyd: one node's HTTP API (schedule.json, listjobs.json, addversion.json).
- egg: the project egg Scrapyd runs, built by scrapyd-client.
- scheduler: which job goes to which node, and what happens when a node dies.
- clustercrawl: the whole run, from deployment to the merged archive and its exit status.

Nothing in the spiders or pipelines knows about nodes: a job is `scrapy crawl PORTAL -s
ARCHIVE_PATH=SHARD` as Scrapyd starts it.
"""
