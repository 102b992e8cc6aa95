"""A spider callback that is a generator must not `return` a value (Python drops it; Scrapy
warns at run time, a check the settings switch off for its cost: WARN_ON_GENERATOR_RETURN_VALUE).
The same check, once, over every method of every spider the project offers."""

from __future__ import annotations

import inspect

from scrapy.utils.misc import is_generator_with_return_value

from crawler.registry.loader import RegistryPortal, RegistrySpiderLoader
from crawler.runner import project_settings


def _spider_classes() -> list[type]:
    loader = RegistrySpiderLoader(project_settings())
    return [loader.load(name) for name in sorted(loader.list())] + [RegistryPortal]


def _generator_methods(cls: type) -> list[tuple[str, object]]:
    return [
        (f"{klass.__module__}.{klass.__qualname__}.{name}", function)
        for klass in cls.__mro__
        for name, function in vars(klass).items()
        if inspect.isgeneratorfunction(function) or inspect.isasyncgenfunction(function)
    ]


def test_the_check_is_off_at_run_time() -> None:
    assert project_settings().getbool("WARN_ON_GENERATOR_RETURN_VALUE") is False


def test_no_spider_generator_returns_a_value() -> None:
    methods = dict(m for cls in _spider_classes() for m in _generator_methods(cls))
    assert {
        "crawler.portal.PortalSpider.parse_detail",
        "crawler.portal.PortalSpider.parse_list",
        "crawler.cms.hanweb.HanwebMixin.parse_list",
        "crawler.cms.nfcms.NfcmsMixin.parse_gkmlpt_api",
    } <= set(methods)  # the callbacks of the portal spider and of each CMS family are seen
    returning = sorted(name for name, fn in methods.items() if is_generator_with_return_value(fn))
    assert returning == []


def test_the_check_finds_a_generator_that_returns_a_value() -> None:
    class Spider:
        def parse(self, response):
            yield response
            return "lost"

        def fine(self, response):
            yield response
            return None

    assert is_generator_with_return_value(Spider.parse) is True
    assert is_generator_with_return_value(Spider.fine) is False
