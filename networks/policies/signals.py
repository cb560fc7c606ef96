"""The pages that show policies or roadmap steps (city pages, network pages, /roadmap/)
are cached by the data's version: a change to either starts a new one."""

from django.db.models.signals import post_delete, post_save

from alliance import data_version


def _changed(sender, **kwargs):
    data_version.changed()


def connect() -> None:
    from networks.policies.models import Policy, RoadmapEntry

    for model in (Policy, RoadmapEntry):
        post_save.connect(_changed, sender=model, dispatch_uid=f"policies-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"policies-del-{model.__name__}")
