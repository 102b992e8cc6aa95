"""广州市白云区 (www.by.gov.cn): reports are scattered over the central 年报 column and its
部门/镇街 sub-columns, every 工作机构 unit's own column, gkmlpt sub-sites, and the city portal's
各区 column, which re-posts the district's report (docs/portals.md §2, §0.2).  Discovery finds
the columns from the home page; the hints are the ones docs/portals.md names."""

from crawler.cms.nfcms import NfcmsMixin
from crawler.portal import PortalSpider

GZ_DISTRICTS = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/"


class ByGovCnSpider(NfcmsMixin, PortalSpider):
    name = "by_gov_cn"
    portal_name = "广州市白云区"
    allowed_domains = ["by.gov.cn", "gz.gov.cn"]
    start_urls = ["https://www.by.gov.cn/"]
    hints = [
        "https://www.by.gov.cn/zwgk/qzfxxgknb/",  # §2: 区政府信息公开年报
        "https://www.by.gov.cn/gzbyjy/gkmlpt/index",  # §2: a gkmlpt sub-site (教育局)
        GZ_DISTRICTS,  # §0.2: another host, which discovery never walks
    ]
    column_title_filters = {GZ_DISTRICTS: "白云区"}  # every district's report is listed there
    city, district = "广州市", "白云区"
    content_selector = "#zoomcon"
