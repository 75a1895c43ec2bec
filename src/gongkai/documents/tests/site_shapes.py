"""Documents in the shapes government sites publish them, written for the tests (no real page is copied):

- `GOV_CN_PAGE`: a State Council page as gov.cn prints it — a metadata table above the text with labels spaced by
  `&nbsp;` (`索&nbsp;&nbsp;引&nbsp;&nbsp;号：`) and label and value in separate cells, the title in an <h1> outside
  the content, the number under the title, 【字体：大 中 小】 打印 分享 furniture, a footer;
- `BEIJING_PAGE`: a beijing.gov.cn page — the `[标题] … [索引号]` list, GB2312-encoded, a number with legacy
  brackets in the list, a table with serial numbers in the attached plan;
- `SCRAPED_TEXT`: a district page copied from the browser — breadcrumb, 字号 大 中 小 / 打印 / 关闭 / 分享, labels
  alone on a line with their value on the next, labels spaced (`索 引 号`), the number after the title, `文号：`
  lines in the body (documents being repealed), a contact 附注 before the 公开 附注, 【打印本页】【关闭窗口】;
- `STATE_COUNCIL_ORDER` and `BEIJING_ORDER`: the 令 format (title, 中华人民共和国国务院令 / 第752号, the promulgating
  sentence, 总理　李克强, the date, then the regulation);
- `FORWARDED_NOTICE`: a 转发 notice with its own signature, 附注, the forwarded opinion with its own signature, and
  the 版记;
- `REPLY_WITH_ATTACHMENT`: a 批复 with an attached list;
- `JOINT_OPINION`: two issuers in the title and in the signature, separated by wide spaces;
- `TAX_ANNOUNCEMENT`: a joint announcement numbered `财政部 税务总局公告2022年第13号`;
- `GOV_CN_ORDER_PAGE`: a 国务院令 as a gov.cn page — metadata table with the order number written with a space
  (`国务院令 第752号`), the 令 format inside the content, furniture around it.
"""

GOV_CN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见_政府信息公开专栏_中国政府网</title></head>
<body>
<div class="header"><a href="/">首页</a> | <a href="/zhengce/">政策</a></div>
<div class="BreadcrumbNav">首页 &gt; 政策 &gt; 国务院文件</div>
<div class="policyLibraryOverview_header">
<table class="bd1" cellpadding="0" cellspacing="0">
<tbody>
<tr><td width="90"><b>索&nbsp;&nbsp;引&nbsp;&nbsp;号：</b></td><td width="235">000014349/2024-00005</td><td width="90"><b>主题分类：</b></td><td width="235">国务院组织机构\\其他</td></tr>
<tr><td><b>发文机关：</b></td><td>国务院</td><td><b>成文日期：</b></td><td>2024年01月12日</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见</td></tr>
<tr><td><b>发文字号：</b></td><td>国发〔2024〕3号</td><td><b>发布日期：</b></td><td>2024年01月16日</td></tr>
<tr><td><b>主&nbsp;题&nbsp;词：</b></td><td></td><td></td><td></td></tr>
</tbody></table>
</div>
<h1 id="ti">国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见</h1>
<div class="pages-date">2024-01-16 18:00 来源：中国政府网 <span class="font">【字体：<a>大</a> <a>中</a> <a>小</a>】</span> <a class="print">打印</a></div>
<div class="pages_content" id="UCAP-CONTENT">
<p style="text-align:center">国发〔2024〕3号</p>
<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<p>　　企业和群众眼中的“一件事”，往往涉及多个部门、多个层级、多个系统。为进一步优化政务服务、提升行政效能，现提出如下意见。</p>
<p>　　一、总体要求</p>
<p>　　以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。</p>
<p>　　二、重点任务</p>
<p>　　（一）强化业务协同。各地区各部门要加强协同配合。</p>
<p>　　国务院2018年印发的《关于加快推进全国一体化在线政务服务平台建设的指导意见》（国发〔2018〕27号）继续执行。</p>
<p style="text-align:right">国务院</p>
<p style="text-align:right">2024年1月12日</p>
<p>　　（本文有删减）</p>
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="footer">版权所有：中国政府网 | 中文域名：中国政府网.政务 网站标识码bm01000001 京ICP备05070218号 京公网安备11010202000001号</div>
</body></html>
"""

BEIJING_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>北京市人民政府关于印发《北京市全面优化营商环境助力企业高质量发展实施方案》的通知-首都之窗-北京市人民政府门户网站</title></head>
<body>
<div class="top"><div class="nav"><a>首页</a><a>政务公开</a></div></div>
<div class="container">
<div class="location">当前位置：<a>首页</a> &gt; <a>政策文件</a></div>
<div class="zhengce-title">
<ol class="doc-info">
<li><span>[标题]</span> 北京市人民政府关于印发《北京市全面优化营商环境助力企业高质量发展实施方案》的通知</li>
<li><span>[发文机构]</span> 北京市人民政府</li><li><span>[联合发文单位]</span> </li>
<li><span>[主题分类]</span> 综合政务/其他</li>
<li><span>[成文日期]</span> 2023年02月08日</li><li><span>[发布日期]</span> 2023年02月14日</li>
<li><span>[发文字号]</span> 京政发[2023]6号</li>
<li><span>[有效性]</span> 有效</li><li><span>[索引号]</span> 000014348/2023-00028</li>
</ol></div>
<h1 class="h1">北京市人民政府关于印发《北京市全面优化营商环境助力企业高质量发展实施方案》的通知</h1>
<div class="zhengce-info"><span>字号：<a>大</a> <a>中</a> <a>小</a></span> <a>打印</a> <a>关闭</a></div>
<div class="view TRS_UEDITOR trs_paper_default trs_web" id="mainText">
<p style="text-align: center">京政发〔2023〕6号</p>
<p>各区人民政府，市政府各委、办、局，各市属机构：</p>
<p>　　现将《北京市全面优化营商环境助力企业高质量发展实施方案》印发给你们，请认真贯彻落实。</p>
<p style="text-align: right">北京市人民政府</p>
<p style="text-align: right">2023年2月8日</p>
<p>　　（此件公开发布）</p>
<p style="text-align: center"><strong>北京市全面优化营商环境助力企业高质量发展实施方案</strong></p>
<p>　　为深入贯彻落实党中央、国务院决策部署，制定本方案。</p>
<p>　　一、总体要求</p>
<p>　　（一）持续推进营商环境改革。（市发展改革委牵头，各区政府配合）</p>
<table><tr><td><p>序号</p></td><td><p>任务</p></td><td><p>责任单位</p></td></tr>
<tr><td><p>1</p></td><td><p>优化企业开办服务</p></td><td><p>市市场监管局</p></td></tr>
<tr><td><p>2</p></td><td><p>提升纳税便利度</p></td><td><p>市税务局</p></td></tr></table>
</div>
<div class="share">分享到：微信 微博</div>
</div>
<div class="footer">主办：北京市人民政府办公厅 版权所有 京ICP备05060933号</div>
</body></html>
"""

SCRAPED_TEXT = """首页 > 政务公开 > 政策文件 > 区政府文件
字号 大 中 小
打印
关闭
分享

索 引 号
11110102000012345X/2024-00031
发文机构
北京市西城区人民政府
成文日期
2024年05月20日
发文字号
京西政发〔2024〕5号
发布日期
2024年05月27日
有 效 性
有效

北京市西城区人民政府关于废止部分区政府规范性文件的决定
京西政发〔2024〕5号
各街道办事处，区政府各委、办、局，各区属机构：
　　经区政府研究，决定废止以下规范性文件：
　　1.《北京市西城区人民政府关于印发西城区促进文化产业发展若干措施的通知》
　　文号：京西政发〔2016〕12号
　　2.《北京市西城区人民政府办公室关于进一步规范政府信息公开工作的通知》
　　文号：京西政办发〔2018〕3号
　　本决定自公布之日起施行。

北京市西城区人民政府
2024年5月20日
（联系人：张明；联系电话：83971234）
（此件公开发布）

【打印本页】【关闭窗口】
扫一扫在手机打开当前页
版权所有：北京市西城区人民政府 京ICP备05021588号
"""

STATE_COUNCIL_ORDER = """国务院关于修改和废止部分行政法规的决定
中华人民共和国国务院令
第752号
《国务院关于修改和废止部分行政法规的决定》已经2022年3月1日国务院第166次常务会议通过，现予公布，自2022年5月1日起施行。
总理　李克强
2022年3月29日
国务院关于修改和废止部分行政法规的决定
为贯彻实施新修订的《中华人民共和国行政处罚法》，国务院对涉及的行政法规进行了清理。经过清理，国务院决定：
一、对14部行政法规的部分条款予以修改。
二、对6部行政法规予以废止。
本决定自2022年5月1日起施行。
"""

BEIJING_ORDER = """北京市人民政府令
第312号
《北京市生活垃圾管理条例实施办法》已经2023年11月14日市人民政府第19次常务会议审议通过，现予公布，自2024年1月1日起施行。
市长　殷勇
2023年11月27日
北京市生活垃圾管理条例实施办法
第一条　为了实施《北京市生活垃圾管理条例》，制定本办法。
第二条　本办法适用于本市行政区域内生活垃圾的管理。
"""

FORWARDED_NOTICE = """北京市人民政府办公厅文件
京政办发〔2023〕12号
北京市人民政府办公厅转发市发展改革委关于进一步做好本市招标投标工作若干意见的通知
各区人民政府，市政府各委、办、局，各市属机构：
市发展改革委《关于进一步做好本市招标投标工作的若干意见》已经市政府同意，现转发给你们，请认真贯彻落实。
北京市人民政府办公厅
2023年6月12日
（此件公开发布）
关于进一步做好本市招标投标工作的若干意见
市发展改革委
为进一步规范招标投标活动，现提出以下意见。
一、优化招标投标流程。
二、加强事中事后监管。
北京市发展和改革委员会
2023年5月26日
抄送：市委办公厅，市人大常委会办公厅。
北京市人民政府办公厅　　2023年6月12日印发
"""

REPLY_WITH_ATTACHMENT = """国务院关于同意在北京市暂时调整实施有关行政法规规定的批复
国函〔2023〕64号
北京市人民政府：
你市《关于在北京市暂时调整实施有关行政法规规定的请示》（京政文〔2023〕15号）收悉。现批复如下：
一、同意在北京市暂时调整实施有关行政法规规定。
二、北京市人民政府要加强组织领导。
国务院
2023年7月8日
（此件公开发布）
附件
国务院决定在北京市暂时调整实施有关行政法规规定目录
一、《中华人民共和国认证认可条例》第十一条。
"""

JOINT_OPINION = """国务院办公厅　中央军委办公厅关于加强军地协同工作的意见
国办发〔2022〕30号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构，各战区、各军兵种：
为加强军地协同，提出如下意见。
一、总体要求。
国务院办公厅　　　中央军委办公厅
2022年9月1日
"""

TAX_ANNOUNCEMENT = """财政部 税务总局关于进一步实施小微企业所得税优惠政策的公告
财政部 税务总局公告2022年第13号
为进一步支持小微企业发展，现将有关税收政策公告如下：
一、对小型微利企业年应纳税所得额超过100万元但不超过300万元的部分，减按25%计入应纳税所得额。
二、本公告执行期限为2022年1月1日至2024年12月31日。
财政部　税务总局
2022年3月14日
"""

GOV_CN_ORDER_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>国务院关于修改和废止部分行政法规的决定_国务院文件_中国政府网</title></head>
<body>
<div class="header"><a href="/">首页</a> | <a href="/zhengce/">政策</a></div>
<div class="BreadcrumbNav">首页 &gt; 政策 &gt; 国务院令</div>
<div class="policyLibraryOverview_header">
<table class="bd1" cellpadding="0" cellspacing="0">
<tbody>
<tr><td width="90"><b>索&nbsp;&nbsp;引&nbsp;&nbsp;号：</b></td><td width="235">000014349/2022-00012</td><td width="90"><b>主题分类：</b></td><td width="235">国务院组织机构\\其他</td></tr>
<tr><td><b>发文机关：</b></td><td>国务院</td><td><b>成文日期：</b></td><td>2022年03月29日</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">国务院关于修改和废止部分行政法规的决定</td></tr>
<tr><td><b>发文字号：</b></td><td>国务院令 第752号</td><td><b>发布日期：</b></td><td>2022年04月07日</td></tr>
</tbody></table>
</div>
<h1 id="ti">国务院关于修改和废止部分行政法规的决定</h1>
<div class="pages-date">2022-04-07 17:00 来源：新华社 <span class="font">【字体：<a>大</a> <a>中</a> <a>小</a>】</span> <a class="print">打印</a></div>
<div class="pages_content" id="UCAP-CONTENT">
<p style="text-align:center"><strong>中华人民共和国国务院令</strong></p>
<p style="text-align:center"><strong>第752号</strong></p>
<p>　　《国务院关于修改和废止部分行政法规的决定》已经2022年3月1日国务院第166次常务会议通过，现予公布，自2022年5月1日起施行。</p>
<p style="text-align:right">总理　李克强</p>
<p style="text-align:right">2022年3月29日</p>
<p style="text-align:center"><strong>国务院关于修改和废止部分行政法规的决定</strong></p>
<p>　　为贯彻实施新修订的《中华人民共和国行政处罚法》，国务院对涉及的行政法规进行了清理。经过清理，国务院决定：</p>
<p>　　一、对14部行政法规的部分条款予以修改。</p>
<p>　　二、对6部行政法规予以废止。</p>
<p>　　本决定自2022年5月1日起施行。</p>
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="footer">版权所有：中国政府网 | 京ICP备05070218号</div>
</body></html>
"""
