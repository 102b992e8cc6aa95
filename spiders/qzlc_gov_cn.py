"""泉州市鲤城区 (www.qzlc.gov.cn, TRS): the district's 年报 columns, and every department's and
street's own columns under the 部门 / 镇街 channels, some of them 公开目录 categories (one notice
forwards the 2023 report), found from the home page (docs/portals.md §5)."""

from crawler.cms.trs import TrsMixin
from crawler.portal import PortalSpider


class QzlcGovCnSpider(TrsMixin, PortalSpider):
    name = "qzlc_gov_cn"
    portal_name = "泉州市鲤城区"
    allowed_domains = ["qzlc.gov.cn"]
    start_urls = ["https://www.qzlc.gov.cn/"]
    hints = [
        "https://www.qzlc.gov.cn/xxgk/zfxxgk/qzfxxgknb/qzfndbg/",  # §5: 区政府年度报告
        "https://www.qzlc.gov.cn/xxgk/zfxxgk/lcqzfxxgkml/30yzdgkdqtzfxx/",  # §5: the 转发 notice
    ]
    list_columns = r"/lcqzfxxgkml/[^/]+/$"  # §5: every 公开目录 category may hold a report
    city, district = "泉州市", "鲤城区"
    content_selector = ".TRS_Editor"
    title_selector = ":is(h1.article-title, div.xl_title)"  # post-2019 and older template
