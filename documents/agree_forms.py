"""The agree page's form: which decision agreed the document, one already recorded for it or a new one.

GOV.UK radios with a conditional reveal: "Use a decision already recorded" reveals the recorded
decisions, "Record a new decision" reveals the new decision's fields. Without JavaScript every
field shows; either way only the chosen branch's fields are read and checked. A document with no
recorded decision asks for a new one without the radios.
"""

from __future__ import annotations

from django import forms

from documents.forms import GovukDateField, GovukFormMixin
from documents.models import Decision

EXISTING, NEW = "existing", "new"


class DecisionForm(GovukFormMixin, forms.ModelForm):
    """A new decision's fields; a party's decision on a variation (agreements.variation_forms) adds to them."""

    decided_on = GovukDateField(label="Date of the decision", help_text="For example, 20 11 2026")

    class Meta:
        model = Decision
        fields = ["body", "decided_on", "reference", "key_decision"]
        labels = {"body": "Decided by", "reference": "Reference (optional)", "key_decision": "This was a key decision"}
        help_texts = {
            "body": "For example, Cabinet, the governing body or the board",
            "reference": "The forward plan reference or the minute number",
        }
        error_messages = {"body": {"required": "Enter who made the decision"}}


class AgreeForm(GovukFormMixin, forms.Form):
    source = forms.ChoiceField(
        label="Which decision agreed it?", widget=forms.RadioSelect,
        choices=[(EXISTING, "Use a decision already recorded"), (NEW, "Record a new decision")],
        error_messages={"required": "Select whether to use a decision already recorded or record a new one"},
    )
    existing = forms.ModelChoiceField(
        label="Decision already recorded", queryset=Decision.objects.none(), required=False,
        widget=forms.RadioSelect, empty_label=None,
        error_messages={"invalid_choice": "Select one of the decisions listed"},
    )

    def __init__(self, data=None, *, decisions, prefix: str = "choose"):
        super().__init__(data, prefix=prefix)
        self.fields["existing"].queryset = decisions
        self.offers_existing = decisions.exists()
        if not self.offers_existing:
            del self.fields["source"], self.fields["existing"]
        # The new decision's fields are read only when it is the branch chosen: a bound form for
        # them otherwise would report (and redden) fields the user was told to leave.
        chosen = self.data.get(self.add_prefix("source")) if self.offers_existing else NEW
        self.new = DecisionForm(data if chosen == NEW else None, prefix="decision")

    def clean(self):
        cleaned = super().clean()
        if self.offers_existing and cleaned.get("source") == EXISTING and cleaned.get("existing") is None \
                and "existing" not in self.errors:
            self.add_error("existing", "Select the decision already recorded")
        return cleaned

    @property
    def chosen(self) -> str:
        return self.cleaned_data.get("source", NEW) if self.offers_existing else NEW

    def decision(self) -> Decision | None:
        """The decision chosen or entered (a new one unsaved), or None while a field is in error."""
        if not self.is_valid():
            return None
        if self.chosen == EXISTING:
            return self.cleaned_data["existing"]
        return self.new.save(commit=False) if self.new.is_valid() else None

    def summary_errors(self) -> list[dict[str, str]]:
        """The new decision's errors for the page's error summary (the radios' are the form's own)."""
        if not self.new.is_bound:
            return []
        return [{"anchor": field.id_for_label, "message": error} for field in self.new for error in field.errors]
