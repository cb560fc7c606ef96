"""An official joining or leaving a city: the reminder ledger follows.

Whatever saves or deletes a CityOfficial (the application's approval, the city page's
inline, the official's admin page, the demo data, a deleted account or city), the
upcoming meetings of the networks of the cities concerned are re-planned in the same
transaction (networks.facts.ledger): a new official gets their reminders, one who left
has their pending ones cancelled. Changes of anything else (phone, role, who sees the
contact details) do not touch the ledger.
"""

from cities.models import CityOfficial
from networks.facts import ledger

_BEFORE = "_stored_before_save"


def _before_save(sender, instance, raw=False, **kwargs):
    stored = None
    if not raw and instance.pk is not None:
        stored = (
            CityOfficial.objects.filter(pk=instance.pk).values_list("city_id", "user_id").first()
        )
    setattr(instance, _BEFORE, stored)


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    stored = getattr(instance, _BEFORE, None)
    setattr(instance, _BEFORE, None)
    if stored != (instance.city_id, instance.user_id):
        ledger.follow(cities={instance.city_id, stored and stored[0]})


def _deleted(sender, instance, **kwargs):
    ledger.follow(cities={instance.city_id})
