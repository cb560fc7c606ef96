"""The admin site, whose index page is the secretariat's dashboard."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class AllianceAdminSite(admin.AdminSite):
    index_template = "admin/alliance_index.html"

    def index(self, request, extra_context=None):
        if request.user.has_perm("networks.view_membership"):
            from networks.dashboard import dashboard

            extra_context = {**(extra_context or {}), "dashboard": dashboard(request.user)}
        return super().index(request, extra_context)


class AllianceAdminConfig(AdminConfig):
    default_site = "alliance.admin_site.AllianceAdminSite"
