from django.core.management.base import BaseCommand

from gongkai.documents.official import parse_official_document

from ._common import read_text, write_json

DISCLOSURE_LABELS = {"proactive": "主动公开", "on_request": "依申请公开", "not_disclosed": "不予公开"}


class Command(BaseCommand):
    help = "解析公文（GB/T 9704）并输出其要素 / parse an official document into its elements"

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径（.txt .md .docx .pdf .html；“-”表示标准输入）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（UTF-8）")

    def handle(self, *args, **options):
        result = parse_official_document(read_text(options["file"]), normalised=True)
        if options["json"]:
            write_json(self.stdout, result)
            return
        labels = [
            ("title", "标题"),
            ("doc_number", "发文字号"),
            ("issuer", "发文机关"),
            ("date", "成文日期"),
            ("recipients", "主送机关"),
            ("disclosure", "公开属性"),
            ("attachments", "附件"),
        ]
        for key, label in labels:
            value = result.get(key)
            if isinstance(value, list):
                value = "、".join(v["title"] if isinstance(v, dict) else v for v in value)
            value = DISCLOSURE_LABELS.get(value, value) if key == "disclosure" else value
            self.stdout.write(f"{label}：{value or '（无）'}")
        for problem in result["doc_number_problems"]:
            self.stdout.write(f"发文字号问题：{problem['message']}")
        self.stdout.write(f"正文：{len(result['body'])} 字，结构节点 {len(result['outline'])} 个")
