"""python manage.py finance_report REF [--schedule N] --year 2018/19 --period P6 --output FILE.pdf|FILE.xlsx [--presented-version N]

The same report as the page's download: the schedule's return for the period, as it stands now or as
presented (--presented-version N). Without --schedule, the agreement's only schedule with a return for the period.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.budget_values import CellError, parse_financial_year
from budgets.monitoring.models import MonitoringReturn
from budgets.monitoring.pdf import report_pdf
from budgets.monitoring.report import build_report, report_state, report_xlsx
from budgets.monitoring.values import parse_period
from documents.pdf import PrintError


class Command(BaseCommand):
    help = "Write the board's finance report of a schedule for a period as a PDF or an xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The agreement's reference")
        parser.add_argument("--schedule", type=int, help="The schedule's number")
        parser.add_argument("--year", required=True, help="Financial year, such as 2018/19")
        parser.add_argument("--period", required=True, help="Period, P1 (April) to P12 (March)")
        parser.add_argument("--presented-version", dest="presented_version", type=int, help="The version presented to the board (default: as it stands)")
        parser.add_argument("--output", required=True, type=Path, help="FILE.pdf or FILE.xlsx")

    def handle(self, *args, reference, schedule, year, period, presented_version, output: Path, **options):
        version = presented_version
        try:
            financial_year, number = parse_financial_year(year), parse_period(period)
        except CellError as error:
            raise CommandError(str(error)) from error
        if output.suffix.lower() not in (".pdf", ".xlsx"):
            raise CommandError(f"“{output.name}”: the output is a .pdf or an .xlsx file.")
        returns = MonitoringReturn.objects.select_related("schedule__agreement").filter(
            schedule__agreement__reference=reference, financial_year=financial_year, period=number)
        if schedule is not None:
            returns = returns.filter(schedule__number=schedule)
        found = list(returns)
        if not found:
            raise CommandError(f"{reference}{f' Schedule {schedule}' if schedule else ''} has no return for {year} "
                               f"P{number}.")
        if len(found) > 1:
            numbers = ", ".join(str(r.schedule.number) for r in found)
            raise CommandError(f"Schedules {numbers} each have a return for the period: choose one with --schedule.")
        monitoring_return = found[0]
        try:
            if output.suffix.lower() == ".pdf":
                content = report_pdf(monitoring_return, version=version).content
            else:
                content = report_xlsx(build_report(monitoring_return, report_state(monitoring_return, version=version)))
        except PrintError as error:
            raise CommandError(str(error)) from error
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content):,} bytes)."))
