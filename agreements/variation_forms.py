"""Forms of the variation pages: propose, record a party's decision, decline; the GOV.UK date input."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from agreements.models import NOTICE_LIMIT
from agreements.services.variations import Notice, check_notice
from documents.agree_forms import DecisionForm
from documents.forms import MONTHS, GovukFormMixin

DATE_PARTS = ("day", "month", "year")


class DateParts(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes, posted as <name>_day, <name>_month, <name>_year."""

    def __init__(self, attrs=None):
        super().__init__({part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS}, attrs)

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_  # the day box: where the error summary's link goes

    def decompress(self, value):
        return [value.day, value.month, value.year] if isinstance(value, date) else [None, None, None]


class DateBoundField(forms.BoundField):
    """A GovukDateField on a page: its three boxes (`parts`), each with its label, id, name and value."""

    @property
    def parts(self) -> list[dict[str, str]]:
        value = self.value()
        values = value if isinstance(value, list | tuple) else self.field.widget.decompress(value)
        return [
            {"label": part.capitalize(), "id": f"{self.auto_id}_{index}", "name": f"{self.html_name}_{part}",
             "value": "" if values[index] is None else str(values[index]), "width": 4 if part == "year" else 2}
            for index, part in enumerate(DATE_PARTS)
        ]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error messages naming the field."""

    widget = DateParts
    bound_field_class = DateBoundField

    def __init__(self, *, label: str, **kwargs):
        self.missing_parts: tuple[str, ...] = ()
        parts = [forms.CharField(required=False) for _ in DATE_PARTS]
        super().__init__(parts, label=label, require_all_fields=False, required=True, **kwargs)
        self.error_messages["required"] = f"Enter the {label.lower()}"
        self.error_messages["incomplete"] = self.error_messages["required"]

    def compress(self, data_list):
        values = dict(zip(DATE_PARTS, [(v or "").strip() for v in (data_list or ["", "", ""])], strict=True))
        name = f"{self.label[0].upper()}{self.label[1:]}"
        missing = [part for part in DATE_PARTS if not values[part]]
        if len(missing) == 3:
            raise ValidationError(self.error_messages["required"])
        if missing:
            raise ValidationError(f"{name} must include a {' and a '.join(missing)}")
        month = MONTHS.get(values["month"].lower(), values["month"])
        try:
            if len(values["year"]) != 4:
                raise ValueError
            return date(int(values["year"]), int(month), int(values["day"]))
        except ValueError:
            raise ValidationError(f"{name} must be a real date, for example 27 3 2026") from None


class VariationProposeForm(GovukFormMixin, forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title for the variation"})
    summary = forms.CharField(
        widget=forms.Textarea, help_text="What the variation changes and why, as the parties' papers will say it",
        error_messages={"required": "Enter a summary of the variation"},
    )
    effective_date = GovukDateField(label="Intended effective date", help_text="For example, 1 4 2027")
    documents = forms.MultipleChoiceField(
        label="Draft changes it carries", widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one document with draft changes for the variation"},
    )

    def __init__(self, *args, candidates: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = candidates


class PartyDecisionForm(DecisionForm):
    """A party's decision on a variation: the agree page's decision fields (worded for the parties),
    its notice or minute, and the edit count and revisions the page showed."""

    decided_on = GovukDateField(label="Date of the decision", help_text="For example, 6 2 2018")
    notice = forms.FileField(
        label="Decision notice or minute (optional)", required=False,
        help_text="A scanned PDF, at most 10 MB", widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    edit_count = forms.IntegerField(widget=forms.HiddenInput)
    shown = forms.CharField(widget=forms.HiddenInput, required=False)  # each document's revision the page showed

    class Meta(DecisionForm.Meta):
        labels = {**DecisionForm.Meta.labels, "reference": "Reference"}
        help_texts = {**DecisionForm.Meta.help_texts,
                      "body": "For example, Cabinet, Cabinet Member Signing, the governing body or the board"}

    def clean_notice(self) -> Notice | None:
        upload = self.cleaned_data.get("notice")
        if not upload:
            return None
        if upload.size > NOTICE_LIMIT:  # refused before it is read
            raise ValidationError(f"\u201c{upload.name}\u201d is {upload.size / 1024 / 1024:.1f} MB: "
                                  "a decision notice can be at most 10 MB.")
        notice = Notice(upload.name, upload.read())
        try:
            check_notice(notice)
        except ValidationError as error:
            raise ValidationError(error.message_dict["notice"]) from error
        return notice


class DeclineForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why the party declines", widget=forms.Textarea,
        help_text="The other parties and the proposer see this on the variation's page",
        error_messages={"required": "Enter why the party declines the variation"},
    )
    edit_count = forms.IntegerField(widget=forms.HiddenInput)
    shown = forms.CharField(widget=forms.HiddenInput, required=False)


class WithdrawForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why the variation is withdrawn", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The parties see this on the variation's page and in the documents' history",
        error_messages={"required": "Enter why the variation is withdrawn"},
    )


class AddDocumentForm(GovukFormMixin, forms.Form):
    document = forms.ChoiceField(
        label="Add a drafted document", widget=forms.RadioSelect,
        error_messages={"required": "Choose the drafted document to add to the variation",
                        "invalid_choice": "Choose one of the drafted documents listed: %(value)s is not one of them"},
    )

    def __init__(self, *args, candidates: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = candidates
