"""Network hosts see only the networks they host, in every admin page that lists their data.

One mixin for the ModelAdmins and inlines: the queryset, the network choices and the
object pages (history included) all go through `Network.objects.managed_by(user)`.
"""

from django.core.exceptions import ValidationError
from django.http import Http404

from alliance.roles import sees_all_networks
from networks.models import Membership, Network


def managed_networks(request):
    return Network.objects.managed_by(request.user)


def managed_city_ids(request):
    """Cities with a membership (any status) in a network the user hosts."""
    return Membership.objects.filter(network__in=managed_networks(request)).values("city_id")


class NetworkScoped:
    """Limit a ModelAdmin or inline to the user's networks; `network_path` leads there."""

    network_path = "network"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_all_networks(request.user):
            return queryset
        return queryset.filter(**{f"{self.network_path}__in": managed_networks(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Network:
            kwargs["queryset"] = managed_networks(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _check_in_scope(self, request, object_id):
        # simple-history reads old versions from the history table, around get_queryset().
        if sees_all_networks(request.user):
            return
        try:
            found = self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404


class CityScoped(NetworkScoped):
    """For city data (officials, their contacts): only cities in the user's networks."""

    city_path = "city"

    def get_queryset(self, request):
        queryset = super(NetworkScoped, self).get_queryset(request)
        if sees_all_networks(request.user):
            return queryset
        return queryset.filter(**{f"{self.city_path}__in": managed_city_ids(request)})
