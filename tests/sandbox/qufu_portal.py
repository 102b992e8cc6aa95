"""www.qufu.gov.cn as the real portal addresses it (portals.md §6): the 政府信息公开年报 column,
Hanweb's dataproxy.jsp and the form its jpage script posts, the 信息公开 module's annual-report
page, and seed 003's page there. Both the sandbox test and the spider test expect these."""

PORTAL = "qufu_gov_cn"
SITE = "http://www.qufu.gov.cn"
COLUMN = SITE + "/col/col15260/index.html"
PROXY = SITE + "/module/web/jpage/dataproxy.jsp"
ANNUAL = SITE + "/module/xxgk/xxgkAnnualReport.jsp"
SEED_URL = ANNUAL + "?area=49417463-2&fbtime=2017"
SEED_TITLE = "曲阜市鲁城街道办事处2017年度政府信息公开工作年度报告"
FORM = {
    "col": "1",
    "appid": "1",
    "webid": "33",
    "path": "/",
    "columnid": "15260",
    "sourceContentType": "1",
    "unitid": "52351",
    "webname": "曲阜市人民政府",
    "permissiontype": "0",
}
