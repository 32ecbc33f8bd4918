"""The demo's chain of adapted practices, between three of the programme seeds: Georgia →
Bosnia and Herzegovina → Romania. What changed is taken from the two programme texts; that
one was adapted from the other is the demo's assumption, and each entry says so."""

DEMO_ASSUMPTION = (
    "Demo assumption: neither programme text says that it drew on the other; Practice Commons "
    "links them to show how a lineage reads. The differences above are taken from the two "
    "texts; the reasons below are what the texts say about each programme's setting, not a "
    "documented decision."
)

# (adapted seed stem, source seed stem, what changed, why)
ADAPTATIONS = [
    (
        "001_a5ef3e2ecb7281bc",
        "004_76e477ac0a36789a",
        "Georgia's project (October 2020 – September 2023) strengthened civil-society "
        "organisations, social enterprises and municipalities in Adjara, Guria and Shida "
        "Kartli with legal advice, participatory-budgeting guides, mentoring and annual "
        "national forums. Link for Cooperation (January 2021 – December 2023) trains "
        "councillors and municipal staff of 12 municipalities with the Council of Europe's "
        "ELoGE tools and needs assessments, gives small grants to over 40 local civil-society "
        "organisations, and adds best-practice forums and an informal network.\n\n"
        + DEMO_ASSUMPTION,
        "Link for Cooperation is funded by the European Union and run by the Local Democracy "
        "Agency Mostar with ALDA and local partners, who work with municipal councils and "
        "staff directly; the Georgian project is funded by Bread for the World and run by the "
        "Civil Society Institute with the Ozurgeti House of Progress.",
    ),
    (
        "002_4d2333b15e529211",
        "001_a5ef3e2ecb7281bc",
        "Romania turns partnerships between local public authorities and NGOs into a national "
        "target: 50 new partnerships under milestone 447 of the recovery and resilience plan, "
        "due in the first quarter of 2026. Each community writes an intervention plan with "
        "targets, results, a budget and regular, transparent and inclusive consultation, "
        "monitored for at least two years, instead of the training, small grants and forums "
        "of Link for Cooperation.\n\n" + DEMO_ASSUMPTION,
        "The Romanian plan is run by the Ministry of Investments and European Projects (MIPE) "
        "and gives priority to anti-discrimination, participatory governance and budgeting, "
        "services for vulnerable groups such as Roma and homeless people, poverty reduction "
        "and the green transition.",
    ),
]
