"""Demo guides: practical how-tos drawn from the seed practices and from Participedia's
participatory-budgeting cases, each linked to the practices it builds on."""

PARTICIPEDIA = "https://participedia.net/"

GUIDES = [
    {
        "slug": "participatory-budgeting-in-a-small-municipality",
        "title": "Running participatory budgeting in a small municipality",
        "summary": (
            "A first participatory-budgeting cycle for a municipality of a few thousand to a few "
            "tens of thousands of people: how much to set aside, who writes the rules, how "
            "residents propose and vote, and how to report back so the second year is better "
            "attended than the first."
        ),
        "audience": "Mayors, municipal finance and planning staff, local CSOs supporting them",
        "themes": ["participatory-budgeting", "citizen-participation", "local-governance"],
        "countries": [],
        "introduction": (
            "<p>Participatory budgeting (PB) lets residents decide directly how part of the "
            "municipal budget is spent. Small municipalities can run it with a modest budget and "
            "a small team, provided the rules are clear before the first meeting and the "
            "results are visible within the year.</p>"
        ),
        "steps": [
            (
                "Secure the mandate and fix the amount",
                "<p>Get a council decision that names the amount (often 1–5 % of the capital "
                "budget), the years it covers and who runs the process. A fixed, public amount "
                "is what makes residents' votes binding in practice.</p>",
                [
                    (
                        "Participatory Budgeting Project: resources",
                        "https://www.participatorybudgeting.org/",
                    )
                ],
            ),
            (
                "Write the rulebook with residents",
                "<p>A small steering group of residents, CSOs and staff agrees who may propose "
                "and vote (age, residence), the districts, the maximum cost per project and the "
                "calendar. Publish the rulebook before collecting ideas.</p>",
                [],
            ),
            (
                "Collect ideas where people are",
                "<p>Hold short assemblies in every village or neighbourhood and accept ideas on "
                "paper and online. Reach groups who rarely attend meetings – young people, "
                "older people, minorities – through schools, clubs and local CSOs.</p>",
                [("Participedia: cases and methods", PARTICIPEDIA)],
            ),
            (
                "Turn ideas into costed proposals",
                "<p>Volunteer delegates work with municipal staff to check each idea's "
                "feasibility, cost and legal basis. Explain in writing why any idea is "
                "dropped.</p>",
                [],
            ),
            (
                "Vote",
                "<p>Run the vote for one or two weeks, on paper and online, with a ballot that "
                "shows each project's cost. Announce the results publicly on the day the vote "
                "closes.</p>",
                [],
            ),
            (
                "Implement and report back",
                "<p>Include the winning projects in the next budget and publish their progress "
                "regularly (a simple table or chart is enough). Visible delivery is the strongest "
                "invitation to take part in the next cycle.</p>",
                [],
            ),
            (
                "Evaluate and adjust the rules",
                "<p>Count participants by group and district, ask them what worked, and let the "
                "steering group amend the rulebook for the next cycle.</p>",
                [
                    (
                        "People Powered: participatory democracy resources",
                        "https://www.peoplepowered.org/",
                    )
                ],
            ),
        ],
        "related": [
            "seed:004_76e477ac0a36789a",
            "seed:002_4d2333b15e529211",
            "participedia:case:498",
            "participedia:case:469",
            "participedia:case:120",
        ],
    },  # fmt: skip
    {
        "slug": "municipality-ngo-partnership-for-community-services",
        "title": "Setting up a municipality–NGO partnership for community services",
        "summary": (
            "How a municipality and local NGOs can plan, fund and run community services "
            "together: a shared needs assessment, a transparent choice of partners, an "
            "intervention plan with targets and a budget, and monitoring that outlasts the "
            "funding."
        ),
        "audience": "Municipal staff and NGO managers preparing a joint project",
        "themes": ["civil-society-partnerships", "basic-services", "social-cohesion"],
        "countries": [],
        "introduction": (
            "<p>Programmes such as Qudra 2 in Jordan, Iraq and Turkey and Romania's milestone of "
            "50 local-authority–NGO partnerships fund services that municipalities and NGOs "
            "design and deliver together. The steps below follow what those programmes ask "
            "of a partnership.</p>"
        ),
        "steps": [
            (
                "Assess needs with the people concerned",
                "<p>Start with a short, shared analysis of needs and priorities, involving the "
                "target groups – for example refugees and host communities – in the assessment "
                "itself, not only as respondents.</p>",
                [],
            ),
            (
                "Choose partners openly",
                "<p>Publish the call, the selection criteria and the result. A partnership that "
                "was chosen transparently is easier to defend when the council changes.</p>",
                [],
            ),
            (
                "Write an intervention plan",
                "<p>Agree targets, short- and long-term results, a budget, and a clear division "
                "of responsibilities, and commit to regular, transparent and inclusive "
                "consultation of residents.</p>",
                [],
            ),
            (
                "Build the capacity the plan needs",
                "<p>Budget for training of municipal staff and NGO members – needs assessment, "
                "planning, procurement, service delivery – where the plan requires skills the "
                "partners do not yet have.</p>",
                [],
            ),
            (
                "Monitor beyond the project",
                "<p>Track a few outcome indicators with dated updates and keep monitoring for at "
                "least two years after the plan ends; document how well the consultation "
                "worked.</p>",
                [],
            ),
            (
                "Share what you learned",
                "<p>Publish the practice on Practice Commons and present it to neighbouring "
                "municipalities: peer exchange is how good practices spread.</p>",
                [],
            ),
        ],
        "related": [
            "seed:000_38a1a4d4ec0c99eb",
            "seed:002_4d2333b15e529211",
            "seed:001_a5ef3e2ecb7281bc",
        ],
    },  # fmt: skip
    {
        "slug": "small-grants-for-grassroots-initiatives",
        "title": "Small grants for grassroots civic initiatives (regranting)",
        "summary": (
            "How an intermediary organisation can pass small grants on to informal groups and "
            "very small CSOs in villages and small towns, with animation, advice and training "
            "instead of heavy paperwork."
        ),
        "audience": "CSOs and foundations running regranting schemes; programme officers",
        "themes": ["civil-society-partnerships", "capacity-building", "citizen-participation"],
        "countries": [],
        "introduction": (
            "<p>Small organisations and informal groups rarely manage large grant procedures. "
            "Regranting – an experienced organisation redistributing a larger grant in small "
            "amounts – reaches them, as Poland's Power of Small Communities programme and the "
            "Link for Cooperation project in Bosnia and Herzegovina do.</p>"
        ),
        "steps": [
            (
                "Define who the grants are for",
                "<p>Set eligibility that fits small actors: informal groups with a sponsoring "
                "organisation, CSOs below a budget threshold, places below a population size.</p>",
                [],
            ),
            (
                "Keep the application short",
                "<p>One or two pages, a simple budget, and an interview or visit instead of "
                "attachments. Offer help with writing the application.</p>",
                [],
            ),
            (
                "Animate and advise",
                "<p>Local animators visit groups, help them turn an idea into a project and "
                "connect them with the municipality and other organisations.</p>",
                [],
            ),
            (
                "Select with the community",
                "<p>Include residents or earlier grantees on the selection panel and publish the "
                "criteria and the results.</p>",
                [],
            ),
            (
                "Report lightly, learn together",
                "<p>Ask for a short report with photos and figures, then bring grantees together "
                "to share what worked: the network often outlives the grants.</p>",
                [],
            ),
        ],
        "related": ["seed:003_cceefbe18ed3352b", "seed:001_a5ef3e2ecb7281bc"],
    },
]
