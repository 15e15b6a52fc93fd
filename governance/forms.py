"""Forms for editing boards and their terms of reference in the browser."""

from __future__ import annotations

from datetime import date

from django import forms

from agreements.forms import ChangeReasonMixin
from agreements.models import Agreement
from documents.forms import GovukDateField, GovukFormMixin
from documents.item_lists import ItemField, ItemList, optional_id
from governance.models import Board, TermsOfReference
from governance.selectors import board_choices
from partnerships.models import Partner

NOT_A_BOARD = ("", "Not a board recorded here: type the body's name")
NOT_A_PARTNER = ("", "Not a partner: type the organisation's name, or leave it blank")


class TermsFieldsForm(GovukFormMixin, forms.ModelForm):
    review_due = GovukDateField(label="Next review date", required=False,
                                help_text="The date by which the board should next review these terms, for example 31 3 2027")

    class Meta:
        model = TermsOfReference
        fields = ["title", "purpose", "chair", "vice_chair", "quorum", "meeting_frequency", "resources", "review_due"]
        labels = {"vice_chair": "Vice-chair", "meeting_frequency": "Frequency of meetings"}
        help_texts = {
            "purpose": "Paragraphs separated by a blank line",
            "quorum": "For example, 'Three members, including one from each partner'. Leave blank if none is set.",
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "resources": forms.Textarea(attrs={"rows": 10}),
        }


class TermsEditForm(TermsFieldsForm, ChangeReasonMixin):
    pass


def terms_item_lists(board: Board, user) -> dict[str, ItemList]:
    """The terms' editable lists, in the order the terms print them."""
    terms = getattr(board, "terms", None)
    current = list(terms.accountability_lines.values_list("reports_to_id", flat=True)) if terms else []
    boards = (NOT_A_BOARD, *((str(b.pk), b.name) for b in board_choices(user, keep=current, exclude=board.pk)))
    partners = (NOT_A_PARTNER, *((str(p.pk), p.name) for p in Partner.objects.order_by("name")))
    return {
        "duties": ItemList(
            "duties", "Duty", "Objectives, tasks and duties",
            (
                ItemField("label", "Label", kind="text", width="govuk-input--width-5", hint="As written, such as 2.11"),
                ItemField("text", "Text"),
            ),
            numbered=False, hint="Labels are kept exactly as typed: a gap in the numbering stays a gap.",
        ),
        "accountability_lines": ItemList(
            "accountability_lines", "Reporting line", "Accountability and reporting lines",
            (
                ItemField("label", "Label", kind="text", required=False, width="govuk-input--width-5"),
                ItemField("reports_to_id", "Reports to", kind="select", choices=boards, required=False, parse=optional_id),
                ItemField("reports_to_name", "Reports to (a body not recorded here)", kind="text", required=False),
                ItemField("frequency", "Frequency", kind="text", required=False, hint="For example, regular reports, annual, as requested"),
                ItemField("text", "Text"),
            ),
            numbered=False,
        ),
        "financial_items": ItemList(
            "financial_items", "Financial governance item", "Financial governance",
            (
                ItemField("label", "Label", kind="text", required=False, width="govuk-input--width-5"),
                ItemField("text", "Text", hint="A line starting '- ' is a bullet"),
            ),
            numbered=False,
        ),
        "members": ItemList(
            "members", "Member", "Members",
            (
                ItemField("role", "Role", kind="text"),
                ItemField(
                    "organisation_id", "Organisation", kind="select", choices=partners, required=False, parse=optional_id,
                ),
                ItemField("organisation_name", "Organisation (not a partner)", kind="text", required=False),
                ItemField("voting", "Voting member", kind="checkbox", required=False, default=True),
                ItemField("substitute", "Substitute", kind="text", required=False),
            ),
            numbered=False, hint="Choose a partner or type the organisation's name, not both.",
        ),
        "other_sections": ItemList(
            "other_sections", "Section", "Other sections",
            (
                ItemField("heading", "Heading", kind="text"),
                ItemField("body", "Text", hint="Paragraphs separated by a blank line; a line starting '- ' is a bullet"),
            ),
            hint="Printed after the members, such as 'Link with Local Commissioning Groups'.",
        ),
        "remit_items": ItemList(
            "remit_items", "Remit item", "What is and is not within the remit",
            (
                ItemField("text", "Text"),
                ItemField(
                    "included", "Within the remit (untick for what is not included)", kind="checkbox", required=False,
                    default=True,
                ),
            ),
            numbered=False,
        ),
    }


class BoardForm(GovukFormMixin, forms.ModelForm):
    agreements = forms.ModelMultipleChoiceField(
        label="Agreements it manages", queryset=Agreement.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label="Reason for this change", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason for this change"},
    )
    # The board's edit count when the page was opened: a save after someone else's is refused.
    edit_count = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Board
        fields = ["name", "short_name", "reports_to", "description"]
        labels = {"reports_to": "Reports to"}
        error_messages = {"name": {"required": "Enter the board's name"}}

    def __init__(self, *args, visible_agreements, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreements"].queryset = visible_agreements
        self.fields["agreements"].widget.attrs["class"] = "govuk-checkboxes__input"
        if self.instance.pk:
            self.fields["agreements"].initial = list(
                self.instance.agreements.filter(pk__in=visible_agreements.values("pk")).values_list("pk", flat=True)
            )
        reports_to = self.fields["reports_to"]
        reports_to.queryset = board_choices(user, keep=[self.instance.reports_to_id], exclude=self.instance.pk)
        reports_to.empty_label = "None"


class MeetingPatternForm(GovukFormMixin, forms.Form):
    first_meeting = GovukDateField(label="Date of the first meeting", help_text="For example, 14 1 2027")
    every_months = forms.IntegerField(
        label="Meets every (months)", min_value=1, max_value=12,
        help_text="1 for monthly, 2 for every other month, 3 for quarterly",
        error_messages={"required": "Enter how many months apart the meetings are, from 1 to 12",
                        "invalid": "Enter how many months apart the meetings are as a number, such as 2",
                        "min_value": "Enter how many months apart the meetings are, from 1 to 12",
                        "max_value": "Enter how many months apart the meetings are, from 1 to 12"},
    )


class MeetingChangeForm(GovukFormMixin, forms.Form):
    """Move or cancel one of the coming meetings the pattern gives."""

    meeting = forms.TypedChoiceField(label="Meeting", coerce=date.fromisoformat,
                                     error_messages={"invalid_choice": "Choose one of the meetings listed"})
    cancel = forms.BooleanField(label="Cancel this meeting", required=False)
    moved_to = GovukDateField(label="New date", required=False, help_text="Leave blank if you are cancelling it")

    def __init__(self, *args, planned: list[date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [(d.isoformat(), f"{d:%A %-d %B %Y}") for d in planned]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("cancel") and data.get("moved_to") is None:
            self.add_error("moved_to", "Enter the new date, or tick 'Cancel this meeting'")
        if data.get("cancel") and data.get("moved_to") is not None:
            self.add_error("moved_to", "Leave the new date blank when cancelling the meeting")
        return data
