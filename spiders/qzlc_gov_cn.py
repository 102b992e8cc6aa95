"""泉州市鲤城区 (www.qzlc.gov.cn, TRS): the district's 年报 columns, the 公开目录 notices (one
forwards the 2023 report), and every department's and street's own report columns, found on the
部门 / 镇街 directories (portals.md §5)."""

from crawler.cms.trs import TrsMixin
from crawler.portal import PortalSpider

SITE = "https://www.qzlc.gov.cn"


class QzlcGovCnSpider(TrsMixin, PortalSpider):
    name = "qzlc_gov_cn"
    portal_name = "泉州市鲤城区"
    allowed_domains = ["qzlc.gov.cn"]
    start_urls = [
        f"{SITE}/xxgk/zfxxgk/qzfxxgknb/qzfndbg/",
        f"{SITE}/xxgk/zfxxgk/qzfxxgknb/qzfbndbg/",
        f"{SITE}/xxgk/zfxxgk/lcqzfxxgkml/30yzdgkdqtzfxx/",
    ]
    unit_directories = {
        f"{SITE}/zwgk/bm/": ("nb/", "lcqzfxxgkml/30yzdgkdqtzfxx/"),
        f"{SITE}/zwgk/zj/": ("nb/", "lcqzfxxgkml/30gxzd/"),
    }
    city, district = "泉州市", "鲤城区"
    content_selector = ".TRS_Editor"
    title_selector = ":is(h1.article-title, div.xl_title)"  # post-2019 and older template
