"""Demo organisations and the people who sign in for them.

Organisations named in the seed documents keep what the documents say about them. Two
organisations are made up for trying the site and say so in their description.

Demo accounts (`load_demo` prints them too; change or delete them anywhere
the site is public):

| user          | password             | what they are                                          |
| ------------- | -------------------- | ------------------------------------------------------ |
| `admin`       | `demo-admin-2024`    | superuser                                              |
| `editor`      | `demo-editor-2024`   | site editor (group "Site editors"): reviews, publishes |
| `municipality`| `demo-municipality`  | member of Ozurgeti Municipality (GE)                   |
| `primaria`    | `demo-primaria`      | editor of Primăria Comunei Demo (RO)                   |
| `cso`         | `demo-cso-2024`      | admin of Stowarzyszenie Razem dla Wsi (PL)             |
| `researcher`  | `demo-researcher`    | member of Ss. Cyril and Methodius University (MK)      |
"""

from members.models import Membership, Organisation

DEMO_NOTE = "Demonstration organisation for trying Practice Commons; it does not exist."

ORGANISATIONS = [
    {
        "slug": "ozurgeti-municipality",
        "name": "Ozurgeti Municipality",
        "kind": Organisation.Kind.MUNICIPALITY,
        "country": "GE",
        "region": "Guria",
        "city": "Ozurgeti",
        "description": "Local self-government of Ozurgeti and its villages in Guria, Georgia.",
    },
    {
        "slug": "civil-society-institute",
        "name": "Civil Society Institute",
        "kind": Organisation.Kind.CSO,
        "country": "GE",
        "city": "Tbilisi",
        "description": (
            "Georgian civil-society organisation that ran the second phase of the project "
            "strengthening local development actors (2020–2023), including participatory "
            "budgeting support for municipalities."
        ),
    },
    {
        "slug": "ozurgeti-house-of-progress",
        "name": "Ozurgeti House of Progress",
        "kind": Organisation.Kind.CSO,
        "country": "GE",
        "region": "Guria",
        "city": "Ozurgeti",
        "description": "Partner of the Civil Society Institute in Guria.",
    },
    {
        "slug": "lda-mostar",
        "name": "Local Democracy Agency Mostar",
        "kind": Organisation.Kind.CSO,
        "country": "BA",
        "city": "Mostar",
        "description": (
            "Lead of Link for Cooperation (2021–2023), an EU-funded project with ALDA and the "
            "agencies of Zavidovići and Prijedor."
        ),
    },
    {
        "slug": "qudra-2",
        "name": "Qudra 2",
        "kind": Organisation.Kind.DONOR,
        "description": (
            "Regional programme funding local government units in Jordan, Iraq and Turkey to "
            "improve services for refugees, internally displaced people and host communities "
            "through partnerships with civil society."
        ),
    },
    {
        "slug": "mipe",
        "name": "Ministerul Investițiilor și Proiectelor Europene (MIPE)",
        "kind": Organisation.Kind.DONOR,
        "country": "RO",
        "city": "București",
        "description": (
            "Romanian ministry responsible for milestone 447 of the recovery and resilience "
            "plan: 50 partnerships between local authorities and NGOs."
        ),
    },
    {
        "slug": "primaria-comunei-demo",
        "name": "Primăria Comunei Demo",
        "kind": Organisation.Kind.MUNICIPALITY,
        "country": "RO",
        "region": "Județul Alba",
        "population": 4200,
        "description": DEMO_NOTE,
    },
    {
        "slug": "stowarzyszenie-razem-dla-wsi",
        "name": "Stowarzyszenie Razem dla Wsi",
        "kind": Organisation.Kind.CSO,
        "country": "PL",
        "region": "Małopolskie",
        "description": DEMO_NOTE,
    },
    {
        "slug": "ukim-skopje",
        "name": "Ss. Cyril and Methodius University in Skopje",
        "kind": Organisation.Kind.ACADEMIC,
        "country": "MK",
        "city": "Skopje",
        "website": "https://www.ukim.edu.mk/",
        "description": "Public university in Skopje, North Macedonia.",
    },
]

# username, password, organisation slug (None: no organisation), role, flags
USERS = [
    ("admin", "demo-admin-2024", None, None, {"is_superuser": True, "is_staff": True}),
    ("editor", "demo-editor-2024", None, None, {"site_editor": True}),
    ("municipality", "demo-municipality", "ozurgeti-municipality", Membership.Role.MEMBER, {}),
    ("primaria", "demo-primaria", "primaria-comunei-demo", Membership.Role.EDITOR, {}),
    ("cso", "demo-cso-2024", "stowarzyszenie-razem-dla-wsi", Membership.Role.ADMIN, {}),
    ("researcher", "demo-researcher", "ukim-skopje", Membership.Role.MEMBER, {}),
]
