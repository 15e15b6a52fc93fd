"""python manage.py finance_report REF [--schedule N] --year 2018/19 --period P6 --output FILE.pdf|FILE.xlsx [--presented-version N]

The same report as the page's download: the schedule's return for the period, as it stands now or as
presented (--presented-version N). Without --schedule, the agreement's report: every schedule with a
return for the period, added up, as the returns stand now.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agreements.budget_values import CellError, parse_financial_year
from agreements.models import Agreement
from budgets.monitoring.agreement_report import agreement_report_xlsx, build_agreement_report
from budgets.monitoring.models import MonitoringReturn
from budgets.monitoring.pdf import agreement_report_pdf, report_pdf
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
        if schedule is None:
            return self._agreement_report(reference, year, financial_year, number, version, output)
        returns = MonitoringReturn.objects.select_related("schedule__agreement").filter(
            schedule__agreement__reference=reference, financial_year=financial_year, period=number)
        monitoring_return = returns.filter(schedule__number=schedule).first()
        if monitoring_return is None:
            raise CommandError(f"{reference} Schedule {schedule} has no return for {year} P{number}.")
        try:
            if output.suffix.lower() == ".pdf":
                content = report_pdf(monitoring_return, version=version).content
            else:
                content = report_xlsx(build_report(monitoring_return, report_state(monitoring_return, version=version)))
        except PrintError as error:
            raise CommandError(str(error)) from error
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content):,} bytes)."))

    def _agreement_report(self, reference, year, financial_year, number, version, output: Path):
        if version is not None:
            raise CommandError("--presented-version is a schedule's: give --schedule N with it (the agreement's "
                               "report is the returns as they stand now).")
        agreement = Agreement.objects.filter(reference=reference).first()
        if agreement is None:
            raise CommandError(f"There is no agreement {reference!r}.")
        if not MonitoringReturn.objects.filter(schedule__agreement=agreement, financial_year=financial_year,
                                               period=number).exists():
            raise CommandError(f"No schedule of {reference} has a return for {year} P{number}.")
        if output.suffix.lower() == ".pdf":
            content = agreement_report_pdf(agreement, financial_year, number).content
        else:
            content = agreement_report_xlsx(build_agreement_report(agreement, financial_year, number))
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({len(content):,} bytes)."))
