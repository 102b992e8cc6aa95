"""CMS families: one mixin per family, so a portal file only declares what differs.

- nfcms: 广东省政府网站集约化平台 (by.gov.cn, zc.gov.cn, haizhu.gov.cn, gz.gov.cn): HTML pages
  walked by their pager, the `/postmeta/i/{cat}.json` list beside them, `content/post_{id}.html`
  + `mpost_` twins; gkmlpt sub-sites listed through their JSON API (gkmlpt.py)
- trs: TRS WCM static publishing (qzlc.gov.cn): `createPageHTML` pagers, `YYYYMM/tYYYYMMDD_{id}.htm`
- hanweb: 大汉 jcms (qufu.gov.cn): `<datastore>` lists, `dataproxy.jsp` POST paging
Discovery (finding the report columns) is the same for all: crawler/portal.py, crawler/discovery.py.
"""
