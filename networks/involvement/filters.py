"""/supporters/'s filters (django-filter over Pledge.objects.listed()), all in the URL."""

import django_filters
from django.utils.translation import gettext_lazy as _

from networks.directory.filters import country_choices
from networks.involvement.models import OrganisationKind, Pledge


class SupporterFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=OrganisationKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    country = django_filters.ChoiceFilter(
        choices=country_choices, label=_("Country"), empty_label=_("All countries")
    )

    class Meta:
        model = Pledge
        fields = ["kind", "country"]
