"""The items and searches of the "no dead ends" tests (`search.relaxation`), shared by the
database backend's suite (test_dead_ends.py) and the engine's
(test_elasticsearch_integration.py), so that both answer them the same way, in each script
of the site's languages: Latin without and with diacritics (English, Romanian, Polish,
Turkish), Cyrillic (Macedonian), Arabic and Georgian.

Every item has the same theme and country, whose labels no search below uses. Words that
match nothing are made of letters of the search's script."""

# name: (language, title, summary)
ITEMS = {
    "en_two": ("en", "Community composting pilot", "Neighbours share their gardens."),
    "en_one": ("en", "A composting day at school", "Pupils learn by doing."),
    "en_joined": ("en", "GreenStreets programme", "Sundays without cars."),
    "ro_two": ("ro", "Ședință publică în Cluj", "Primăria ascultă locuitorii."),
    "ro_one": ("ro", "Ședință online la Iași", "Transmisie pentru cartiere."),
    "ro_joined": ("ro", "Parcul CentruVerde", "Grădini pentru cartier."),
    "pl_two": ("pl", "Ogrody społeczne w Łodzi", "Mieszkańcy sadzą drzewa."),
    "pl_one": ("pl", "Ogrody na dachach", "Zielone dachy w centrum."),
    "pl_joined": ("pl", "Program ZielonaŁódź", "Parki dla rodzin."),
    "tr_two": ("tr", "Topluluk bahçesi İzmir'de", "Komşular ağaç dikiyor."),
    "tr_one": ("tr", "Okul bahçesi", "Öğrenciler öğreniyor."),
    "tr_joined": ("tr", "Festival İzmirSahil", "Sahilde konserler."),
    "mk_two": ("mk", "Јавна расправа во Скопје", "Граѓаните даваат предлози."),
    "mk_one": ("mk", "Јавна библиотека во Битола", "Книги за деца."),
    "mk_joined": ("mk", "Фестивал СкопјеСити", "Музика на плоштадот."),
    "ar_two": ("ar", "حديقة المجتمع في إربد", "الجيران يزرعون الخضار."),
    "ar_one": ("ar", "حديقة المدرسة", "التلاميذ يتعلمون."),
    "ar_joined": ("ar", "مهرجان عمانسيتي", "موسيقى في الساحة."),
    "ka_two": ("ka", "ბაღი თემისთვის ქუთაისში", "მეზობლები რგავენ ხეებს."),
    "ka_one": ("ka", "ბაღი სკოლაში", "მოსწავლეები სწავლობენ."),
    "ka_joined": ("ka", "ფესტივალი თბილისილავსი", "მუსიკა მოედანზე."),
}
THEME = "deliberation"
COUNTRY = "GE"

# (search, the items found in order, the typed words that match nothing). No item has every
# word: the items with two of them come before those with one.
PARTIAL = [
    ("composting neighbours qzxw", ["en_two", "en_one"], ["qzxw"]),
    ("sedinta publica qzxw", ["ro_two", "ro_one"], ["qzxw"]),
    ("Ogrody spoleczne qzxw", ["pl_two", "pl_one"], ["qzxw"]),
    ("bahçesi komşular qzxw", ["tr_two", "tr_one"], ["qzxw"]),
    ("јавна скопје жщфх", ["mk_two", "mk_one"], ["жщфх"]),
    ("حديقة الجيران ظظغغ", ["ar_two", "ar_one"], ["ظظغغ"]),
    ("ბაღი მეზობლები ჯჯღღ", ["ka_two", "ka_one"], ["ჯჯღღ"]),
]

# (search, the items found, the word marked in the snippet): a word indexed nowhere matches
# the start of indexed words.
PREFIX = [
    ("neighbo", ["en_two"], "Neighbours"),
    ("locuito", ["ro_two"], "locuitorii"),
    ("mieszkan", ["pl_two"], "Mieszkańcy"),
    ("dikiy", ["tr_two"], "dikiyor"),
    ("предло", ["mk_two"], "предлози"),
    ("الخض", ["ar_two"], "الخضار"),
    ("მეზობ", ["ka_two"], "მეზობლები"),
]

# (search, the items found): two typed words find them written as one, and one typed word
# finds two indexed words it runs together.
JOINED = [
    ("green streets", ["en_joined"]),
    ("centru verde", ["ro_joined"]),
    ("zielona lodz", ["pl_joined"]),
    ("izmir sahil", ["tr_joined"]),
    ("скопје сити", ["mk_joined"]),
    ("عمان سيتي", ["ar_joined"]),
    ("თბილისი ლავსი", ["ka_joined"]),
    ("communitycomposting", ["en_two"]),
    ("sedintapublica", ["ro_two"]),
    ("ogrodyspołeczne", ["pl_two"]),
    ("toplulukbahçesi", ["tr_two"]),
    ("јавнарасправа", ["mk_two"]),
    ("حديقةالمجتمع", ["ar_two"]),
    ("ბაღითემისთვის", ["ka_two"]),
]
