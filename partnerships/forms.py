"""The sign-in and API token forms, with GOV.UK classes and error ids, and the GOV.UK date input
(day, month, year) every app's forms use.

Partnerships sits below the kernel, so these forms do not use `documents.forms.GovukFormMixin`;
they set the same classes and ARIA links for their inputs themselves. The date input is here, at
the ground, so that the API token page can use it; `documents.forms` offers it to the apps above.
"""

from __future__ import annotations

import calendar
from datetime import date

from django import forms
from django.contrib.auth.forms import AuthenticationForm

DATE_PARTS = ("day", "month", "year")
MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
          for number, name in enumerate(names) if name}


class GovukDateWidget(forms.MultiWidget):
    """Three boxes, day, month and year, posted as <name>_day, <name>_month and <name>_year (ids <id>_0, _1, _2)."""

    is_govuk_date = True  # includes/field.html draws it in its fieldset (includes/date_field.html)
    template_name = "partnerships/widgets/govuk_date.html"

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
        named = label.removesuffix(" (optional)")
        what = named[:1].lower() + named[1:]
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


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-input"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"class": "govuk-input govuk-input--error", "aria-describedby": f"{self[name].auto_id}-error"}
                )


class ApiTokenForm(forms.Form):
    """Name and optional expiry of a new personal API token (GOV.UK classes set here, as above)."""

    name = forms.CharField(
        label="Name", max_length=100,
        help_text="What will use it, so you can tell your tokens apart. For example, Power BI budget report",
        error_messages={"required": "Enter a name for the token."},
    )
    expires_on = GovukDateField(
        label="Expiry date (optional)", required=False,
        help_text="The token stops working after this day. Leave blank for a token that works until you revoke it. "
                  "For example, 31 3 2027",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["class"] = "govuk-input govuk-!-width-two-thirds"
        self.fields["name"].widget.attrs["aria-describedby"] = f"{self['name'].auto_id}-hint"

    def add_error(self, field, error):
        """Mark each field in error, whether the form or the token service refused it."""
        super().add_error(field, error)
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            if isinstance(widget, GovukDateWidget):
                widget.attrs["invalid"] = True  # the date's boxes turn red; its fieldset names the error
            elif "govuk-input--error" not in widget.attrs["class"]:
                widget.attrs["class"] += " govuk-input--error"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint {self[name].auto_id}-error"
