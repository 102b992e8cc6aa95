"""CMS families: one mixin per family, so a portal file only declares what differs.

- nfcms: 广东省政府网站集约化平台 (by.gov.cn, zc.gov.cn, haizhu.gov.cn, gz.gov.cn)
"""
