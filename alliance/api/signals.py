"""The open-data downloads follow every change to the public data: after the commit of
each transaction that started a new version of it (alliance.data_version.changed(),
which every write path calls: saves through the models' signals, bulk status changes,
imports, management commands), a new build is asked for, once per burst."""

from alliance import data_version


def _changed(sender, **kwargs):
    from alliance.api.downloads import downloads_request

    downloads_request()


def connect() -> None:
    data_version.data_changed.connect(_changed, dispatch_uid="api-downloads")
