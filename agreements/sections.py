"""The parts of a schedule and of an agreement edited one at a time from their pages, in the order
they print. A schedule's budget lines are changed on the budget table instead
(`agreements.budget_table_views`, linked beside the schedule's Budgets heading)."""

from __future__ import annotations

from documents.sections import Section

ARRANGEMENTS = ("pooled_fund", "lead_commissioning", "integrated_provision", "aligned_budgets")

SCHEDULE_SECTIONS = (
    Section(
        "details", "Schedule details",
        fields=("title", "status", "service_name", "agreement_type", "service_type", *ARRANGEMENTS,
                "lead_commissioner", "host", "pool_manager", "review_due"),
        fields_template="agreements/includes/schedule_details_fields.html",
    ),
    Section("services", "Delegated function and services", fields=("delegated_function", "services")),
    Section("aims", "Aims of the services", lists=("aims",)),
    Section("outcomes", "Outcomes of the services", lists=("outcomes",)),
    Section("strategy-documents", "Strategy and framework documents", lists=("strategy_documents",)),
    Section("eligibility", "Eligibility and assessment procedures", fields=("eligibility",)),
    Section("kpis", "Key performance indicators", lists=("kpis",)),
    Section("resources", "Resources for managing the partnership", fields=("resources",)),
    Section("risks", "Risks and mitigations", lists=("risks",)),
    Section("specification", "Outline specification", fields=("specification_title",), lists=("specification",)),
)

AGREEMENT_SECTIONS = (
    Section(
        "details", "Agreement details",
        fields=("title", "status", "legal_basis", "dated", "effective_from", "expires", "review_due", "notice_period_months"),
    ),
    Section("parties", "Parties", lists=("parties",)),
    Section("clauses", "Clauses", lists=("clauses",)),
)
