"""Reference data: every ISO 3166-1 country and the library's theme tree with its labels in
the seven UI languages. Later changes go through the admin (Snippets → Themes)."""

import pycountry
from django.db import migrations

# slug, parent slug, English, Arabic, Macedonian, Romanian, Polish, Georgian, Turkish
THEMES = [
    ("citizen-participation", None, "Citizen participation", "مشاركة المواطنين", "Граѓанско учество", "Participare civică", "Partycypacja obywatelska", "მოქალაქეთა მონაწილეობა", "Vatandaş katılımı"),
    ("participatory-budgeting", "citizen-participation", "Participatory budgeting", "الموازنة التشاركية", "Партиципативно буџетирање", "Bugetare participativă", "Budżet partycypacyjny", "მონაწილეობითი ბიუჯეტირება", "Katılımcı bütçeleme"),
    ("deliberation", "citizen-participation", "Deliberation and citizens' assemblies", "التداول ومجالس المواطنين", "Делиберација и граѓански собранија", "Deliberare și adunări cetățenești", "Deliberacja i panele obywatelskie", "დელიბერაცია და მოქალაქეთა ასამბლეები", "Müzakere ve yurttaş meclisleri"),
    ("digital-democracy", "citizen-participation", "Digital democracy", "الديمقراطية الرقمية", "Дигитална демократија", "Democrație digitală", "Demokracja cyfrowa", "ციფრული დემოკრატია", "Dijital demokrasi"),
    ("local-governance", None, "Local governance", "الحوكمة المحلية", "Локално управување", "Guvernanță locală", "Zarządzanie lokalne", "ადგილობრივი მმართველობა", "Yerel yönetişim"),
    ("transparency-accountability", "local-governance", "Transparency and accountability", "الشفافية والمساءلة", "Транспарентност и отчетност", "Transparență și responsabilitate", "Przejrzystość i rozliczalność", "გამჭვირვალობა და ანგარიშვალდებულება", "Şeffaflık ve hesap verebilirlik"),
    ("basic-services", "local-governance", "Basic services and infrastructure", "الخدمات الأساسية والبنية التحتية", "Основни услуги и инфраструктура", "Servicii de bază și infrastructură", "Usługi podstawowe i infrastruktura", "ძირითადი სერვისები და ინფრასტრუქტურა", "Temel hizmetler ve altyapı"),
    ("urban-planning", "local-governance", "Urban planning and housing", "التخطيط الحضري والإسكان", "Урбано планирање и домување", "Planificare urbană și locuire", "Planowanie przestrzenne i mieszkalnictwo", "ქალაქგეგმარება და საცხოვრებელი", "Kentsel planlama ve konut"),
    ("civil-society-partnerships", None, "Civil-society partnerships", "الشراكات مع المجتمع المدني", "Партнерства со граѓанското општество", "Parteneriate cu societatea civilă", "Partnerstwa z organizacjami obywatelskimi", "თანამშრომლობა სამოქალაქო საზოგადოებასთან", "Sivil toplum ortaklıkları"),
    ("capacity-building", None, "Capacity building", "بناء القدرات", "Градење капацитети", "Dezvoltarea capacităților", "Budowanie potencjału", "შესაძლებლობების განვითარება", "Kapasite geliştirme"),
    ("social-cohesion", None, "Social cohesion", "التماسك الاجتماعي", "Социјална кохезија", "Coeziune socială", "Spójność społeczna", "სოციალური ერთიანობა", "Sosyal uyum"),
    ("inclusion", None, "Inclusion and anti-discrimination", "الإدماج ومكافحة التمييز", "Вклучување и борба против дискриминација", "Incluziune și combaterea discriminării", "Włączenie i przeciwdziałanie dyskryminacji", "ინკლუზია და დისკრიმინაციასთან ბრძოლა", "Kapsayıcılık ve ayrımcılıkla mücadele"),
    ("gender-equality", "inclusion", "Gender equality", "المساواة بين الجنسين", "Родова еднаквост", "Egalitate de gen", "Równość płci", "გენდერული თანასწორობა", "Toplumsal cinsiyet eşitliği"),
    ("refugees-migration", None, "Refugees and migration", "اللاجئون والهجرة", "Бегалци и миграција", "Refugiați și migrație", "Uchodźcy i migracja", "ლტოლვილები და მიგრაცია", "Mülteciler ve göç"),
    ("poverty-reduction", None, "Poverty reduction", "الحد من الفقر", "Намалување на сиромаштијата", "Reducerea sărăciei", "Ograniczanie ubóstwa", "სიღარიბის შემცირება", "Yoksulluğun azaltılması"),
    ("local-economic-development", None, "Local economic development", "التنمية الاقتصادية المحلية", "Локален економски развој", "Dezvoltare economică locală", "Lokalny rozwój gospodarczy", "ადგილობრივი ეკონომიკური განვითარება", "Yerel ekonomik kalkınma"),
    ("green-transition", None, "Green transition", "التحول الأخضر", "Зелена транзиција", "Tranziție verde", "Zielona transformacja", "მწვანე გარდაქმნა", "Yeşil dönüşüm"),
    ("environment-climate", "green-transition", "Environment and climate", "البيئة والمناخ", "Животна средина и клима", "Mediu și climă", "Środowisko i klimat", "გარემო და კლიმატი", "Çevre ve iklim"),
    ("youth", None, "Youth", "الشباب", "Млади", "Tineret", "Młodzież", "ახალგაზრდობა", "Gençlik"),
    ("education", None, "Education", "التعليم", "Образование", "Educație", "Edukacja", "განათლება", "Eğitim"),
    ("health", None, "Health", "الصحة", "Здравство", "Sănătate", "Zdrowie", "ჯანმრთელობა", "Sağlık"),
    ("arts-culture", None, "Arts and culture", "الفنون والثقافة", "Уметност и култура", "Arte și cultură", "Sztuka i kultura", "ხელოვნება და კულტურა", "Sanat ve kültür"),
]  # fmt: skip

LANGUAGE_COLUMNS = ["name", "name_ar", "name_mk", "name_ro", "name_pl", "name_ka", "name_tr"]


def create_reference_data(apps, schema_editor):
    Country = apps.get_model("taxonomy", "Country")
    Theme = apps.get_model("taxonomy", "Theme")
    Country.objects.bulk_create(
        [Country(code=country.alpha_2) for country in pycountry.countries],
        ignore_conflicts=True,
    )
    by_slug = {}
    for order, (slug, parent_slug, *labels) in enumerate(THEMES):
        theme, _ = Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "parent": by_slug.get(parent_slug),
                "sort_order": order,
                **dict(zip(LANGUAGE_COLUMNS, labels, strict=True)),
            },
        )
        by_slug[slug] = theme


def remove_reference_data(apps, schema_editor):
    apps.get_model("taxonomy", "Theme").objects.filter(
        slug__in=[row[0] for row in THEMES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(create_reference_data, remove_reference_data)]
