"""广州市海珠区 (www.haizhu.gov.cn): the 政府信息公开年报 columns (街道, 部门 ...), found from the
home page (docs/portals.md §4)."""

from crawler.cms.nfcms import NfcmsMixin
from crawler.portal import PortalSpider


class HaizhuGovCnSpider(NfcmsMixin, PortalSpider):
    name = "haizhu_gov_cn"
    portal_name = "广州市海珠区"
    allowed_domains = ["haizhu.gov.cn"]
    start_urls = ["https://www.haizhu.gov.cn/"]
    hints = ["https://www.haizhu.gov.cn/zwgk/zfxxgknb/jd/"]  # §4: 街道
    city, district = "广州市", "海珠区"
    content_selector = "#zoomcon"
    title_selector = ".hz-title"
