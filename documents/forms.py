"""GOV.UK Design System classes and ARIA wiring for Django forms, and text read as it is stored;
the "as it stood on a date" date input every document's PDF download reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from django import forms
from django.forms.utils import pretty_name
from django.utils import timezone

from documents.text import clean_text
from partnerships.forms import DATE_PARTS, MONTHS, GovukDateField, GovukDateWidget  # noqa: F401 (the date input, offered here)

WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "radio": "govuk-radios__input",
    "file": "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class CleanTextField(forms.CharField):
    """A text field that reads its input with one line-ending form and no control characters
    (for forms that are not GovukFormMixin forms, such as the admin's)."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if isinstance(value, str) else value


def _cleaned_data(data, fields, add_prefix):
    """The posted text with one line-ending form and no control characters (passwords aside),
    so a field the user did not touch compares equal to what is stored."""
    data = data.copy()
    for name, field in fields.items():
        key = add_prefix(name)
        if isinstance(field.widget, forms.PasswordInput) or key not in data:
            continue
        if hasattr(data, "setlist"):
            data.setlist(key, [clean_text(v) if isinstance(v, str) else v for v in data.getlist(key)])
        elif isinstance(data[key], str):
            data[key] = clean_text(data[key])
    return data


def _named(label: str) -> str:
    """A field's label as it reads mid-sentence: "the review date", but "the KPI"."""
    label = re.sub(r"\s*\([^)]*\)$", "", label)  # "(optional)", "(£)"
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def field_error_messages(name: str, field: forms.Field) -> dict[str, str]:
    """GOV.UK error messages naming the field, for the messages Django would give without naming it
    ("This field is required.", "Select a valid choice.", "Enter a whole number.")."""
    what = _named(str(field.label or pretty_name(name)))
    chosen = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField | forms.BooleanField)
    messages = {"required": f"Select the {what}" if chosen else f"Enter the {what}"}
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        messages["required"] = f"Select at least one of the {what}"
    elif isinstance(field, forms.BooleanField):
        messages["required"] = f"Select \u201c{field.label or pretty_name(name)}\u201d to continue"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        messages["invalid_choice"] = f"Select the {what} from the options listed"
    if isinstance(field, forms.IntegerField):
        messages["invalid"] = f"The {what} must be a whole number"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"The {what} must be a number"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"The {what} must be a real date"
    defaults = {key: str(value) for klass in reversed(type(field).__mro__)
                for key, value in getattr(klass, "default_error_messages", {}).items()}
    # only where the field still has Django's own message: a form's own wording stays
    return {key: text for key, text in messages.items()
            if key in field.error_messages and str(field.error_messages[key]) == defaults.get(key)}


def mark_error(form: forms.BaseForm, name: str) -> None:
    """Show field `name` in its GOV.UK error state: the widget's error class (govuk-input--error
    and so on) and its error message's id in aria-describedby. Once only, however often it is
    called; nothing for a name that is not one of the form's fields."""
    if name not in form.fields:
        return
    widget = form.fields[name].widget
    classes = widget.attrs.get("class", "")
    base = classes.split()[0] if classes else ""
    if base in ERROR_CLASSES and ERROR_CLASSES[base] not in classes:
        widget.attrs["class"] = f"{classes} {ERROR_CLASSES[base]}"
    described = widget.attrs.get("aria-describedby", "")
    error_id = f"{form[name].auto_id}-error"
    if error_id not in described:
        widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()


class GovukFormMixin:
    """Give every widget its GOV.UK class, hint and error ids for screen readers, and every field
    error messages that name it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = _cleaned_data(self.data, self.fields, self.add_prefix)
        for name, field in self.fields.items():
            field.error_messages.update(field_error_messages(name, field))
            widget = field.widget
            kind = getattr(widget, "input_type", None) or ("textarea" if isinstance(widget, forms.Textarea) else "")
            if isinstance(widget, forms.Select):
                kind = "select"
            if isinstance(widget, forms.DateInput):
                # A type=date input shows and posts only ISO dates (2017-03-01); the locale's
                # 01/03/2017 would show as empty and a save would wipe the date.
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            css = WIDGET_CLASSES.get(kind, "govuk-input")
            if css == "govuk-input" and isinstance(widget, forms.DateInput | forms.NumberInput):
                css = "govuk-input govuk-input--width-10"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self.auto_id % name if self.prefix is None else self[name].auto_id}-hint"
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            mark_error(self, name)


@dataclass
class DateChoice:
    """What the date page is choosing a date for: "Download <subject> as <stood> on a date"."""

    subject: str
    action: str
    back_url: str = ""
    back_text: str = ""
    stood: str = "it stood"


class AsOfDateForm(forms.Form):
    """The GOV.UK date input (day, month, year) for "as it stood on", named as_of-day and so on."""

    day = forms.CharField(required=False)
    month = forms.CharField(required=False)
    year = forms.CharField(required=False)

    def __init__(self, *args, choice: DateChoice, **kwargs):
        super().__init__(*args, prefix="as_of", **kwargs)
        self.choice = choice
        self.error_parts: tuple[str, ...] = ()
        self.date: date | None = None

    def _fail(self, message: str, parts: tuple[str, ...] = DATE_PARTS) -> NoReturn:
        self.error_parts = parts
        raise forms.ValidationError(message)

    def clean(self):
        parts = {name: (self.cleaned_data.get(name) or "").strip() for name in DATE_PARTS}
        missing = tuple(name for name in DATE_PARTS if not parts[name])
        if len(missing) == len(DATE_PARTS):
            self._fail(f"Enter the date to download {self.choice.subject} as {self.choice.stood} on")
        if missing:
            self._fail(f"The date must include a {' and a '.join(missing)}", missing)
        month = MONTHS.get(parts["month"].lower(), parts["month"])
        if not (parts["day"].isdigit() and str(month).isdigit() and parts["year"].isdigit()):
            self._fail("The date must be a real date, for example 31 3 2019")
        if len(parts["year"]) != 4:
            self._fail("The year must include 4 numbers", ("year",))
        try:
            chosen = date(int(parts["year"]), int(month), int(parts["day"]))
        except ValueError:
            self._fail("The date must be a real date, for example 31 3 2019")
        if chosen > timezone.localdate():
            self._fail("The date must be today or in the past")
        self.date = chosen
        return self.cleaned_data
