"""What seed 000 (a 2016 prose report, ../shared/seeds) states in numbers, as the figures
extraction must read it: one list for the unit test of the prose reader and the crawl test that
finds the same numbers in the archive."""

SEED_000_FIGURES = [
    ("主动公开", "总数", 269, "条"),
    ("主动公开", "组织机构类信息", 3, "条"),
    ("主动公开", "部门文件类信息", 3, "条"),
    ("主动公开", "动态类信息", 194, "条"),
    ("主动公开", "行政执法类信息", 49, "条"),
    ("主动公开", "财政预决算信息", 3, "条"),
    ("主动公开", "其他信息", 17, "条"),
    ("主动公开渠道", "政府公报", 1, "条"),
    ("主动公开渠道", "政府网站", 269, "条"),
    ("主动公开渠道", "微博微信", 365, "条"),
    ("主动公开渠道", "新闻媒体", 72, "条"),
    ("依申请公开", "收到申请", 0, "件"),
    ("收费", "金额", 0, "元"),
    ("复议诉讼", "行政复议", 0, "件"),
    ("复议诉讼", "行政诉讼", 0, "件"),
]
