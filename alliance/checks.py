from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def shared_cache_for_rate_limits(app_configs, **kwargs):
    """Rate limits count in the cache: a per-process cache lets an attacker spread out."""
    if settings.CACHES["default"]["BACKEND"] in LOCAL_CACHES:
        return [
            Warning(
                "The cache is local to each process, so sign-in and application rate "
                "limits are not shared between web workers.",
                hint="Set REDIS_URL in production.",
                id="alliance.W001",
            )
        ]
    return []


@register(deploy=True)
def site_url_for_email_links(app_configs, **kwargs):
    if not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                "SITE_URL is not an https:// address, so links in emails will not work "
                "or will not be secure.",
                hint="Set SITE_URL to the portal's public address, e.g. https://portal.example.org.",
                id="alliance.W002",
            )
        ]
    return []
