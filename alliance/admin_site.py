"""The admin site, whose index page is the secretariat's dashboard."""

import functools

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig, SimpleAdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from alliance.admin_filters import SafeDateDrillDown
from alliance.request_data import INTEGER_RANGE, BadParameter, storable


def is_key_of(model, raw: str) -> bool:
    """Whether `raw` (from a URL or a form) can be a primary key of `model` at all.

    The admin's own views answer an id that is not one with a redirect or, in
    simple-history's pages, a 500; a 2**70 breaks SQLite's integers.
    """
    try:
        value = model._meta.pk.to_python(raw)
    except ValidationError:
        return False
    if isinstance(value, int):
        return INTEGER_RANGE[0] <= value <= INTEGER_RANGE[1]
    return isinstance(value, str) and storable(value)


# Longer than any name a search is for (the longest place names are under 200 letters);
# SQLite refuses a LIKE pattern over 50,000 bytes with an error, which was a 500.
SEARCH_MAX_CHARS = 200


def _checked_ids(view, model_admin):
    """`view` of `model_admin`, answering 404 to an object id (or a history version id)
    that cannot be one, and 400 to a bulk action on such ids or to a search longer than
    SEARCH_MAX_CHARS characters."""
    history = getattr(model_admin.model, "history", None)

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        # Django's own URLs name it object_id; simple-history's version page passes the
        # object id and the version id positionally.
        object_id = kwargs.get("object_id", args[0] if args else None)
        if object_id is not None and not is_key_of(model_admin.model, unquote(object_id)):
            raise Http404
        if len(args) > 1 and history is not None and not is_key_of(history.model, args[1]):
            raise Http404
        if len(request.GET.get(SEARCH_VAR, "")) > SEARCH_MAX_CHARS:
            raise BadParameter(
                _("A search has at most %(count)s characters.") % {"count": SEARCH_MAX_CHARS}
            )
        if request.method == "POST":
            selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
            if not all(is_key_of(model_admin.model, value) for value in selected):
                raise BadParameter(_("The selected rows are not rows of this list."))
        return view(request, *args, **kwargs)

    return checked


class AllianceAdminSite(admin.AdminSite):
    index_template = "admin/alliance_index.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as Django does, every ModelAdmin with SafeDateDrillDown mixed in: a
        date drill-down given a nonsense date answers "?e=1", whichever app wrote the
        admin and whether or not it remembered the mixin."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeDateDrillDown):
            admin_class = type(
                admin_class.__name__,
                (SafeDateDrillDown, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin):
            view = _checked_ids(view, model_admin)
        return super().admin_view(view, cacheable)

    def index(self, request, extra_context=None):
        if request.user.has_perm("networks.view_membership"):
            from networks.admin.dashboard import dashboard

            extra_context = {**(extra_context or {}), "dashboard": dashboard(request.user)}
        return super().index(request, extra_context)


class AllianceAdminConfig(AdminConfig):
    default_site = "alliance.admin_site.AllianceAdminSite"

    def ready(self):
        from alliance import celery

        if celery.serves_pages:
            super().ready()  # registers the admin checks, then autodiscovers admin.py
        else:  # a Celery worker: the admin checks only, no admin modules
            SimpleAdminConfig.ready(self)
