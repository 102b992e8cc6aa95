"""The real portals' spider classes, built from their registry rows (portals.toml), for tests
that drive a spider's callbacks directly."""

from crawler.registry import portal_class

ByGovCnSpider = portal_class("by_gov_cn")
QufuGovCnSpider = portal_class("qufu_gov_cn")
QzlcGovCnSpider = portal_class("qzlc_gov_cn")
ZcGovCnSpider = portal_class("zc_gov_cn")
