"""Names of related rows that an old version may point at after they were deleted."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _


def related_label(instance, name: str, attribute: str | None = None) -> str:
    """`str(instance.<name>)` (or its `attribute`), or "deleted city #12" when gone.

    An old version (django-simple-history) keeps the id of a row that may have been
    deleted since: its history and version pages call __str__, which must not raise.
    """
    try:
        related = getattr(instance, name)
    except ObjectDoesNotExist:
        field = instance._meta.get_field(name)
        return _("deleted %(model)s #%(id)s") % {
            "model": field.related_model._meta.verbose_name,
            "id": getattr(instance, field.attname),
        }
    if related is None:
        return ""
    return str(getattr(related, attribute) if attribute else related)
