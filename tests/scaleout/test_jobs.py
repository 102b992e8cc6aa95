"""A cluster crawl's jobs come from the portal registry: one per row, the spider Scrapy runs for
it, and the network tag of the row (the nodes file's [portal_tags] wins for its cluster)."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler.cluster.jobs import PortalJob, UnknownPortals, portal_jobs

REGISTERED = ["zc_gov_cn", "by_gov_cn", "haizhu_gov_cn", "qzlc_gov_cn", "qufu_gov_cn"]
EXTRA = """
[[portal]]
host = "www.huadu.gov.cn"
name = "广州市花都区"
division = "440114"
cms = "nfcms"
entry = ["https://www.huadu.gov.cn/"]
network = "gd"
"""


@pytest.fixture
def settings(tmp_path) -> Settings:
    extra = tmp_path / "more-portals.toml"
    extra.write_text(EXTRA, encoding="utf-8")
    return Settings({"PORTAL_REGISTRY_FILES": [str(extra)]})


def test_every_registered_portal_is_one_job_with_its_rows_network(settings):
    jobs = portal_jobs(settings, [], {})
    assert [j.portal for j in jobs] == [*REGISTERED, "huadu_gov_cn"]
    assert [j.tag for j in jobs] == [None] * 5 + ["gd"]


def test_portals_named_by_key_or_host_and_the_nodes_file_tags_win(settings):
    jobs = portal_jobs(
        settings, ["www.huadu.gov.cn", "zc_gov_cn"], {"zc_gov_cn": "gd", "huadu_gov_cn": "hk"}
    )
    assert jobs == [PortalJob("zc_gov_cn", "gd"), PortalJob("huadu_gov_cn", "hk")]


def test_a_name_no_row_answers_to_is_refused(settings):
    with pytest.raises(UnknownPortals) as refused:
        portal_jobs(settings, ["zc_gov_cn", "yy.gov.cn", "xx_gov_cn"], {})
    assert str(refused.value) == "xx_gov_cn, yy.gov.cn"
