"""`documents.registry`: the apps' document types, found by the "type" of their dicts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from agreements.presenters import AGREEMENT, SCHEDULE
from documents.diffing import diff_documents
from documents.registry import DocumentType, document_type, register
from governance.presenters import TERMS
from partnerships.access import Capability


def test_each_app_registers_its_document_types_when_django_starts():
    assert document_type("schedule") is SCHEDULE
    assert document_type("agreement") is AGREEMENT
    assert document_type("terms") is TERMS


def test_registering_the_same_type_again_changes_nothing():
    assert register(TERMS) is TERMS
    assert document_type("terms") is TERMS


def test_a_second_type_under_a_registered_kind_is_refused():
    impostor = DocumentType(kind="terms", present=dict, body_template="x.html", agree_capability=Capability.APPROVE_TERMS)
    with pytest.raises(ImproperlyConfigured, match="'terms' is registered twice"):
        register(impostor)
    assert document_type("terms") is TERMS


def test_a_document_of_an_unregistered_type_is_not_diffed_silently():
    with pytest.raises(LookupError, match="No document type 'quarterly_outcomes' is registered"):
        diff_documents(None, {"type": "quarterly_outcomes", "fields": {}})


@pytest.mark.django_db
def test_every_child_list_a_snapshot_holds_is_declared_for_its_diffs():
    """A child list the snapshot writes but the DocumentType does not declare would never show in
    history or compare: its changes would be recorded and silently left out of every diff."""
    from documents.models import Revision
    from governance.demo import load_demo_data

    load_demo_data()
    seen = set()
    for revision in Revision.objects.iterator():
        snapshot = revision.snapshot
        declared = set(document_type(snapshot["type"]).lists)
        item_lists = {key for key, value in snapshot.items()
                      if isinstance(value, list) and all(isinstance(item, dict) and "id" in item for item in value)}
        assert item_lists <= declared, (snapshot["type"], item_lists - declared)
        seen.add(snapshot["type"])
    assert seen == {"schedule", "agreement", "terms", "board", "monitoring_return"}
