"""Network hosts see only the networks they host, in every admin page that lists their data.

One mixin for the ModelAdmins and inlines: the queryset, the choices of every field that
points at a network, city or account, and the save itself all follow `networks.access`
(networks from `Network.objects.managed_by(user)`, cities from their active memberships).
Object pages (history, versions, revert) follow the same queryset (alliance.admin_history).
"""

from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import PermissionDenied

from alliance.roles import sees_all_networks
from networks.access import managed_cities, scope_error, scoped_choices
from networks.models import Network


def managed_networks(request):
    return Network.objects.managed_by(request.user)


def managed_city_ids(request):
    """Cities with an *active* membership of a network the user hosts (networks.access)."""
    return managed_cities(request.user).values("pk")


class NetworkScoped:
    """Limit a ModelAdmin or inline to the user's networks; `network_path` leads there."""

    network_path = "network"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_all_networks(request.user):
            return queryset
        return queryset.filter(**{f"{self.network_path}__in": managed_networks(request)})

    def get_readonly_fields(self, request, obj=None):
        """On an existing row a host keeps what it points at: the row moves to no other
        network, city or account (those stay the secretariat's to correct)."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None or isinstance(self, InlineModelAdmin) or sees_all_networks(request.user):
            return fields
        pointing = [
            field.name
            for field in self.model._meta.get_fields()
            if field.concrete
            and (field.many_to_one or field.many_to_many)
            and scoped_choices(request.user, field.related_model) is not None
        ]
        return fields + [name for name in pointing if name not in fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = scoped_choices(request.user, db_field.related_model)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = scoped_choices(request.user, db_field.related_model)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The last guard, for what reaches save without the form's choices (a history
        # revert restores every field of an old version).
        refused = scope_error(request.user, obj)
        if refused:
            raise PermissionDenied(refused)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            refused = inline_form.has_changed() and scope_error(request.user, inline_form.instance)
            if refused:
                raise PermissionDenied(refused)
        super().save_formset(request, form, formset, change)


class ScopedCities:
    """The city admin: a host sees (and finds in autocomplete) only the cities in its scope."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_all_networks(request.user):
            return queryset
        return queryset.filter(pk__in=managed_city_ids(request))


class CityScoped(NetworkScoped):
    """For city data (officials, their contacts): only cities in the user's scope."""

    city_path = "city"

    def get_queryset(self, request):
        queryset = super(NetworkScoped, self).get_queryset(request)
        if sees_all_networks(request.user):
            return queryset
        return queryset.filter(**{f"{self.city_path}__in": managed_city_ids(request)})
