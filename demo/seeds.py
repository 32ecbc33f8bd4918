"""The five seed documents (copied unchanged into `seeds/` from ../shared/seeds) as practices
in their own language, with what each text says about who, where and when, and an English
summary written for each from the text."""

from datetime import date
from pathlib import Path

from .text import SeedLayout

SEED_DIR = Path(__file__).resolve().parent / "seeds"
INVENTED_FIGURE = "Cifră inventată pentru demonstrație, nu raportare oficială"

QUDRA = "برنامج قدرة 2"
AR_GRANTS_1 = (
    "وضع خطّة منح لمشاريع دعم المجتمع المحلّي القائمة على المشاركة وتعزيز قدرات المؤسسات "
    "الحكومية والجهات الفاعلة في المجتمع المدني"
)

SEEDS = [
    {
        "stem": "000_38a1a4d4ec0c99eb",
        "language": "ar",
        "slug": "qudra-2-local-government-and-civil-society",
        "title": "برنامج قدرة 2: المؤسسات الحكومية المحلّية ومنظمات المجتمع المدني",
        "countries": ["JO", "IQ", "TR"],
        "themes": [
            "refugees-migration",
            "basic-services",
            "civil-society-partnerships",
            "capacity-building",
            "social-cohesion",
        ],
        "summary": (
            "زاد التدفق الكبير للاجئين والنازحين داخليًا الطلب على الخدمات الأساسية، وغالبًا ما "
            "يكون تمويل الحكومات المحلّية غير كاف للاستجابة لاحتياجاتهم. يوفّر برنامج قدرة 2 "
            "تمويلًا للوحدات الحكومية المحلّية في الأردن والعراق وتركيا لتنفيذ مشاريع دعم "
            "المجتمعات المحلّية عبر خطط منح قائمة على المشاركة وبالشراكة مع منظمات المجتمع المدني، "
            "ويدعم تعزيز قدرات توصيل الخدمات والمساءلة."
        ),
        "english_summary": (
            "Qudra 2 funds local government units in Jordan, Iraq and Turkey whose budgets cannot "
            "meet the demand for basic services caused by large numbers of Syrian refugees and "
            "internally displaced people. Participatory grant schemes finance community support "
            "projects proposed and run by municipalities with civil-society organisations, with "
            "the target groups involved in assessment, planning and implementation. In Turkey at "
            "least ten municipalities hosting the most refugees receive small grants meant to "
            "benefit at least 100,000 people directly; 250 local staff are trained."
        ),
        "programme": "Qudra 2",
        "status": "ongoing",
        "lead": "qudra-2",
        "partners": [],
        "places": "الأردن، العراق، تركيا",
        "target_groups": "اللاجئون السوريون والنازحون داخليًا والمجتمعات المضيفة",
        "layout": SeedLayout(
            drop={"المؤسسات الحكومية المحلّية ومنظمات المجتمع المدني"},
            replace={"Iraq": "العراق", "Jordan": "الأردن", "Turkey": "تركيا"},
            headings={
                "العراق": "h2",
                "الأردن": "h2",
                "تركيا": "h2",
                AR_GRANTS_1: "h3",
                AR_GRANTS_1 + " على المستويين التنظيمي والفردي": "h3",
                "وضع خطّة منح لمشاريع دعم المجتمعات المحلّية القائمة على المشاركة والإدماج": "h3",
                "تعزيز تبادل المعلومات ضمن وبين الوحدات الحكومية المحلّية وأصحاب المصلحة الآخرين": (
                    "h2"
                ),
                "تعزيز قدرات المنظمات الحكومية": "h2",
            },
        ),
    },
    {
        "stem": "001_a5ef3e2ecb7281bc",
        "language": "mk",
        "slug": "link-for-cooperation-bosnia-and-herzegovina",
        "title": (
            "Зајакнување на локално учество и соработка преку партнерство со јавни власти и "
            "граѓански организации во Босна и Херцеговина – Линк за соработка"
        ),
        "countries": ["BA"],
        "themes": [
            "citizen-participation",
            "civil-society-partnerships",
            "capacity-building",
            "transparency-accountability",
            "digital-democracy",
        ],
        "summary": (
            "Проектот промовира принципи на добро управување со цел ефективно и одговорно "
            "работење на единиците на локалната самоуправа во Босна и Херцеговина. Ги зајакнува "
            "капацитетите на локалните власти (советници и општински службеници) и граѓанското "
            "општество во спроведувањето на активности за партиципативно учество. Проектот "
            "вклучува 40 локални граѓански организации и 12 единици на локалната самоуправа."
        ),
        "english_summary": (
            "Link for Cooperation (January 2021 – December 2023), funded by the European Union "
            "and led by the Local Democracy Agency Mostar with LDA Zavidovići, LDA Prijedor, the "
            "Centre for Development of Herzegovina Trebinje and ALDA, promoted good governance in "
            "Bosnia and Herzegovina. Councillors, municipal staff and over 40 local civil-society "
            "organisations in 12 municipalities learned to solve local problems together through "
            "participatory methods: Council of Europe ELoGE training and needs assessments, small "
            "grants, best-practice forums, an informal network and 12 smart benches."
        ),
        "programme": "Европска Унија (European Union)",
        "status": "completed",
        "start_date": date(2021, 1, 1),
        "end_date": date(2023, 12, 31),
        "lead": "lda-mostar",
        "partners": [],
        "places": (
            "Мостар, Јабланица, Невесиње, Завидовиќи, Жепче, Маглај, Приедор, Нови град, "
            "Костајница, Требиње, Равно, Берковичи"
        ),
        "target_groups": "Локални власти (советници и општински службеници), граѓански организации",
        "source_url": "https://www.link4cooperation.ba/",
        "layout": SeedLayout(
            start="Времетраење: Јануари 2021 – Декември 2023",
            end="Веб сајт https://www.link4cooperation.ba/#",
            headings={
                "Опис на проектот:": "h2",
                "Специфични цели:": "h2",
                "Целиот проект вклучува:": "h2",
                "Главни активности на проектот:": "h2",
            },
            replace={
                "Веб сајт https://www.link4cooperation.ba/#": (
                    "Веб сајт: https://www.link4cooperation.ba/"
                ),
                "Партнери: Агенија за локална  демократија Завидовиќи, Агенција за локална "
                "демократија Приједор, Центар за развој на Херцеговина Требиње, АЛДА - Европска "
                "асоцијација за локална демократија": (
                    "Партнери: Агенција за локална демократија Завидовиќи, Агенција за локална "
                    "демократија Приједор, Центар за развој на Херцеговина Требиње, АЛДА - "
                    "Европска асоцијација за локална демократија"
                ),
            },
        ),
    },
    {
        "stem": "002_4d2333b15e529211",
        "language": "ro",
        "slug": "parteneriate-apl-ong-pnrr",
        "title": (
            "Parteneriatele dintre autoritățile administrației publice locale (APL) și ONG-uri"
        ),
        "countries": ["RO"],
        "themes": [
            "civil-society-partnerships",
            "participatory-budgeting",
            "inclusion",
            "poverty-reduction",
            "green-transition",
        ],
        "summary": (
            "50 de noi parteneriate vor fi încheiate între organizațiile neguvernamentale și "
            "autoritățile administrației publice locale pentru dezvoltarea proiectelor de "
            "sprijinire a dezvoltării comunităților locale. Se va acorda prioritate combaterii "
            "discriminării, guvernanței participative și bugetării, serviciilor destinate "
            "comunităților vulnerabile (cum ar fi romii sau persoanele fără adăpost), combaterii "
            "sărăciei și tranziției verzi."
        ),
        "english_summary": (
            "Milestone 447 of Romania's recovery and resilience plan, due in the first quarter of "
            "2026 and under way: 50 new partnerships between local public authorities and NGOs to "
            "develop community projects. Each community defines an intervention plan with "
            "targets, short- and long-term results, a budget and regular, transparent and "
            "inclusive consultation, prioritising anti-discrimination, participatory governance "
            "and budgeting, services for vulnerable groups such as Roma and homeless people, "
            "poverty reduction and the green transition. Each plan is monitored for at least two "
            "years. Responsible: MIPE."
        ),
        "programme": "Planul Național de Redresare și Reziliență (PNRR), jalonul 447",
        "status": "ongoing",
        "end_date": date(2026, 3, 31),
        "lead": "mipe",
        "partners": [],
        "places": "România",
        "target_groups": "Comunități vulnerabile, inclusiv romi și persoane fără adăpost",
        "outcomes": [
            {
                # The target is the milestone's; the progress figures are invented for trying
                # the chart, and the name and every note say so where they are shown.
                "name": (
                    "Parteneriate APL–ONG înființate și operaționale "
                    "(progres inventat, pentru demonstrație)"
                ),
                "unit": "Număr",
                "baseline": "0",
                "target": "50",
                "updates": [
                    {"date": date, "value": value, "note": INVENTED_FIGURE}
                    for date, value in [
                        ("2024-06-30", "6"),
                        ("2024-12-31", "17"),
                        ("2025-06-30", "31"),
                        ("2025-12-31", "42"),
                    ]
                ],
            }
        ],
        "layout": SeedLayout(
            drop={"Jalon/Țintă:"},
            label_values=True,
            headings={"Descriere:": "h2"},
            replace={
                "Parteneriatel e dintre autoritățile administrație i publice locale (APL) și "
                "ONG-uri sunt înființate și operaționale": (
                    "Parteneriatele dintre autoritățile administrației publice locale (APL) și "
                    "ONG-uri sunt înființate și operaționale"
                ),
                "Numar secvențial:": "Număr secvențial:",
            },
        ),
    },
    {
        "stem": "003_cceefbe18ed3352b",
        "language": "pl",
        "slug": "program-moc-malych-spolecznosci",
        "title": "Program Moc Małych Społeczności",
        "countries": ["PL"],
        "themes": [
            "civil-society-partnerships",
            "capacity-building",
            "social-cohesion",
            "citizen-participation",
        ],
        "summary": (
            "Głównym celem Programu jest zwiększenie potencjału małych lokalnych organizacji "
            "obywatelskich działających na terenach wiejskich lub w małych i średnich miastach do "
            "prowadzenia działań na rzecz rozwoju aktywności i integracji społecznej oraz "
            "zwiększenia odporności społeczności lokalnych na kryzysy. W przypadku inicjatyw "
            "oddolnych wskazane jest wykorzystanie mechanizmu regrantingu i wspieranie ich w "
            "formie małych grantów, animacji, doradztwa czy szkoleń."
        ),
        "english_summary": (
            "The Power of Small Communities programme aims to strengthen small local civic "
            "organisations in rural areas and small and medium-sized towns in Poland, so that "
            "they can develop social activity and integration and make their communities more "
            "resilient to crises. Its first specific objective builds the organisations' "
            "institutional capacity: better management and professional teams, cooperation with "
            "the public and private sectors and public trust, with regranting, small grants, "
            "animation, advice and training for grassroots initiatives. The second strengthens "
            "communities' resilience to crises."
        ),
        "programme": "Program Moc Małych Społeczności",
        "status": "ongoing",
        "lead": None,
        "partners": [],
        "places": "Polska: tereny wiejskie, małe i średnie miasta",
        "target_groups": "Małe lokalne organizacje obywatelskie i inicjatywy oddolne",
        "layout": SeedLayout(
            headings={
                "3. Cele Programu Moc Małych Społeczności": "h2",
                "3.1 Cel główny Programu Moc Małych Społeczności": "h3",
                "3.2 Cele szczegółowe Programu Moc Małych Społeczności": "h3",
                "Cel szczegółowy 1.: Wzmocnienie potencjału instytucjonalnego organizacji "
                "obywatelskich w społecznościach lokalnych": "h3",
                "Cel szczegółowy 2.: Wzmocnienie odporności społeczności lokalnych na sytuacje "
                "kryzysowe poprzez rozwój aktywności i integracji społecznej": "h3",
            },
            trim_incomplete_end=True,
        ),
    },
    {
        "stem": "004_76e477ac0a36789a",
        "language": "ka",
        "slug": "local-development-actors-phase-2",
        "title": "ადგილობრივი განვითარების აქტორებს შორის მყარი კავშირების დამყარება – II ფაზა",
        "countries": ["GE"],
        "themes": [
            "participatory-budgeting",
            "civil-society-partnerships",
            "capacity-building",
            "citizen-participation",
            "local-economic-development",
        ],
        "summary": (
            "ადგილობრივი თვითმმართველობის დონეზე განვითარების სფეროში ჩართული აქტორების "
            "გაძლიერება, რათა მათ ეფექტურად შეძლონ ადგილობრივი საჭიროებებისა და განვითარების "
            "პრიორიტეტების განსაზღვრა და პოლიტიკური გადაწყვეტილებების მიღების პროცესში აქტიური "
            "მონაწილეობა. პროექტი ხორციელდება სამოქალაქო საზოგადოების ინსტიტუტისა და ოზურგეთის "
            "პროგრესის სახლის თანამშრომლობით და მას აფინანსებს Bread For The World."
        ),
        "english_summary": (
            "Phase II of a project (October 2020 – September 2023) that strengthened local "
            "development actors in Georgia – civil-society organisations, social enterprises and "
            "municipalities – to identify local needs and priorities and take part in policy "
            "decisions. Run by the Civil Society Institute with the Ozurgeti House of Progress and "
            "funded by Bread for the World in Adjara, Guria and Shida Kartli, it offered legal "
            "advice and advocacy, participatory-budgeting guides, mentoring and campaign support "
            "for target municipalities, civic-engagement benchmarking and annual national forums."
        ),
        "programme": "Bread for the World (პური მსოფლიოსთვის)",
        "status": "completed",
        "start_date": date(2020, 10, 1),
        "end_date": date(2023, 9, 30),
        "lead": "civil-society-institute",
        "partners": ["ozurgeti-house-of-progress"],
        "places": "აჭარა, გურია, შიდა ქართლი",
        "target_groups": "საზოგადოებრივი ორგანიზაციები, სოციალური საწარმოები, მუნიციპალიტეტები",
        "layout": SeedLayout(
            start="პროექტის მიზანი",
            headings={
                "პროექტის მიზანი": "h2",
                "პროექტის ამოცანები": "h2",
                "დონორები და პარტნიორები": "h2",
                "პროექტის არეალი": "h2",
                "პროექტის განხორციელების ვადები": "h2",
                "პროექტის ხელმძღვანელი": "h2",
                "პროექტის აქტივობები": "h2",
            },
        ),
    },
]


def seed_text(stem):
    return (SEED_DIR / f"{stem}.txt").read_text(encoding="utf-8")
