"""`gongkai assessment --year 2024 [--out FILE]`: the annual assessment as .xlsx with the detail of every point."""

from pathlib import Path

from django.core.management.base import BaseCommand

from gongkai.supervision.assessment import assess, render_xlsx


class Command(BaseCommand):
    help = "年度考核评分并导出 Excel / annual assessment"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", help="输出文件，默认 assessment-YEAR.xlsx")

    def handle(self, *args, year, out=None, **options):
        result = assess(year)
        path = Path(out or f"assessment-{year}.xlsx")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_xlsx(result))
        for s in result.scores[:10]:
            self.stdout.write(f"{s.rank:>3} {s.department} {s.total}")
        self.stdout.write(self.style.SUCCESS(f"{len(result.scores)} 个部门，已导出 {path}"))
