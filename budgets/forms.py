"""The upload forms of a budget import: a schedule's file, and an agreement-wide file with a Schedule column."""

from __future__ import annotations

from django import forms

from agreements.budget_values import CellError, parse_financial_year
from agreements.models import BudgetType
from budgets.importing.reading import MAX_FILE_BYTES
from documents.forms import mark_error

CHOSEN_FILE = "chosen_file"  # the hidden field naming a file kept from an earlier try (budgets.upload_session)


class _UploadForm(forms.Form):
    """A budget file and the reason; GOV.UK error state on each field with an error, however it was added.

    `chosen` is the file kept from the person's previous try (a form that came back with an error
    elsewhere): with it, choosing a file again is optional.
    """

    file = forms.FileField(
        label="Budget spreadsheet",
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": ".xlsx,.csv"}),
        error_messages={"required": "Choose the spreadsheet to import.",
                        "empty": "The file is empty: row 1 should hold the column headings."},
    )
    reason = forms.CharField(
        label="Reason for the change (optional)", required=False, max_length=500,
        help_text="Recorded in the schedule's history. For example, Budgets agreed at the March board.",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"max_length": "Enter a reason of 500 characters or fewer (this one has %(show_value)d)."},
    )

    def __init__(self, *args, chosen=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.chosen = None
        if chosen is not None:
            self.choose(chosen)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def choose(self, chosen) -> None:
        """The file kept from this try (or an earlier one): the page names it, and a new one is optional."""
        self.chosen = chosen
        self.fields["file"].required = chosen is None
        label = "Budget spreadsheet" if chosen is None else "Choose a different file (optional)"
        self.fields["file"].label = self["file"].label = label  # the bound field may be made already

    def add_error(self, field, error):
        super().add_error(field, error)
        if field:
            mark_error(self, field)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:
            return None  # the kept file stands
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB; the largest file we accept is 10 MB."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty: row 1 should hold the column headings.")
        return upload


class BudgetImportForm(_UploadForm):
    """One schedule's file: budget lines, or a schedule table with the year and type it is for."""

    financial_year = forms.CharField(
        label="Financial year (schedule table only)", required=False, max_length=9,
        help_text="For example, 2018/19. A budget-lines file gives the year on each line.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={"max_length": "Enter the financial year as 2018/19 (this is %(show_value)d characters)."},
    )
    budget_type = forms.ChoiceField(
        label="Budget type (schedule table only)", required=False,
        choices=[("", "Choose a budget type"), *BudgetType.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose Pooled or Aligned."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "An .xlsx or .csv file of 10 MB or less: budget lines (Financial year, Service, Partner, Budget type, "
            "Amount) or a schedule table (Service, then one column per partner)."
        )
        self.fields["file"].widget.attrs["aria-describedby"] = f"{self['file'].auto_id}-hint"

    def clean_financial_year(self):
        value = self.cleaned_data["financial_year"].strip()
        if not value:
            return None
        try:
            return parse_financial_year(value)
        except CellError as error:
            raise forms.ValidationError(str(error)) from error


class AgreementBudgetImportForm(_UploadForm):
    """An agreement-wide budget-lines file whose “Schedule” column says which schedule each line is for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "An .xlsx or .csv file of 10 MB or less with the columns Schedule, Financial year, Service, Partner, "
            "Budget type and Amount (£): the agreement's budget lines export has them."
        )
        self.fields["file"].widget.attrs["aria-describedby"] = f"{self['file'].auto_id}-hint"
        self.fields["reason"].help_text = (
            "Recorded in the history of each schedule the file changes. For example, Budgets agreed at the March "
            "board."
        )
