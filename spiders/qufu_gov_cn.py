"""曲阜市 (www.qufu.gov.cn, Hanweb jcms): the 政府信息公开年报 columns, found from the home page by
their names; their records link articles and the 信息公开 module's xxgkAnnualReport.jsp pages
(docs/portals.md §6)."""

from crawler.cms.hanweb import HanwebMixin
from crawler.portal import PortalSpider


class QufuGovCnSpider(HanwebMixin, PortalSpider):
    name = "qufu_gov_cn"
    portal_name = "曲阜市"
    allowed_domains = ["qufu.gov.cn"]
    start_urls = ["http://www.qufu.gov.cn/"]
    city, district = "济宁市", "曲阜市"  # a county-level city under 济宁市
    content_selector = "#zoom"  # articles and 信息公开 module pages alike
    title_selector = ".title"
