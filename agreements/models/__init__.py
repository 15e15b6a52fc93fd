from agreements.models.agreement import (
    AGREEMENT_TRANSITIONS,
    DEFAULT_LEGAL_BASIS,
    Agreement,
    AgreementStatus,
    Clause,
    Party,
    PartyRole,
)
from agreements.models.budget_line import BudgetLine, BudgetStatus, BudgetType
from agreements.models.schedule import (
    ARRANGEMENT_FIELDS,
    Aim,
    KeyPerformanceIndicator,
    Outcome,
    Risk,
    Schedule,
    ScheduleStatus,
    SpecificationParagraph,
    SpecificationSection,
    StrategyDocument,
)
from agreements.models.variation import (
    NOTICE_LIMIT,
    DecisionNotice,
    PartyDecision,
    PartyOutcome,
    Variation,
    VariationDocument,
    VariationStatus,
)

__all__ = [
    "AGREEMENT_TRANSITIONS", "ARRANGEMENT_FIELDS", "DEFAULT_LEGAL_BASIS", "Agreement", "AgreementStatus",
    "Aim", "BudgetLine", "BudgetStatus", "BudgetType", "Clause", "KeyPerformanceIndicator", "Outcome", "Party",
    "PartyRole", "Risk", "Schedule", "ScheduleStatus", "SpecificationParagraph", "SpecificationSection",
    "StrategyDocument", "NOTICE_LIMIT", "DecisionNotice", "PartyDecision", "PartyOutcome", "Variation",
    "VariationDocument", "VariationStatus",
]
