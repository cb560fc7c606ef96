"""The demo FAQ: the questions the seed's FAQ answers (../shared/seeds/)."""

# The eight questions of the "About the Alliance" page, in the portal's own words:
# (question, answer) or (question, answer, the page linked below the answer).
FAQ = [
    (
        "How does a city or organisation join the Alliance?",
        "There are several ways in, from lighter to deeper commitments: pledging support for "
        "the shared principles, submitting a policy, taking part in workshops and events, or "
        "piloting policies as a pioneer city. Cities can apply to join a network through this "
        "portal. The “Get involved” page presents every way in, with its form.",
        "involvement:get_involved",
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
        "You can nominate yourself or a colleague for an event open for nominations; the "
        "“Get involved” page shows how, and the secretariat will be in touch.",
        "involvement:get_involved",
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
        "Tell the secretariat about your organisation through the enquiry form of the “Get "
        "involved” page, or write to info@globalsmartcitiesalliance.org.",
        "involvement:partner",
    ),
    (
        "Who funds the Alliance?",
        "Partner contributions to the World Economic Forum’s Centre for the Fourth Industrial "
        "Revolution Japan fund the Alliance, with further resources from the Forum’s partners "
        "and the Alliance’s institutional partners.",
    ),
]
