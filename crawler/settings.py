"""Scrapy settings for govreports.

Project defaults live here; a run overrides them with `-s NAME=VALUE` (Scrapy) or through
`govreports crawl`. Environment variables are read only in this file, each under a comment.
https://docs.scrapy.org/en/latest/topics/settings.html
"""

import os

from crawler import __version__
from crawler.browser import QUIET_CHROMIUM_ARGS

BOT_NAME = "govreports"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# Every portal of the registry (portals.toml) is a spider too, built from its row.
SPIDER_LOADER_CLASS = "crawler.registry.loader.RegistrySpiderLoader"
# More registry files, e.g. the rows `python -m sandbox registry --portals N` writes.
PORTAL_REGISTRY_FILES: list[str] = []
COMMANDS_MODULE = "crawler.scrapy_commands"

# Say who crawls and how to reach them: portals' operators should be able to ask us to slow down.
# GOVREPORTS_CONTACT: an e-mail or URL of the archive's operator.
CONTACT = os.getenv("GOVREPORTS_CONTACT", "https://github.com/govreports/govreports")
USER_AGENT = f"govreports/{__version__} (+{CONTACT}; annual-report archive)"

# Politeness: government portals are small servers.  None of the target hosts publishes a
# robots.txt today (docs/portals.md §7); obey one the day they do.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
# Outputs of one callback processed at once.  Scrapy starts that many asyncio tasks for EVERY
# response, whatever it yields; at its default of 100 that was about a sixth of the reactor's CPU.
# A detail page yields one report, a list page tens of requests that are only queued.
CONCURRENT_ITEMS = 8
# Scrapy re-reads and re-parses a callback's source for every response to warn of a generator
# that returns a value: its cache is keyed by the bound method, a new object per request. The
# spiders' callbacks are checked once, by tests/spiders/test_callback_returns.py.
WARN_ON_GENERATOR_RETURN_VALUE = False
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
# Those are per crawler, and `govreports crawl` runs a crawler per portal in one process.  A host
# several portals fetch (gz.gov.cn re-posts the Guangzhou districts' reports) is paced once for
# the process by crawler/hostgate.py: found in the registry (hosts two rows may fetch, budgeted
# by the row that owns the host, else the two settings above); this setting adds hosts or
# replaces their budget, e.g. {"www.gz.gov.cn": {"delay": 1.0, "concurrency": 1}}.
SHARED_HOSTS: dict[str, dict[str, float]] = {}
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
# No telnet console, nor its Scrapy 2.19 successor (an HTTP server on a local port that runs
# Python code it is sent, its token in a file under the user's profile): an unattended crawl
# needs no shell into its process.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# `govreports crawl --quiet`: nothing on stdout or stderr unless the run is unhealthy (cron).
CRAWL_QUIET = False

DOWNLOADER_MIDDLEWARES = {
    # The fetch policy (crawler/fetchpolicy.py) sees every request first: http(s) only, the
    # portal's own hosts, no internal address.  It replaces Scrapy's offsite filter, which drops
    # listed reports without telling their errback.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.fetchpolicy.FetchPolicyMiddleware": 40,
    # Bounded work (crawler/budget.py): the portal's request budget, per-report file budgets,
    # size caps while downloading.
    "crawler.budget.RequestBudgetMiddleware": 45,
    # Above RetryMiddleware (550): a body cut off at its size cap is too_large, never retried.
    "crawler.budget.SizeCapMiddleware": 605,
    # Scrapy's decompression under its size cap, freeing a bomb's bytes at once (crawler/budget.py)
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.budget.BoundedHttpCompressionMiddleware": 590,
    # Above RedirectMiddleware (600): a 3xx to a refused target, a loop or a long chain is
    # refused before it is followed.
    "crawler.fetchpolicy.RedirectPolicyMiddleware": 610,
    # Conditional requests from the archive's last capture; a 304 becomes the stored response.
    # Below RetryMiddleware (550): it sees only final answers, so it counts failed list pages.
    "crawler.incremental.IncrementalMiddleware": 540,
    # Decode once: re-declares each text response's encoding by the rule cleaning uses (a charset
    # header that lies loses to bytes that prove otherwise).  Below 540, so a stored 304 body is
    # re-declared too, and below HttpCompression (590), so it reads decompressed bytes.
    "crawler.decoding.DecodeOnceMiddleware": 530,
    # Records the fetch time of each response for provenance (before anything else sees it).
    "crawler.middlewares.FetchTimeMiddleware": 950,
    # WARC 1.1 records of every response (crawler/warc.py), next to the downloader: above
    # decompression (590) so a gzip body is kept as sent, above redirects (600) so every hop is
    # recorded, above incremental (540) so a 304 is recorded as a revisit; below 950 so the fetch
    # time is known.
    "crawler.warc.WarcMiddleware": 940,
}
SPIDER_MIDDLEWARES = {
    # Stops a column's pagination at LIST_PAGE_CAP pages and reports the column incomplete.
    "crawler.budget.ListPageCapMiddleware": 100,
    # Records list pages; skips report pages that an unchanged list page proves unchanged.
    "crawler.incremental.IncrementalSpiderMiddleware": 950,
}

# Cleaning and figures run in this many worker processes off the reactor
# (crawler/cleaning/pool.py);
# -1: the cores but one (at least one); 0: inline, on the reactor.
CLEAN_WORKERS = -1
ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.canonicalize.CanonicalizePipeline": 200,
    "pipelines.clean.PooledCleanPipeline": 300,
    "pipelines.attachments.AttachmentsPipeline": 400,
    "pipelines.figures.PooledFiguresPipeline": 450,
    "pipelines.dedup.DedupPipeline": 500,
    "pipelines.archive.ArchivePipeline": 800,
}

# --- Hostile portals (README "Hostile input") ---------------------------------------------------
# Only http(s) can be fetched at all: a page linking file:///etc/passwd must not make Scrapy read
# it.  The base dict is replaced (not only DOWNLOAD_HANDLERS) because a spider's custom_settings
# that sets DOWNLOAD_HANDLERS (scrapy-playwright) replaces the project's dict, Nones included.
# http(s) through Scrapy's HTTP/1.1 handler whose close() cannot fire its Deferred twice
# (crawler/http11.py) and whose requests to a shared host wait for its process-wide gate
# (crawler/hostgate.py, SHARED_HOSTS above).
DOWNLOAD_HANDLERS_BASE = {
    "http": "crawler.hostgate.GatedHTTP11DownloadHandler",
    "https": "crawler.hostgate.GatedHTTP11DownloadHandler",
}
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
# Hosts a portal's reports are documented to be re-posted on, besides its allowed_domains
# (docs/portals.md §0.2: Guangzhou district reports on the city portal's 各区 column).
# Registered portals say it in their row (portals.toml `repost_hosts`, `reposts`); this setting
# is for spider files and for overrides with -s.
FETCHPOLICY_REPOST_DOMAINS = {"haizhu_gov_cn": ["gz.gov.cn"]}
# Names this machine maps by itself, checked even when a proxy resolves everything else.
FETCHPOLICY_HOSTS_FILE = "/etc/hosts"
# List pages per column: NFCMS serves at most 50 (docs/portals.md §1); four times that is a
# column that never ends.  The column is then reported incomplete.
LIST_PAGE_CAP = 200
# Requests per portal per run (pages, files, retries, redirects); 0 = no budget.  A clean crawl
# of a sandbox portal makes 45-120 (zc_gov_cn: 74); a real portal's full crawl a few thousand.
PORTAL_REQUEST_BUDGET = 20000
# A page or list larger than this is cut off while downloading (gz.gov.cn's largest: 440 KB).
PAGE_MAX_BYTES = 16 * 1024 * 1024
# Files (attachments and body images) per report page, and their bytes in all.
ATTACHMENTS_PER_REPORT = 50
ATTACHMENT_BYTES_PER_REPORT = 200 * 1024 * 1024

# The archive.  GOVREPORTS_ARCHIVE: where cron hosts keep it (default output/archive.db).
ARCHIVE_PATH = os.getenv("GOVREPORTS_ARCHIVE", "output/archive.db")
# Set by `govreports crawl` so that every spider of one run shares one run id, and the run's
# row names all of its portals; a plain `scrapy crawl X` is a run of X under its own id.
GOVREPORTS_RUN_ID = None
GOVREPORTS_RUN_PORTALS: list[str] = []
# The run lifecycle (crawler/lifecycle.py): off, a crawl records no run, health or deletions.
LIFECYCLE_ENABLED = True

# WARC 1.1 files written at fetch time (crawler/warc.py), README "Web archive files".  On by
# default: the SQLite archive proves what we stored, the WARCs let anyone else's tools (warcio,
# pywb, ReplayWeb.page) verify and replay what the portal sent, which is why the archive exists;
# they cost about as much disk as the blobs.  WARC_DIR: None = `warc/` beside ARCHIVE_PATH, one
# folder per run.  Files rotate at WARC_MAX_FILE_BYTES (1 GB, the size ISO 28500 suggests).
WARC_ENABLED = True
WARC_DIR = None
WARC_MAX_FILE_BYTES = 1_000_000_000
# A response whose bytes an earlier run's WARC holds is written as a revisit record naming it
# (one index lookup per response); False writes every unchanged page and file in full again.
WARC_REVISIT_ARCHIVED = True

# Attachments: untrusted input, parsed in a child process under these limits.  A file over
# ATTACHMENT_MAX_BYTES is cut off while downloading (crawler/budget.py), never fetched whole.
ATTACHMENTS_ENABLED = True
ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024
ATTACHMENT_TIMEOUT = 90.0
ATTACHMENT_MEMORY_MB = 1024
# OCR costs about 10 s a page here; only image-only content goes to it.
OCR_ENABLED = True
OCR_TIMEOUT = 180.0
# OCR_DEFERRED: the crawl does not OCR; a file only OCR can read is archived with the status
# `ocr_queued` and an `ocr` job in the archive's extraction queue, which `govreports jobs work`
# runs on any node (docs/scale-out.md, "Extraction and OCR as jobs").  Off: OCR in the crawl.
OCR_DEFERRED = False
# EXTRACT_DEFERRED: the crawl parses no attachment: each file is archived (bytes, hash, type from
# its magic bytes, the size limit applied) with the status `extract_queued` and an `extract` job,
# run by `govreports jobs work` with these same limits.  Off: extraction in the crawl.
EXTRACT_DEFERRED = False

# Figures (pipelines/figures.py): the numbers of every report from its page tables and its
# attachments, stored with the report.  FIGURES_OCR: also read the text OCR gave table images
# and scans (source `ocr`, lower confidence); no image is OCR'd again for it.
FIGURES_ENABLED = True
FIGURES_OCR = True

# scrapy-playwright: used only by requests that set meta["playwright"] (lists built by JavaScript).
# Debian's chromium, never a downloaded browser build.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": os.getenv("GOVREPORTS_CHROMIUM", "/usr/bin/chromium"),
    "headless": True,
    # Chromium's own background traffic off (crawler/browser.py); page requests to any host but
    # the portal's are aborted by the spider's PLAYWRIGHT_ABORT_REQUEST predicate.
    "args": list(QUIET_CHROMIUM_ARGS),
}
PLAYWRIGHT_CONTEXTS = {"default": {"ignore_https_errors": False}}

# Discovery (crawler/discovery.py): how far a spider walks channel links from its entry points
# to find report columns, and how many channel pages it reads at most.  Units below a unit
# directory (a channel listing units: 工作机构, bm/, zj/, qzbm/ ...) cost no depth; every column
# in a unit's folder is read as a list and spends one of these pages; report columns named as
# such are read at any depth.
DISCOVERY_MAX_DEPTH = 4
DISCOVERY_MAX_PAGES = 400

# Health of a crawl run (crawler/health.py): `govreports crawl` exits 1 when a portal fails a check.
# A portal also fails when its spider did not finish, raised errors, found 0 reports or every
# request failed; these thresholds tune the rate checks.
# Detail pages without the portal's body selector, over report links followed: a redesign.
HEALTH_MAX_PARSE_FAILURE_RATE = 0.2
# Report pages the cleaner could not read (kept with their title only), over reports found: one
# hostile page is a counted skip, a tenth of a portal is a broken cleaner or worker pool.
HEALTH_MAX_CLEAN_FAILURE_RATE = 0.1
# Listed report links that did not answer (404, timeouts), over report links followed.
HEALTH_MAX_DETAIL_FAILURE_RATE = 0.5
# Reports found, under this share of the reports the archive holds for the portal (not gone):
# a list that shrinks by half overnight is a broken list, not a purge.  0 switches it off.
HEALTH_MIN_FOUND_RATIO = 0.5

# Run logs: output/logs/crawl-<run id>.log beside the archive; older ones are deleted.
CRAWL_LOGS_KEEP = 30
# A live progress line on stderr (pages and reports per portal): None = only when stderr is a TTY.
PROGRESS_ENABLED = None
PROGRESS_INTERVAL = 0.5
# No logged value (an argument, a message) longer than this many characters; tracebacks keep
# their last 20 times as many (crawler/logformatter.py).  Hostile pages must not fill cron's mail.
LOG_VALUE_MAX = 1000
LOG_REPEAT_MAX = 100  # records a run from one line of code (crawler/logrepeat.py)
EXTENSIONS = {
    # the run: its `runs` row, each portal's health, gone marking per column, the summary in the
    # log (crawler/lifecycle.py); `scrapy crawl` and `govreports crawl` alike
    "crawler.lifecycle.RunLifecycle": 520,
    # caps every log record's values (LOG_VALUE_MAX), whoever logs it
    "crawler.logformatter.LogValueCap": 100,
    # at most LOG_REPEAT_MAX records a run from each line of code, then one per power of ten
    "crawler.logrepeat.LogRepeatCap": 101,
    # pipeline exceptions counted as item_errors/<Type>, so health sees them (Scrapy only logs)
    "crawler.health.ItemErrorStats": 500,
    # the live progress line (PROGRESS_ENABLED)
    "crawler.progress.ProgressExtension": 510,
}

# Incremental crawls (crawler/incremental.py).  False (`govreports crawl --full`): no conditional
# requests and no skipping; list pages are still recorded and reports still marked gone.
INCREMENTAL_ENABLED = True
# A report page that its unchanged list page vouches for is still revalidated (a conditional
# request) after between half this many days and this many days, fixed per URL.
INCREMENTAL_REVALIDATE_DAYS = 7.0
# Reports of one portal and year whose texts share at least this share of character 5-grams
# (Jaccard) are linked in `related`, never merged (crawler/archive/similar.py).
RELATED_SIMILARITY_THRESHOLD = 0.9
