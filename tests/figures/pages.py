"""Hand-written report tables in the 2021 template (国办公开办函〔2021〕30号), as real pages and
files carry them: Word soup, merged label cells, spelling variants, subtotals, missing marks."""

from __future__ import annotations

TD = '<td valign="center" style="border:solid windowtext 1.0pt"><p class="MsoNormal" align="center"><span style="font-family:仿宋_GB2312"><span lang="EN-US">{}</span></span></p></td>'
SPACER = '<td style="border:none" width="0"></td>'


def tds(*values: str) -> str:
    return "".join(TD.format(v) if v else "<td><p>&nbsp;</p></td>" for v in values)


# Section 二: one table, the four blocks split by merged header rows.
SECTION_2 = f"""
<table class="MsoNormalTable" border="1" cellspacing="0">
<tr><td colspan="4"><p align="center"><b>第二十条第(一)项</b></p></td></tr>
<tr>{tds("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")}</tr>
<tr>{tds("规章", "/", "/", "/")}</tr>
<tr>{tds("规范性文件", "３", "1", "27")}{SPACER}</tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3"><span><span>1,286</span></span></td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan="3">581</td></tr>
<tr><td>行政强制</td><td colspan="3">—</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td colspan="3">12.5</td></tr>
</table>"""

# Section 三: 3 header rows, 3 label columns, 7 numeric columns plus a 法人或其他组织小计
# column, a 小计 row closing （三）, labels as real reports spell them.
_ROWS_3 = [
    (
        '<td colspan="3">一、本年新收政府信息公开申请数量</td>',
        ("35", "4", "0", "0", "1", "2", "7", "42"),
    ),
    (
        '<td colspan="3">二、上年结转政府信息公开申请数量</td>',
        ("3", "0", "0", "0", "0", "0", "0", "3"),
    ),
    (
        '<td rowspan="31" width="40">三、本<br>年度办<br>理结果</td><td colspan="2">(一)予以公开</td>',
        ("20", "2", "0", "0", "1", "1", "4", "24"),
    ),
    (
        '<td colspan="2"><p>（二）部分公开（区分处理的，只计这一情形，</p><p>不计其他情形）</p></td>',
        ("4", "0", "0", "0", "0", "0", "0", "4"),
    ),
    ('<td rowspan="9">（三）不予公开</td><td>1．属于国家秘密</td>', ("0",) * 8),
    ("<td>２．其他法律行政法规禁止公开</td>", ("0",) * 8),
    ("<td>3．危及“三安全一稳定”</td>", ("1", "0", "0", "0", "0", "0", "0", "1")),
    ("<td>4.保护第三方合法 权益</td>", ("0",) * 8),
    ("<td>5.属于三类内部事务信息</td>", ("0",) * 8),
    ("<td>6.属于四类过程性信息</td>", ("0",) * 8),
    ("<td>7.属于行政执法案卷</td>", ("0",) * 8),
    ("<td>8.属于行政查询事项</td>", ("0",) * 8),
    ("<td>小计</td>", ("1", "0", "0", "0", "0", "0", "0", "1")),
    (
        '<td rowspan="3">（四）无法提供</td><td>1.本机关不掌握相关政府信息</td>',
        ("9", "1", "0", "0", "0", "1", "2", "11"),
    ),
    ("<td>2.没有现成信息需要另行制作</td>", ("0",) * 8),
    ("<td>3.补正后申请内容仍不明确</td>", ("0", "", "0", "0", "0", "0", "0", "0")),
    ('<td rowspan="5">（五）不予处理</td><td>1.信访举报投诉类申请</td>', ("0",) * 8),
    ("<td>2.重复申请</td>", ("2", "0", "0", "0", "0", "0", "0", "2")),
    ("<td>3.要求提供公开出版物</td>", ("0",) * 8),
    ("<td>4.无正当理由大量反复申请</td>", ("0",) * 8),
    ("<td>5.要求行政机关确认或重新出具已获取信息</td>", ("0",) * 8),
    (
        '<td rowspan="3">（六）其他处理</td><td>1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请</td>',
        ("0",) * 8,
    ),
    (
        "<td>2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请</td>",
        ("0",) * 8,
    ),
    ("<td>3.其他</td>", ("0", "0", "0", "0", "0", "0", "0", "/")),
    ('<td colspan="2">（七）总计</td>', ("36", "3", "0", "0", "1", "2", "6", "42")),
    ('<td colspan="3">四、结转下年度继续办理</td>', ("2", "1", "0", "0", "0", "0", "1", "3")),
]
SECTION_3 = (
    '<table border="1"><tbody>'
    '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
    '<td colspan="8">申请人情况</td></tr>'
    '<tr><td rowspan="2">自然人</td><td colspan="6">法人或其他组织</td><td rowspan="2">总计</td></tr>'
    "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其它</td>"
    "<td>小计</td></tr>"
    + "".join(f"<tr>{labels}{tds(*values)}{SPACER}</tr>" for labels, values in _ROWS_3)
    + "</tbody></table>"
)

SECTION_4 = f"""
<table border="1">
<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr>{tds("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")}
<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr>{tds(*("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2)}</tr>
<tr>{tds("2", "1", "0", "0", "3", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0")}</tr>
</table>"""

PAGE_2021 = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>广州市白云区民政局2021年政府信息公开工作年度报告</title></head><body>
<div class="nav"><table><tr><td>首页</td><td>政务公开</td></tr></table></div>
<div id="zoomcon">
<p><strong>一、总体情况</strong></p><p>2021年，本局认真贯彻落实《条例》。</p>
<p><strong>二、主动公开政府信息情况</strong></p>{SECTION_2}
<p><strong>三、收到和处理政府信息公开申请情况</strong></p>{SECTION_3}
<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>{SECTION_4}
<p><strong>五、存在的主要问题及改进情况</strong></p><p>一是公开内容不够全面。</p>
</div></body></html>"""
