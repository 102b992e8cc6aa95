"""广州市增城区 (www.zc.gov.cn, formerly www.zengcheng.gov.cn): one flat column of every
street's, town's and department's report (docs/portals.md §3), found from the home page."""

from crawler.cms.nfcms import NfcmsMixin
from crawler.portal import PortalSpider


class ZcGovCnSpider(NfcmsMixin, PortalSpider):
    name = "zc_gov_cn"
    portal_name = "广州市增城区"
    allowed_domains = ["zc.gov.cn", "zengcheng.gov.cn"]
    start_urls = ["https://www.zc.gov.cn/"]
    hints = ["https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/"]  # §3: 政府信息公开工作年报
    host_aliases = {"www.zengcheng.gov.cn": "www.zc.gov.cn", "zc.gov.cn": "www.zc.gov.cn"}
    city, district = "广州市", "增城区"
    content_selector = "#zoomcon"
    title_selector = "h1"
