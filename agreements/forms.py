"""Forms for editing agreements and schedules in the browser."""

from __future__ import annotations

from django import forms

from agreements.budget_values import parse_amount, parse_financial_year
from agreements.models import Agreement, AgreementStatus, BudgetStatus, BudgetType, PartyRole, Schedule
from documents.forms import GovukDateField, GovukFormMixin
from documents.item_lists import ItemField, ItemList, optional_id
from partnerships.models import Partner

REASON_HELP = "Say why, for the history: for example, 'Varied after the specialist therapies review'."


class ChangeReasonMixin(forms.Form):
    reason = forms.CharField(
        label="Reason for this change", widget=forms.Textarea(attrs={"rows": 2}), help_text=REASON_HELP,
        error_messages={"required": "Enter the reason for this change"},
    )
    edit_count = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "This page is out of date: open the edit page again to see the latest version."},
    )


class ScheduleFieldsForm(GovukFormMixin, forms.ModelForm):
    review_due = GovukDateField(label="Review date", required=False,
                                help_text="When the partners should next review this schedule, for example 31 3 2027")

    class Meta:
        model = Schedule
        fields = [
            "number", "title", "status", "service_name", "agreement_type", "service_type",
            "pooled_fund", "lead_commissioning", "integrated_provision", "aligned_budgets",
            "lead_commissioner", "host", "pool_manager", "delegated_function", "services",
            "eligibility", "resources", "specification_title", "review_due",
        ]
        labels = {"number": "Schedule number", "title": "Title"}
        widgets = {"number": forms.NumberInput(attrs={"class": "govuk-input--width-4"})}

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        parties = Partner.objects.filter(parties__agreement=agreement).order_by("parties__position")
        for name in ("lead_commissioner", "host"):
            self.fields[name].queryset = parties
            self.fields[name].empty_label = "None"
        if self.instance.pk:
            self.fields["number"].disabled = True
            self.fields["number"].help_text = "A schedule keeps its number for good"
        self.instance.agreement = agreement

    def clean(self):
        cleaned = super().clean()
        arrangements = ("pooled_fund", "lead_commissioning", "integrated_provision", "aligned_budgets")
        shown = all(name in self.fields for name in arrangements)  # a section page may hold none of them
        if shown and not any(cleaned.get(name) for name in arrangements):
            self.add_error(
                "pooled_fund",
                "Choose at least one type of arrangement: pooled fund, lead commissioning, "
                "integrated provision or aligned budgets",
            )
        return cleaned

    def validate_constraints(self, exclude=None):
        # The arrangement rule is reported once by clean(); other constraints still apply.
        exclude = set(exclude or ()) | {"pooled_fund"}
        super().validate_constraints(exclude=exclude)


class ScheduleEditForm(ScheduleFieldsForm, ChangeReasonMixin):
    pass


class ScheduleCreateForm(ScheduleFieldsForm):
    reason = forms.CharField(
        label="Reason for adding this schedule", widget=forms.Textarea(attrs={"rows": 2}),
        initial="New schedule", error_messages={"required": "Enter the reason for adding this schedule"},
    )


def _amount_text(value: str) -> str | None:
    """A budget line's amount as the document dict holds it: exact decimal text, or None."""
    amount = parse_amount(value)
    return None if amount is None else str(amount)


def schedule_item_lists(agreement: Agreement) -> dict[str, ItemList]:
    partner_choices = tuple(
        (str(p.pk), p.name) for p in Partner.objects.filter(parties__agreement=agreement).order_by("parties__position")
    )

    return {
        "aims": ItemList("aims", "Aim", "Aims of the services", (ItemField("text", "Text"),)),
        "outcomes": ItemList("outcomes", "Outcome", "Outcomes of the services", (ItemField("text", "Text"),)),
        "strategy_documents": ItemList(
            "strategy_documents", "Strategy document", "Strategy and framework documents",
            (ItemField("text", "Text"),), numbered=False,
        ),
        "kpis": ItemList(
            "kpis", "KPI", "Key performance indicators", (ItemField("text", "Text"),), numbered=False,
        ),
        "risks": ItemList(
            "risks", "Risk", "Risks and mitigations",
            (ItemField("risk", "Risk"), ItemField("mitigation", "Mitigation", hint="Separate paragraphs with a blank line")),
        ),
        "specification": ItemList(
            "specification", "Section", "Outline specification", (ItemField("heading", "Heading", kind="text"),),
            children=ItemList(
                "paragraphs", "Paragraph", "Paragraphs",
                (
                    ItemField("text", "Text"),
                    ItemField("list_items", "Listed items", required=False),
                ),
            ),
        ),
        "budget_lines": ItemList(
            "budget_lines", "Budget line", "Budget lines",
            (
                ItemField("service", "Service", kind="text"),
                ItemField("partner_id", "Partner", kind="select", choices=partner_choices, parse=optional_id),
                # Years and amounts are read as the budget import reads them: "2018/19", "£4,388,588".
                ItemField(
                    "financial_year", "Financial year", kind="text", width="govuk-input--width-5", hint="Such as 2018/19",
                    parse=parse_financial_year,
                ),
                ItemField("budget_type", "Budget type", kind="select", choices=tuple(BudgetType.choices)),
                ItemField(
                    "amount", "Amount (£)", kind="text", required=False, width="govuk-input--width-10",
                    parse=_amount_text,
                ),
                ItemField("status", "Status", kind="select", choices=tuple(BudgetStatus.choices)),
                ItemField("ring_fenced_public_health", "Ring-fenced public health", kind="checkbox", required=False),
                ItemField("notes", "Notes", required=False),
            ),
            hint="One line per service, partner, financial year and budget type. Leave the amount blank when there is no figure.",
        ),
    }


class AgreementFieldsForm(GovukFormMixin, forms.ModelForm):
    # The GOV.UK date input: three boxes that show and post the date as people write it.
    dated = GovukDateField(label="Date of the agreement", required=False, help_text="For example, 1 3 2017")
    effective_from = GovukDateField(label="Effective from date", required=False, help_text="For example, 1 4 2017")
    expires = GovukDateField(label="Expiry date", required=False, help_text="Leave blank if the agreement has no end date")
    review_due = GovukDateField(label="Review date", required=False,
                                help_text="When the partners should next review the agreement, for example 31 3 2027")

    class Meta:
        model = Agreement
        fields = ["title", "reference", "status", "legal_basis", "dated", "effective_from", "expires", "review_due",
                  "notice_period_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["reference"].disabled = True


class AgreementEditForm(AgreementFieldsForm, ChangeReasonMixin):
    pass


def agreement_item_lists() -> dict[str, ItemList]:
    partner_choices = tuple((str(p.pk), f"{p.name} ({p.get_kind_display()})") for p in Partner.objects.all())
    return {
        "parties": ItemList(
            "parties", "Party", "Parties",
            (
                ItemField("partner_id", "Partner", kind="select", choices=partner_choices, parse=optional_id),
                ItemField("role", "Role", kind="select", choices=tuple(PartyRole.choices)),
            ),
            hint="At least one NHS body and one local authority",
        ),
        "clauses": ItemList(
            "clauses", "Clause", "Clauses",
            (ItemField("heading", "Heading", kind="text"), ItemField("text", "Text")),
        ),
    }


STATUS_FILTER_CHOICES = [("", "All statuses"), *AgreementStatus.choices]
