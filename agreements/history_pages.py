"""Which document a history page is about: schedule, agreement or terms of reference.

The history, compare, version, as-of, agree and restore pages are the same for every versioned
document; a `VersionedDocument` tells them how to name, show, restore and guard the one at hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import reverse

from partnerships.access import Capability


@dataclass
class VersionedDocument:
    obj: models.Model
    label: str  # "Schedule 6"
    title: str  # "Schedule 6 — Children's commissioned services"
    url_prefix: str  # url name prefix: "schedule", "agreement" or "terms"
    url_args: list[Any]
    present: Callable[[dict[str, Any]], dict[str, Any]]
    body_template: str
    restore: Callable[..., Any] | None
    agree: Callable[..., Any]
    edit_capability: Capability
    agree_capability: Capability
    agreed_word: str = "agreed"  # "approved" for terms of reference
    agree_verb: str = "agree"  # "approve" for terms of reference
    this_name: str = "This document"  # "This schedule": starts a sentence about the document
    breadcrumbs: dict[str, Any] = field(default_factory=dict)

    def url(self, page: str, *extra: Any) -> str:
        name = self.url_prefix if page == "detail" else f"{self.url_prefix}_{page}"
        return reverse(name, args=[*self.url_args, *extra])

    # For templates, which cannot pass arguments.
    @property
    def detail_url(self) -> str:
        return self.url("detail")

    @property
    def history_url(self) -> str:
        return self.url("history")

    @property
    def compare_url(self) -> str:
        return self.url("compare")

    @property
    def as_of_url(self) -> str:
        return self.url("as_of")

    @property
    def agree_url(self) -> str:
        return self.url("agree")

    def compare_between_url(self, older_id: int, newer_id: int) -> str:
        return f"{self.compare_url}?older={older_id}&newer={newer_id}"

    def version_url(self, number: int) -> str:
        return self.url("version", number)

    def restore_url(self, revision_id: int) -> str:
        return self.url("restore", revision_id)


def schedule_document(schedule) -> VersionedDocument:
    from agreements.presenters import present_schedule
    from agreements.services.schedules import schedule_agree, schedule_restore

    return VersionedDocument(
        obj=schedule, label=f"Schedule {schedule.number}", title=f"Schedule {schedule.number} — {schedule.title}",
        url_prefix="schedule", url_args=[schedule.agreement.reference, schedule.number],
        present=present_schedule, body_template="agreements/includes/schedule_body.html",
        restore=lambda *, revision, user, reason, expected_revision: schedule_restore(
            schedule=schedule, revision=revision, user=user, reason=reason, expected_revision=expected_revision,
        ),
        agree=lambda *, decision, user, expected_revision: schedule_agree(
            schedule=schedule, decision=decision, user=user, expected_revision=expected_revision,
        ),
        edit_capability=Capability.EDIT_AGREEMENT, agree_capability=Capability.AGREE_VERSIONS,
        this_name="This schedule", breadcrumbs={"agreement": schedule.agreement, "schedule": schedule},
    )


def agreement_document(agreement) -> VersionedDocument:
    from agreements.presenters import present_agreement
    from agreements.services.agreements import agreement_agree, agreement_restore

    return VersionedDocument(
        obj=agreement, label=agreement.reference, title=f"{agreement.reference}: {agreement.title}",
        url_prefix="agreement", url_args=[agreement.reference],
        present=present_agreement, body_template="agreements/includes/agreement_body.html",
        restore=lambda *, revision, user, reason, expected_revision: agreement_restore(
            agreement=agreement, revision=revision, user=user, reason=reason, expected_revision=expected_revision,
        ),
        agree=lambda *, decision, user, expected_revision: agreement_agree(
            agreement=agreement, decision=decision, user=user, expected_revision=expected_revision,
        ),
        edit_capability=Capability.EDIT_AGREEMENT, agree_capability=Capability.AGREE_VERSIONS,
        this_name="This agreement", breadcrumbs={"agreement": agreement},
    )

