"""Demo forums and threads: peers discussing the programmes of the seed documents (Qudra 2,
Link for Cooperation, the Romanian APL–ONG partnerships, the Power of Small Communities,
participatory budgeting in Guria) in the seven languages of the site.

Threads are written by the demo accounts (`demo.organisations.USERS`) and by three
invented forum members, listed in `FORUM_AUTHORS`, whose accounts cannot sign in. Figures
quoted about programmes come from the seed documents; the experiences told are made up."""

# username, first name, last name
FORUM_AUTHORS = [
    ("leila.haddad", "Leila", "Haddad"),
    ("mehmet.yildiz", "Mehmet", "Yıldız"),
    ("nino.beridze", "Nino", "Beridze"),
]

# slug, name, description, theme slug, position
FORUMS = [
    (
        "participatory-budgeting",
        "Participatory budgeting",
        "Running a participatory budget: rules, voting, choosing and delivering projects, and "
        "keeping residents involved year after year.",
        "participatory-budgeting",
        1,
    ),
    (
        "local-authorities-and-civil-society",
        "Local authorities and civil society",
        "Partnerships between municipalities and NGOs: agreements, intervention plans, "
        "consultation and trust.",
        "civil-society-partnerships",
        2,
    ),
    (
        "grant-schemes",
        "Grant schemes and small grants",
        "Municipal grant schemes, regranting and small grants for community organisations: "
        "calls, scoring, reporting and monitoring.",
        "capacity-building",
        3,
    ),
    (
        "refugees-and-host-communities",
        "Refugees and host communities",
        "Services and social cohesion where municipalities host refugees and internally "
        "displaced people.",
        "refugees-migration",
        4,
    ),
]

# Each thread: its forum, title, language, themes, countries, how many days ago it was
# started, whether it is pinned or locked, and its posts as (hours after the start, author,
# body); the first post opens the thread.
THREADS = [
    {
        "forum": "local-authorities-and-civil-society",
        "title": "Welcome: how these forums work",
        "language": "en",
        "themes": ["civil-society-partnerships"],
        "countries": [],
        "days_ago": 60,
        "pinned": True,
        "locked": True,
        "posts": [
            (
                0,
                "editor",
                "<p>These forums are for municipal officers, civil-society organisations and "
                "researchers who want to learn from each other's practices. Write in the "
                "language you are most comfortable with and set it as the thread's language, "
                "so that others can find the thread by language in the search.</p>"
                "<p>Describe your own experience, link to the practice or guide you are talking "
                "about, and never post personal data of residents or beneficiaries. Site "
                "editors may move, lock or remove threads that break these rules.</p>",
            )
        ],
    },
    {
        "forum": "participatory-budgeting",
        "title": "Keeping participatory budgeting alive after the first cycle",
        "language": "en",
        "themes": ["participatory-budgeting", "citizen-participation"],
        "countries": ["GE"],
        "days_ago": 21,
        "posts": [
            (
                0,
                "municipality",
                "<p>Our first participatory budget in the villages went well: residents "
                "proposed dozens of ideas and voted for small projects such as street lighting, "
                "a football pitch and repairs to a kindergarten yard. In the second cycle far "
                "fewer people came to vote.</p>"
                "<p>How did other municipalities keep residents interested once the novelty "
                "wore off? Did you change the voting rules, the size of the budget, or the way "
                "you report back on delivered projects?</p>",
            ),
            (
                20,
                "researcher",
                "<p>In the cases we studied, the biggest factor was visible delivery. "
                "Municipalities that published a simple map of finished projects, with photos "
                "and the final cost, kept turnout steady; where projects were delayed without "
                "explanation, people concluded that their vote did not matter.</p>"
                "<p>A second factor: a short public reason for every proposal that was not put "
                "to the vote.</p>",
            ),
            (
                29,
                "cso",
                "<p>We saw the same in rural municipalities in Małopolska. What helped was "
                "taking the vote to where people already are (the parish fair, the school, the "
                "health centre) and a small separate pot for proposals from young people, who "
                "then brought their parents to vote.</p>",
            ),
            (
                52,
                "municipality",
                "<p>Thank you both. A map of delivered projects is something we can publish "
                "this spring, and we will try a separate pot for young people: the participatory "
                "budgeting guide of the Civil Society Institute has a section on it.</p>",
            ),
        ],
    },
    {
        "forum": "participatory-budgeting",
        "title": "მონაწილეობითი ბიუჯეტი სოფლებში: როგორ შევარჩიოთ პროექტები სამართლიანად?",
        "language": "ka",
        "themes": ["participatory-budgeting"],
        "countries": ["GE"],
        "days_ago": 14,
        "posts": [
            (
                0,
                "nino.beridze",
                "<p>გურიის რამდენიმე მუნიციპალიტეტში მოსახლეობას მონაწილეობით ბიუჯეტირებაში "
                "ვეხმარებით. ყველაზე რთული საკითხი პროექტების შერჩევაა: ხმის მიცემისას დიდი "
                "სოფლები ყოველთვის იმარჯვებენ, პატარა სოფლები კი პროექტის გარეშე რჩებიან.</p>"
                "<p>ხომ არ უცდია ვინმეს ბიუჯეტის დაყოფა ადმინისტრაციულ ერთეულებს შორის ან "
                "პატარა სოფლებისთვის ცალკე კვოტა?</p>",
            ),
            (
                6,
                "municipality",
                "<p>ამ წელს ვცდით ბიუჯეტის ნაწილის გამოყოფას თითოეული ადმინისტრაციული "
                "ერთეულისთვის, ხმის მიცემა კი ერთეულის შიგნით ტარდება. ასე ყველა სოფელს აქვს "
                "შანსი. მთავარია, წესები წინასწარ და ღიად გამოქვეყნდეს.</p>",
            ),
            (
                30,
                "nino.beridze",
                "<p>მადლობა, კარგი იდეაა! ვფიქრობ, დაგვეხმარება შეხვედრებიც სოფლის სკოლებში, "
                "სადაც ხალხი ისედაც იკრიბება.</p>",
            ),
        ],
    },
    {
        "forum": "refugees-and-host-communities",
        "title": "خطط المنح التشاركية: كيف نُشرك اللاجئين والمجتمع المضيف في اختيار المشاريع؟",
        "language": "ar",
        "themes": ["refugees-migration", "social-cohesion"],
        "countries": ["JO"],
        "days_ago": 18,
        "posts": [
            (
                0,
                "leila.haddad",
                "<p>نعمل في بلدية في شمال الأردن ضمن برنامج قدرة 2 على إعداد خطة منح لمشاريع "
                "دعم المجتمع المحلي. نريد أن يشارك اللاجئون السوريون وسكان البلدة معًا في تحديد "
                "الأولويات، لا أن نكتفي باستشارة شكلية.</p>"
                "<p>ما الأساليب التي نجحت لديكم؟ هل عقدتم جلسات منفصلة للنساء؟ وكيف تعاملتم مع "
                "التوتر حول توزيع الخدمات بين المجموعتين؟</p>",
            ),
            (
                9,
                "editor",
                "<p>شكرًا على السؤال. في ممارسة قدرة 2 المنشورة في المكتبة يشارك المستفيدون في "
                "التقييم والتخطيط والتنفيذ. ومن التجارب المفيدة: جلسات منفصلة للنساء يديرها "
                "ميسّرون من المجتمع نفسه، ثم جلسة مشتركة لترتيب الأولويات، ونشر معايير الاختيار "
                "قبل فتح باب التقديم.</p>",
            ),
            (
                26,
                "leila.haddad",
                "<p>هذا مفيد جدًا. سننشر المعايير على صفحة البلدية وفي المراكز المجتمعية، "
                "وسأشارك النتائج هنا بعد الجولة الأولى.</p>",
            ),
        ],
    },
    {
        "forum": "refugees-and-host-communities",
        "title": "Küçük hibe projelerinde raporlama yükünü nasıl azaltabiliriz?",
        "language": "tr",
        "themes": ["refugees-migration", "capacity-building"],
        "countries": ["TR"],
        "days_ago": 10,
        "posts": [
            (
                0,
                "mehmet.yildiz",
                "<p>Gaziantep'te mültecilerin ve ev sahibi toplulukların birlikte yararlandığı "
                "küçük hibe projeleri yürütüyoruz. Yerel dernekler için en büyük zorluk "
                "raporlama: her hibe için ayrı formlar, faturalar ve fotoğraflar isteniyor. Bu "
                "yüzden küçük dernekler başvurmaktan vazgeçiyor.</p>"
                "<p>Raporlamayı sadeleştiren belediyeler var mı? Örneğin tek sayfalık bir ara "
                "rapor ya da fotoğraflı kısa bir saha ziyareti yeterli oluyor mu?</p>",
            ),
            (
                22,
                "editor",
                "<p>Kütüphanedeki Polonya programı Moc Małych Społeczności (Küçük Toplulukların "
                "Gücü) bu sorunu yeniden hibelendirmeyle çözüyor: daha büyük bir kuruluş hibeyi "
                "alıyor ve küçük gruplara kısa başvuru formları, danışmanlık ve eğitim sağlıyor. "
                "Belediye ile yerel dernekler arasında böyle bir aracı kuruluş düşünülebilir.</p>",
            ),
            (
                47,
                "mehmet.yildiz",
                "<p>Teşekkürler, çok yerinde bir öneri. Bir sonraki çağrıda bunu bir sivil "
                "toplum ağıyla denemeyi önereceğim.</p>",
            ),
        ],
    },
    {
        "forum": "local-authorities-and-civil-society",
        "title": "Parteneriate APL–ONG în PNRR: cum scriem planul de intervenție?",
        "language": "ro",
        "themes": ["civil-society-partnerships", "inclusion"],
        "countries": ["RO"],
        "days_ago": 12,
        "posts": [
            (
                0,
                "primaria",
                "<p>Comuna noastră vrea să încheie un parteneriat cu o asociație locală în "
                "cadrul jalonului 447 din PNRR. Se cere un plan de intervenție cu ținte, "
                "rezultate pe termen scurt și lung, buget și consultări publice periodice.</p>"
                "<p>Cine a trecut deja prin asta? Cum ați împărțit responsabilitățile între "
                "primărie și ONG și cum ați organizat consultarea publică într-o comună mică, "
                "unde oamenii nu vin la ședințe?</p>",
            ),
            (
                28,
                "researcher",
                "<p>Not from Romania, but from Link for Cooperation in Bosnia and Herzegovina: "
                "the partnerships that lasted wrote down who does what in a one-page agreement "
                "signed by the mayor and the NGO's board, with a named contact person on each "
                "side. For consultation, small meetings in the local community offices worked "
                "better than one big public hearing.</p>",
            ),
            (
                40,
                "primaria",
                "<p>Mulțumesc! Un acord de o pagină, cu persoane de contact numite, este exact "
                "ce ne lipsea. Vom organiza consultări în fiecare sat, la căminul cultural, și "
                "vom publica procesul-verbal pe site-ul primăriei.</p>",
            ),
        ],
    },
    {
        "forum": "local-authorities-and-civil-society",
        "title": "Линк за соработка: што научивме од малите грантови за граѓанските организации",
        "language": "mk",
        "themes": ["civil-society-partnerships", "capacity-building"],
        "countries": ["BA", "MK"],
        "days_ago": 8,
        "posts": [
            (
                0,
                "researcher",
                "<p>Во проектот „Линк за соработка“ во Босна и Херцеговина, 12 општини и повеќе "
                "од 40 локални граѓански организации заедно решаваа локални проблеми преку "
                "партиципативни методи: обуки според програмата ELoGE на Советот на Европа, "
                "мали грантови и форуми за добри практики.</p>"
                "<p>Подготвуваме споредба со општините во Северна Македонија. Дали некој "
                "работел со слични мали грантови и како ја мерите соработката меѓу општината и "
                "организациите по завршувањето на проектот?</p>",
            ),
            (
                5,
                "editor",
                "<p>A useful indicator from several programmes in the library: whether the "
                "municipality keeps funding the small-grants call from its own budget once the "
                "donor leaves. The Romanian recovery plan also asks for each partnership's plan "
                "to be monitored for at least two years.</p>",
            ),
            (
                27,
                "researcher",
                "<p>Добра идеја, ви благодарам. Ќе го додадеме како показател: дали општината го "
                "продолжува повикот за мали грантови од сопствениот буџет откако ќе заврши "
                "донаторската поддршка.</p>",
            ),
        ],
    },
    {
        "forum": "grant-schemes",
        "title": "Regranting dla grup nieformalnych – jak uprościć rozliczenia?",
        "language": "pl",
        "themes": ["capacity-building", "civil-society-partnerships"],
        "countries": ["PL"],
        "days_ago": 6,
        "posts": [
            (
                0,
                "cso",
                "<p>Jako stowarzyszenie działające na wsi w Małopolsce chcemy zostać operatorem "
                "regrantingu w programie Moc Małych Społeczności. Grupy nieformalne, z którymi "
                "współpracujemy (koła gospodyń wiejskich, kluby seniora, drużyny młodzieżowe), "
                "obawiają się rozliczeń.</p>"
                "<p>Jakie macie doświadczenia z uproszczonymi sprawozdaniami? Czy wystarczy "
                "krótki opis, zdjęcia i lista uczestników, czy grantodawcy wymagają faktur za "
                "każdy wydatek?</p>",
            ),
            (
                19,
                "editor",
                "<p>Opis programu w bibliotece mówi o małych grantach, animacji, doradztwie i "
                "szkoleniach dla inicjatyw oddolnych. Z doświadczeń innych operatorów: wzór "
                "sprawozdania na jedną stronę, zestawienie wydatków zamiast kopii faktur przy "
                "małych kwotach i wizyta animatora zamiast kontroli dokumentów.</p>",
            ),
            (
                31,
                "cso",
                "<p>Dziękujemy! Przygotujemy jednostronicowy wzór sprawozdania i omówimy go z "
                "grupami na spotkaniu informacyjnym.</p>",
            ),
        ],
    },
    {
        "forum": "grant-schemes",
        "title": "Scoring small-grant proposals when the evaluators know every applicant",
        "language": "en",
        "themes": ["capacity-building", "transparency-accountability"],
        "countries": ["RO"],
        "days_ago": 3,
        "posts": [
            (
                0,
                "primaria",
                "<p>In a commune of a few thousand people, the councillors and staff who score "
                "small-grant proposals know every applicant personally. However honest the "
                "scoring, those who lose suspect favouritism.</p>"
                "<p>How do you make the scoring credible? We are considering an evaluation panel "
                "with one member from outside the commune, and publishing the score of every "
                "proposal on every criterion.</p>",
            ),
            (
                7,
                "mehmet.yildiz",
                "<p>We publish the scoring grid before the call opens and every score after it "
                "closes, with the evaluator's name. Anyone with a family link to an applicant "
                "leaves the room for that proposal, and the minutes say so.</p>",
            ),
            (
                16,
                "cso",
                "<p>Regranting operators we know in Poland use a mixed panel: one person from the "
                "municipality, one from the operator and one resident drawn by lot. It takes "
                "longer, but the results are rarely contested.</p>",
            ),
        ],
    },
]
