"""CMS families: one mixin per family, so a portal file only declares what differs.

- nfcms: 广东省政府网站集约化平台 (by.gov.cn, zc.gov.cn, haizhu.gov.cn, gz.gov.cn): `index_N.html`
  pages, `/postmeta/i/{cat}.json` list API, `content/post_{id}.html` + `mpost_` twins
- trs: TRS WCM static publishing (qzlc.gov.cn): `createPageHTML` pagers, `YYYYMM/tYYYYMMDD_{id}.htm`
- hanweb: 大汉 jcms (qufu.gov.cn): `<datastore>` lists, `dataproxy.jsp` POST paging
"""
