from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from alliance import health, views
from alliance.api import urls as api_urls
from alliance.language import set_language
from networks.applications import views as application_views
from networks.directory import views as directory_views
from networks.map import views as map_views

admin.site.site_header = _("G20 Global Smart Cities Alliance")
admin.site.site_title = _("Alliance portal")
admin.site.index_title = _("Secretariat")
# The admin signs in through allauth's log-in: the same rate limits, and MFA.
admin.site.login = secure_admin_login(admin.site.login)

# A value that no form validated and that cannot be used answers 400 with its reason.
handler400 = "alliance.request_data.bad_request"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    *api_urls.urlpatterns,
]

# English stays at the root; other languages get a prefix such as /es/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("partners/", views.partners, name="partners"),
    path("faq/", views.faq, name="faq"),
    path("networks/", include("networks.urls")),
    path("cities/", include("networks.directory.city_urls")),
    path("apply/", application_views.apply, name="apply"),
    path("directory/", directory_views.directory_list, name="directory"),
    path("directory/export.csv", directory_views.directory_export, name="directory_export"),
    path("map/", map_views.map_page, name="map"),
    path("applications/", include("networks.applications.urls")),
    path("meetings/", include("networks.meetings.urls")),
    path("privacy/", views.privacy, name="privacy"),
    *api_urls.translated_patterns,  # before allauth's accounts/
    path("", include("networks.involvement.urls")),
    path("events/", include("networks.nominations.urls")),
    path("", include("networks.policies.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
