"""Partners: the councils and NHS bodies (public bodies, so every signed-in user may list them)."""

from __future__ import annotations

from django_filters import rest_framework as filters
from rest_framework import viewsets

from partnerships.api.serializers import PartnerSerializer
from partnerships.models import Partner


class PartnerFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Partner
        fields = ["kind", "code", "short_name", "name"]


class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
