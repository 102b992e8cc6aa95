"""Scrapy commands of this project (COMMANDS_MODULE): `scrapy genportal` and friends."""
