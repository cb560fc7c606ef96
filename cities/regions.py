"""World regions the networks use (the World Bank's regional groupings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    LATIN_AMERICA = "latam", _("Latin America & Caribbean")
    SOUTH_ASIA = "south-asia", _("South Asia")
    EAST_ASIA = "east-asia", _("East Asia & Pacific")
    EUROPE = "europe", _("Europe & Central Asia")
    MIDDLE_EAST = "mena", _("Middle East & North Africa")
    AFRICA = "africa", _("Sub-Saharan Africa")
    NORTH_AMERICA = "north-america", _("North America")


_COUNTRIES = {
    Region.LATIN_AMERICA: "AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CU CW DM DO EC FK GD GF GP "
    "GT GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI",
    Region.SOUTH_ASIA: "AF BD BT IN LK MV NP PK",
    Region.EAST_ASIA: "AS AU BN CC CK CN CX FJ FM GU HK ID JP KH KI KP KR LA MH MM MN MO MP MY "
    "NC NF NR NU NZ PF PG PH PN PW SB SG TH TK TL TO TV TW UM VN VU WF WS",
    Region.EUROPE: "AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GL "
    "GR HR HU IE IM IS IT JE KG KZ LI LT LU LV MC MD ME MK NL NO PL PT RO RS RU SE SI SJ SK "
    "SM TJ TM TR UA UZ VA XK",
    Region.MIDDLE_EAST: "AE BH DJ DZ EG EH IL IQ IR JO KW LB LY MA MT OM PS QA SA SY TN YE",
    Region.AFRICA: "AO BF BI BJ BW CD CF CG CI CM CV ER ET GA GH GM GN GQ GW KE KM LR LS MG ML "
    "MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW",
    Region.NORTH_AMERICA: "BM CA PM US",
}

REGION_BY_COUNTRY: dict[str, Region] = {
    code: region for region, codes in _COUNTRIES.items() for code in codes.split()
}


def region_for_country(code: str) -> Region | None:
    return REGION_BY_COUNTRY.get(str(code).upper())
