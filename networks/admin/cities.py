from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.admin_history import HistoryAdmin
from cities.forms import ReencodedLogoMixin
from cities.models import City, CityOfficial
from cities.resources import CityOfficialResource, CityResource
from networks.admin.one_sync import OneLedgerSync
from networks.admin.paging import (
    LIST_PER_PAGE,
    EstimatedCountPaginator,
    FastCitySearch,
    FoldedCitySearch,
)
from networks.admin.scoped import CityScoped, NetworkScoped, ScopedCities
from networks.admin.spreadsheet_io import BackgroundImportLoggedExport, LoggedExport
from networks.models import Membership


class MembershipInline(NetworkScoped, admin.TabularInline):
    model = Membership
    fk_name = "city"
    extra = 0
    fields = ["network", "role", "status", "joined_on"]
    autocomplete_fields = ["network"]
    show_change_link = True


class CityOfficialInline(CityScoped, admin.TabularInline):
    model = CityOfficial
    extra = 0
    fields = ["user", "role", "position", "phone", "is_primary_contact", "contact_audience"]
    autocomplete_fields = ["user"]


class CityAdminForm(ReencodedLogoMixin, forms.ModelForm):
    pass


@admin.register(City)
class CityAdmin(
    OneLedgerSync, ScopedCities, FastCitySearch, BackgroundImportLoggedExport, HistoryAdmin
):
    form = CityAdminForm
    resource_classes = [CityResource]
    import_kind = "cities"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "country_name", "region", "subdivision", "population", "size_class"]
    list_filter = ["region", "country"]
    search_fields = ["name"]  # shows the box; FastCitySearch does the searching
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["principles"]
    readonly_fields = ["member_since", "created_at", "updated_at"]
    inlines = [MembershipInline, CityOfficialInline]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = LIST_PER_PAGE
    fieldsets = [
        (None, {"fields": ["name", "alternate_names", "slug", "country", "region", "subdivision"]}),
        (_("Size and place"), {"fields": ["population", "latitude", "longitude", "time_zone"]}),
        (_("Profile"), {"fields": ["website", "profile", "logo", "principles"]}),
        (_("Record"), {"fields": ["geonames_id", "member_since", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, city):
        # The admin's default display walks all 250 country choices per row.
        return city.country.name

    @admin.display(description=_("size class"))
    def size_class(self, city):
        return city.size_class.label if city.size_class else "—"


@admin.register(CityOfficial)
class CityOfficialAdmin(
    OneLedgerSync, FoldedCitySearch, CityScoped, LoggedExport, admin.ModelAdmin
):
    resource_classes = [CityOfficialResource]
    list_display = ["user", "city", "role", "is_primary_contact", "contact_audience"]
    list_filter = ["role", "is_primary_contact", "contact_audience"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "city__name"]
    list_select_related = ["user", "city"]
    autocomplete_fields = ["user", "city"]
