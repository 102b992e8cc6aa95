"""One declarative file per portal: spider `x_gov_cn` lives in `spiders/x_gov_cn.py`."""
