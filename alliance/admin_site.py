"""The admin site, whose index page is the secretariat's dashboard."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig, SimpleAdminConfig


class AllianceAdminSite(admin.AdminSite):
    index_template = "admin/alliance_index.html"

    def index(self, request, extra_context=None):
        if request.user.has_perm("networks.view_membership"):
            from networks.dashboard import dashboard

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
