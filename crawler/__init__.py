"""govreports: harvest 政府信息公开工作年度报告 into a SQLite archive with provenance."""

__version__ = "0.1.0"
