"""广州市白云区 (www.by.gov.cn): reports are scattered over the central column, its 部门/镇街
sub-columns, per-unit columns, a gkmlpt sub-site whose list only a browser sees, and the city
portal's 各区 column, which re-posts the district's report (portals.md §2, §0.2)."""

from crawler.cms.nfcms import NfcmsMixin
from crawler.portal import PortalSpider

BY = "https://www.by.gov.cn"
GZ_DISTRICTS = "https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/gq/"
GKMLPT = f"{BY}/gzbyjy/gkmlpt/index#2851"  # 教育局: a list built by script from JSON


class ByGovCnSpider(NfcmsMixin, PortalSpider):
    name = "by_gov_cn"
    portal_name = "广州市白云区"
    allowed_domains = ["by.gov.cn", "gz.gov.cn"]
    start_urls = [
        f"{BY}/zwgk/qzfxxgknb/",
        f"{BY}/zwgk/qzfxxgknb/bm/",
        f"{BY}/zwgk/qzfxxgknb/zj/",
        *(f"{BY}/gzjg/{unit}/zfxxgkgzndbg/" for unit in ("qwbgs", "qczj", "qsfj")),
        GKMLPT,
        GZ_DISTRICTS,
    ]
    js_lists = {GKMLPT: ".gkmlpt-list li a"}
    column_title_filters = {GZ_DISTRICTS: "白云区"}  # every district's report is listed there
    city, district = "广州市", "白云区"
    content_selector = "#zoomcon"
