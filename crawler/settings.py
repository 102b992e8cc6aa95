"""Scrapy settings for govreports.

Project defaults live here; a run overrides them with `-s NAME=VALUE` (Scrapy) or through
`govreports crawl`. Environment variables are read only in this file, each under a comment.
https://docs.scrapy.org/en/latest/topics/settings.html
"""

import os

from crawler import __version__

BOT_NAME = "govreports"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "crawler.scrapy_commands"

# Say who crawls and how to reach them: portals' operators should be able to ask us to slow down.
# GOVREPORTS_CONTACT: an e-mail or URL of the archive's operator.
CONTACT = os.getenv("GOVREPORTS_CONTACT", "https://github.com/govreports/govreports")
USER_AGENT = f"govreports/{__version__} (+{CONTACT}; annual-report archive)"

# Politeness: government portals are small servers.  None of the target hosts publishes a
# robots.txt today (portals.md §7); obey one the day they do.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 60
RETRY_ENABLED = True
RETRY_TIMES = 3
# Attachments can be large; anything bigger than this is recorded as too_large, not fetched.
DOWNLOAD_MAXSIZE = 100 * 1024 * 1024
DOWNLOAD_WARNSIZE = 30 * 1024 * 1024

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "crawler.logformatter.QuietItemsLogFormatter"
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    # Records the fetch time of each response for provenance (before anything else sees it).
    "crawler.middlewares.FetchTimeMiddleware": 950,
}

ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.canonicalize.CanonicalizePipeline": 200,
    "pipelines.clean.CleanPipeline": 300,
    "pipelines.attachments.AttachmentsPipeline": 400,
    "pipelines.dedup.DedupPipeline": 500,
    "pipelines.archive.ArchivePipeline": 800,
}

# The archive.  GOVREPORTS_ARCHIVE: where cron hosts keep it (default output/archive.db).
ARCHIVE_PATH = os.getenv("GOVREPORTS_ARCHIVE", "output/archive.db")
# Set by `govreports crawl` so that every spider of one run shares one run id.
GOVREPORTS_RUN_ID = None

# Attachments: untrusted input, parsed in a child process under these limits.
ATTACHMENTS_ENABLED = True
ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024
ATTACHMENT_TIMEOUT = 90.0
ATTACHMENT_MEMORY_MB = 1024
# OCR costs about 10 s a page here; only image-only content goes to it.
OCR_ENABLED = True
OCR_TIMEOUT = 180.0

# scrapy-playwright: used only by requests that set meta["playwright"] (lists built by JavaScript).
# Debian's chromium, never a downloaded browser build.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": os.getenv("GOVREPORTS_CHROMIUM", "/usr/bin/chromium"),
    "headless": True,
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ],
}
PLAYWRIGHT_CONTEXTS = {"default": {"ignore_https_errors": False}}
