"""GOV.UK Design System classes and ARIA wiring for Django forms, and text read as it is stored;
the "as it stood on a date" date input every document's PDF download reads."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from django import forms
from django.utils import timezone

from documents.text import clean_text

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


class GovukFormMixin:
    """Give every widget its GOV.UK class, hint and error ids for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = _cleaned_data(self.data, self.fields, self.add_prefix)
        for name, field in self.fields.items():
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
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            classes = widget.attrs.get("class", "")
            base = classes.split()[0] if classes else ""
            if base in ERROR_CLASSES and ERROR_CLASSES[base] not in classes:
                widget.attrs["class"] = f"{classes} {ERROR_CLASSES[base]}"
            described = widget.attrs.get("aria-describedby", "")
            error_id = f"{self[name].auto_id}-error"
            if error_id not in described:
                widget.attrs["aria-describedby"] = f"{described} {error_id}".strip()



DATE_PARTS = ("day", "month", "year")
MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
          for number, name in enumerate(names) if name}


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


# --------------------------------------------------------------------------- the GOV.UK date input


class GovukDateWidget(forms.MultiWidget):
    """Three boxes, day, month and year, posted as <name>_day, <name>_month and <name>_year (ids <id>_0, _1, _2)."""

    template_name = "documents/widgets/govuk_date.html"

    def __init__(self, attrs=None):
        super().__init__({part: forms.TextInput() for part in DATE_PARTS}, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""  # MultiWidget numbers its boxes _0 (day), _1 (month), _2 (year)


class GovukDateField(forms.MultiValueField):
    """A date typed in the GOV.UK date input, with its error messages: the date "must include a
    month", "must be a real date", the year "must include 4 numbers". A month may be a name."""

    widget = GovukDateWidget

    def __init__(self, *, label: str, required: bool = True, **kwargs):
        parts = [forms.CharField(required=False) for _ in DATE_PARTS]
        what = label[:1].lower() + label[1:]
        super().__init__(parts, label=label, required=required, require_all_fields=False,
                         error_messages={"required": f"Enter the {what}"}, **kwargs)
        self.what = what

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError:
            self.widget.attrs["invalid"] = True
            raise

    def compress(self, values):
        parts = dict(zip(DATE_PARTS, [(v or "").strip() for v in values or ["", "", ""]], strict=True))
        missing = [name for name in DATE_PARTS if not parts[name]]
        if len(missing) == len(DATE_PARTS):
            if self.required:
                raise forms.ValidationError(f"Enter the {self.what}")
            return None
        if missing:
            raise forms.ValidationError(f"The {self.what} must include a {' and a '.join(missing)}")
        month = MONTHS.get(parts["month"].lower(), parts["month"])
        if not (parts["day"].isdigit() and str(month).isdigit() and parts["year"].isdigit()):
            raise forms.ValidationError(f"The {self.what} must be a real date, for example 14 1 2027")
        if len(parts["year"]) != 4:
            raise forms.ValidationError(f"The year of the {self.what} must include 4 numbers")
        try:
            return date(int(parts["year"]), int(month), int(parts["day"]))
        except ValueError:
            raise forms.ValidationError(f"The {self.what} must be a real date, for example 14 1 2027") from None
