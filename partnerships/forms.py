"""The sign-in form: Django's own, with GOV.UK classes and error ids.

Partnerships sits below the kernel, so this form does not use `documents.forms.GovukFormMixin`;
it sets the same classes and ARIA links for its two inputs itself.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


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
    expires_on = forms.DateField(
        label="Expiry date (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The token stops working after this day. Leave blank for a token that works until you revoke it.",
        error_messages={"invalid": "Enter the expiry date as a real date, for example 31/3/2027."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["class"] = "govuk-input govuk-!-width-two-thirds"
        self.fields["expires_on"].widget.attrs["class"] = "govuk-input govuk-input--width-10"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] += " govuk-input--error"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint {self[name].auto_id}-error"
