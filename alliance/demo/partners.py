"""The demo partners: the founding contributors and the World Economic Forum partners
the seed names, with a one-sentence description of each (../shared/seeds/)."""

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
# What the seeds say of each tier (seeds/004): C4IR Japan partners made founding
# contributions, the Forum's partners contributed to the effort. The sector in front is
# public knowledge about each company, so the rows are not one repeated sentence.
FOUNDING_DESCRIPTION = (
    "{sector} One of the C4IR Japan partners whose founding contributions made the "
    "Alliance possible."
)
FORUM_DESCRIPTION = (
    "{sector} A World Economic Forum partner thanked for its contribution to the Alliance’s work."
)
# Every partner the seeds name is a company (kind "Company"); the seeds name no
# institutional partner (international organisations and city networks), so the demo
# invents none.
PARTNER_SECTORS = {
    "Eisai Co.": "Japanese pharmaceutical company.",
    "Hitachi": "Japanese industrial and information-technology group.",
    "Mori Building": "Tokyo urban developer.",
    "NEC Corporation": "Japanese information-technology and electronics company.",
    "NTT Corporation": "Japanese telecommunications group.",
    "Salesforce.com": "Business software company.",
    "Accenture": "Professional services company.",
    "Alphabet Inc.": "Technology company, the parent of Google.",
    "Arup": "Engineering and design firm.",
    "Baker McKenzie": "Law firm.",
    "Deloitte Touche Tohmatsu Limited": "Professional services network.",
    "Honeywell International": "Industrial technology company.",
    "Infosys": "Indian information-technology services company.",
    "Johnson Controls": "Building technology company.",
    "Microsoft Corporation": "Software and cloud company.",
    "MUFG": "Japanese financial group.",
    "Nokia": "Telecommunications equipment company.",
    "Quantela Inc": "Smart-city technology company.",
    "Reliance Industries": "Indian industrial group.",
    "Signify": "Lighting company.",
    "Tata Consultancy Services": "Information-technology services company of the Tata group.",
}
# The one-sentence descriptions of earlier demo loads: rows still carrying one are
# rewritten, rows the secretariat has edited are left alone.
OLD_DESCRIPTIONS = {
    "A C4IR Japan partner whose founding contribution made the Alliance possible.",
    "A World Economic Forum partner that contributes to the Alliance’s work.",
}
