"""广州市海珠区 (www.haizhu.gov.cn): the 街道 and 部门 annual-report columns (portals.md §4)."""

from crawler.cms.nfcms import NfcmsMixin
from crawler.portal import PortalSpider


class HaizhuGovCnSpider(NfcmsMixin, PortalSpider):
    name = "haizhu_gov_cn"
    portal_name = "广州市海珠区"
    allowed_domains = ["haizhu.gov.cn"]
    start_urls = [
        "https://www.haizhu.gov.cn/zwgk/zfxxgknb/jd/",
        "https://www.haizhu.gov.cn/zwgk/zfxxgknb/bm/",
    ]
    city, district = "广州市", "海珠区"
    content_selector = "#zoomcon"
    title_selector = ".hz-title"
