"""/policies/'s filters (django-filter over Policy.objects.in_library()), all in the URL."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cities.gazetteer import fold
from cities.models import Principle
from networks.directory.filters import country_choices
from networks.models.pioneers import ModelPolicy
from networks.policies.models import POLICY_LANGUAGES, Policy, PolicyKind

SEARCH_MAX = 100


def _principle_choices():
    return [(p.code, p.get_code_display()) for p in Principle.objects.all()]


class PolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Title"),
        method="search",
        max_length=SEARCH_MAX,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    principle = django_filters.ChoiceFilter(
        choices=_principle_choices,
        label=_("Principle"),
        empty_label=_("All principles"),
        field_name="principles__code",
    )
    model_policy = django_filters.ChoiceFilter(
        choices=ModelPolicy.choices,
        label=_("Model policy"),
        empty_label=_("All model policies"),
        method="by_model_policy",
    )
    country = django_filters.ChoiceFilter(
        choices=country_choices, label=_("Country"), empty_label=_("All countries")
    )
    kind = django_filters.ChoiceFilter(
        choices=PolicyKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    policy_language = django_filters.ChoiceFilter(
        choices=POLICY_LANGUAGES, label=_("Language"), empty_label=_("All languages")
    )
    city = django_filters.CharFilter(
        label=_("City"), field_name="city__slug", max_length=100, widget=forms.HiddenInput
    )

    class Meta:
        model = Policy
        fields = ["q", "principle", "model_policy", "country", "kind", "policy_language", "city"]

    def search(self, queryset, name, value):
        # The directory's fold (accents, case, scripts), on the stored folded title.
        folded = fold(value)
        return queryset.filter(search_title__contains=folded) if folded else queryset

    def by_model_policy(self, queryset, name, value):
        return queryset.with_model_policy(value)
