"""The sign-in form: Django's own, with GOV.UK classes and error ids.

Partnerships sits below the kernel, so this form does not use `documents.forms.GovukFormMixin`;
it sets the same classes and ARIA links for its two inputs itself.
"""

from __future__ import annotations

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
