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
    with pytest.raises(LookupError, match="No document type 'monitoring_return' is registered"):
        diff_documents(None, {"type": "monitoring_return", "fields": {}})
