from celery import shared_task

from alliance.api import downloads


@shared_task(ignore_result=True)
def build_downloads() -> None:
    """Rebuild the directory's CSV and JSON downloads (asked for by a data change)."""
    from django.core.cache import cache

    cache.delete(downloads.QUEUED_KEY)  # changes from now on ask for another build
    downloads.downloads_build()


@shared_task(ignore_result=True)
def build_stale_downloads() -> None:
    """Hourly (beat): rebuild the downloads when missing or a day old."""
    if downloads.downloads_stale():
        downloads.downloads_build()
