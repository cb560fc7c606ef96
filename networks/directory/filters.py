"""The directory's filters (django-filter), all reflected in the URL."""

import functools

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cities.gazetteer import sort_key
from cities.models import City, Principle
from cities.regions import Region
from cities.sizes import SizeClass
from networks.directory import facts as directory_facts
from networks.models import Membership, ModelPolicy, Network, RoadmapEntry


@functools.lru_cache(maxsize=16)
def _country_choices(language: str) -> tuple:
    return tuple((code, str(name)) for code, name in countries)


def country_choices():
    # A callable, so each request's copy of the filters does not deep-copy 250 names,
    # and the sorted, translated list is built once per language.
    return _country_choices(get_language())


SELECTS = [
    "network",
    "kind",
    "role",
    "region",
    "country",
    "size",
    "principle",
    "adopted",
    "sort",
]


# The first option of each <select>, instead of Django's "---------".
ANY_LABELS = {
    "network": _("All networks"),
    "kind": _("All kinds"),
    "role": _("All roles"),
    "region": _("All regions"),
    "country": _("All countries"),
    "size": _("All sizes"),
    "principle": _("Any principle"),
    "adopted": _("Any or none"),
}


def select_options(bound_field, version) -> str:
    """The <option>s of a filter's <select>, as HTML built here, the current one selected.

    Some 250 countries through the template language cost more than the rest of the
    page, so the list is built in Python once per process, language and (for networks
    and principles, which are rows) version of the directory's data; the request only
    marks its own value as selected.
    """
    field = bound_field.field
    rows = isinstance(field, forms.ModelChoiceField)
    key = (bound_field.name, get_language(), version if rows else None)
    html = _OPTIONS.get(key)
    if html is None:
        if len(_OPTIONS) > 200:  # old versions of the data
            _OPTIONS.clear()
        html = _OPTIONS[key] = _options_html(bound_field)
    value = bound_field.value()
    current = f'<option value="{escape("" if value is None else value)}">'
    return mark_safe(html.replace(current, current[:-1] + " selected>", 1))  # noqa: S308


_OPTIONS: dict[tuple, str] = {}


def _options_html(bound_field) -> str:
    # Iterating a model field's choices opens a server-side cursor on PostgreSQL, where
    # one plain query is cheaper for a handful of networks.
    field = bound_field.field
    if isinstance(field, forms.ModelChoiceField):
        key = field.to_field_name or "pk"
        choices = [("", "")] if field.empty_label is not None else []
        # By the name as shown in this language, whatever the database's ordering says.
        rows = [(getattr(obj, key), field.label_from_instance(obj)) for obj in field.queryset]
        choices += sorted(rows, key=lambda row: sort_key(str(row[1])))
    else:
        choices = field.choices
    any_label = str(ANY_LABELS.get(bound_field.name, _("Any")))
    return "".join(
        f'<option value="{escape(choice)}">{escape(any_label if str(choice) == "" else label)}'
        "</option>"
        for choice, label in choices
    )


SORTS = {
    "name": _("Name"),
    "population": _("Population (largest first)"),
    "joined": _("Date joined (newest first)"),
}


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"), method="filter_search", max_length=100, strip=True
    )
    network = django_filters.ModelChoiceFilter(
        label=_("Network"),
        queryset=Network.objects.active(),
        to_field_name="slug",
        method="filter_membership",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of network"), choices=Network.Kind.choices, method="filter_membership"
    )
    region = django_filters.ChoiceFilter(label=_("World region"), choices=Region.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=country_choices)
    size = django_filters.ChoiceFilter(
        label=_("Size"), choices=SizeClass.choices, method="filter_size"
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Membership.Role.choices, method="filter_membership"
    )
    principle = django_filters.ModelChoiceFilter(
        label=_("Principle pledged"),
        queryset=Principle.objects.all(),
        to_field_name="code",
        method="filter_principle",
    )
    adopted = django_filters.ChoiceFilter(
        label=_("Has adopted the model policy"),
        choices=ModelPolicy.choices,
        method="filter_adopted",
    )
    joined_since = django_filters.DateFilter(
        label=_("Joined since"),
        method="filter_membership",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=list(SORTS.items()), method="filter_nothing", empty_label=None
    )

    class Meta:
        model = City
        fields = [
            "q",
            "network",
            "kind",
            "region",
            "country",
            "size",
            "role",
            "principle",
            "adopted",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["principle"].field.label_from_instance = lambda p: p.get_code_display()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Network, kind, role and date apply to one and the same active membership:
        # looked up in the copy of those facts on the city, not each city's memberships
        # (networks/directory/facts.py): what keeps a count or a search over 200,000
        # cities cheap.
        data = self.form.cleaned_data
        since = data.get("joined_since")
        key = directory_facts.key_for(
            network=data.get("network"), kind=data.get("kind") or "", role=data.get("role") or ""
        )
        if key is None:
            return queryset.none()
        if key == directory_facts.ALL and since is None:
            return queryset.filter(is_member=True)
        return queryset.filter(directory_facts.matching(key, since))

    def filter_membership(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_size(self, queryset, name, value):
        return queryset.of_size(value)

    def filter_principle(self, queryset, name, value):
        through = City.principles.through
        return queryset.filter(Exists(through.objects.filter(city=OuterRef("pk"), principle=value)))

    def filter_adopted(self, queryset, name, value):
        # One probe of roadmap_policy_status_idx (model_policy, status, city) per city.
        adopted = RoadmapEntry.objects.filter(
            city=OuterRef("pk"), model_policy=value, status=RoadmapEntry.Status.ADOPTED
        )
        return queryset.filter(Exists(adopted))
