"""The API, its schema and downloads (at /api/v1/, in no language), and the pages for
people (documentation, tokens), which are translated like the rest of the site."""

from django.urls import path

from alliance.api import views
from alliance.api.api import api
from alliance.api.head import answering_head
from alliance.api.revalidate import revalidating

# The pages of cities answer an anonymous revalidation before ninja's auth, throttles
# and parsing (alliance/api/revalidate.py), and every route (all of them GET) answers
# HEAD too (alliance/api/head.py); ninja's URL patterns are wrapped here.
_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    if _pattern.name in ("cities", "network_members"):
        _pattern.callback = revalidating(_pattern.callback)
    _pattern.callback = answering_head(_pattern.callback)

urlpatterns = [
    path("api/v1/", (_patterns, _app_name, _namespace)),
    path(
        "api/v1/downloads/alliance-directory.<str:fmt>",
        views.download,
        name="api_download",
    ),
]

translated_patterns = [
    path("api/v1/docs/", views.docs, name="api_docs"),
    path("accounts/api-tokens/", views.tokens, name="api_tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
