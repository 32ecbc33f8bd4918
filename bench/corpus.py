"""The benchmark's corpus: N varied copies of the real Participedia records, plus copies of the
five multilingual seed documents, generated deterministically from a seed.

Copies are varied the way a real library varies — the same kind of practice written up in
another city, year, country, language or with other themes — so that the index has the
vocabulary, document lengths and facet spread of real content rather than N identical rows.
Nothing here touches the database: `generate()` yields plain `BenchItem`s."""

import csv
import html
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PARTICIPEDIA = SHARED / "data" / "participedia"
SEEDS = SHARED / "seeds"

# Share of the generated documents copied from the seeds, per seed language. The rest are
# copies of Participedia records (English, or the record's original language).
SEED_SHARE = 0.03

# Country codes the copies are moved to, weighted towards the regions the library serves.
COUNTRY_POOL = [
    "JO",
    "IQ",
    "TR",
    "MK",
    "BA",
    "RO",
    "PL",
    "GE",
    "AL",
    "RS",
    "MD",
    "UA",
    "AM",
    "LB",
    "TN",
] * 3 + ["US", "GB", "CA", "DE", "FR", "IT", "ES", "BR", "IN", "ZA", "KE", "AU", "MX", "CO", "PH"]
SEED_COUNTRIES = {
    "ar": ["JO", "IQ", "TR"],
    "mk": ["BA", "MK"],
    "ro": ["RO"],
    "pl": ["PL"],
    "ka": ["GE"],
}
CITIES = [
    "Amman", "Irbid", "Zarqa", "Mosul", "Erbil", "Gaziantep", "Mardin", "Skopje", "Bitola",
    "Sarajevo", "Tuzla", "Mostar", "Cluj", "Iași", "Timișoara", "Kraków", "Lublin", "Gdańsk",
    "Tbilisi", "Kutaisi", "Batumi", "Chișinău", "Tirana", "Novi-Sad", "Lviv", "Yerevan",
    "Tripoli", "Sfax", "Porto-Alegre", "Bogotá", "Nairobi", "Durban", "Pune", "Manila", "Leeds",
    "Lyon", "Bologna", "Sevilla",
]  # fmt: skip

# Participedia text → library theme, by keyword. A record gets every theme whose pattern
# its title or description matches (at most three), else a broad participation theme.
THEME_KEYWORDS = [
    ("participatory-budgeting", r"budget"),
    ("deliberation", r"assembl|jury|juries|deliberat|poll|mini-?public"),
    ("digital-democracy", r"digital|online|internet|platform|e-particip|app\b"),
    ("transparency-accountability", r"transparen|accountab|corrupt|audit"),
    ("basic-services", r"water|sanitation|infrastructure|waste|transport"),
    ("urban-planning", r"housing|urban|planning|neighbou?rhood|zoning"),
    ("civil-society-partnerships", r"\bngo|civil society|non-?profit|partnership"),
    ("capacity-building", r"training|capacity|skills"),
    ("social-cohesion", r"cohesion|conflict|peace|reconcil"),
    ("inclusion", r"inclusi|disab|minorit|discrimin|indigenous"),
    ("gender-equality", r"women|gender"),
    ("refugees-migration", r"refugee|migra|asylum"),
    ("poverty-reduction", r"poverty|\bpoor\b|homeless"),
    ("local-economic-development", r"economic|employment|business|jobs"),
    ("environment-climate", r"climate|environment|energy|green|pollution"),
    ("youth", r"youth|young|student"),
    ("education", r"educat|school|universit"),
    ("health", r"health|hospital|medical"),
    ("arts-culture", r"\barts?\b|cultur|museum|heritage"),
]
ALL_THEMES = [slug for slug, _ in THEME_KEYWORDS] + [
    "citizen-participation",
    "local-governance",
    "green-transition",
]
SEED_THEMES = {
    "ar": ["refugees-migration", "basic-services", "civil-society-partnerships"],
    "mk": ["civil-society-partnerships", "citizen-participation", "local-governance"],
    "ro": ["civil-society-partnerships", "local-governance"],
    "pl": ["capacity-building", "civil-society-partnerships", "social-cohesion"],
    "ka": ["participatory-budgeting", "local-economic-development", "local-governance"],
}
MAX_BODY = 20_000


@dataclass
class Record:
    """One source record: a Participedia case or organisation, or a seed document."""

    kind: str  # "case", "organization" or "seed"
    title: str
    summary: str
    body: str
    language: str
    countries: list[str]
    themes: list[str]
    year: int
    source: str
    paragraphs: list[str] = field(default_factory=list)  # seeds: the pool copies draw from


@dataclass
class BenchItem:
    """One generated item: what the search core indexes as one search document."""

    object_type: str
    object_id: int
    language: str
    title: str
    summary: str
    body: str
    countries: list[str]
    themes: list[str]
    year: int
    published_at: datetime
    url: str
    source: str
    organisation: str = ""
    organisation_name: str = ""

    @property
    def pk(self):
        # What the search core's document builders read as the item's id.
        return self.object_id


def strip_html(text):
    text = re.sub(r"<[^>]+>", " ", text or "")
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def sentence_case(text):
    text = text.strip()
    return text[:1].upper() + text[1:]


def _country_code(name):
    from taxonomy.countries import resolve_country

    try:
        return resolve_country(name)
    except ValueError:
        return None


def _themes_for(text):
    text = text.lower()
    themes = [slug for slug, pattern in THEME_KEYWORDS if re.search(pattern, text)]
    return themes[:3] or ["citizen-participation"]


def _array_words(row, *columns):
    """The words of PostgreSQL array cells such as `{direct,cogovernance}`."""
    values = []
    for column in columns:
        values.extend(
            value.replace("_", " ") for value in row[column].strip("{}").split(",") if value
        )
    return " ".join(values)


def _year(value, default=2015):
    match = re.match(r"(\d{4})", value or "")
    return int(match.group(1)) if match else default


def _read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def detect_language(text):
    """The seed's language from its script and letters (the seed files are named by hash)."""
    counts = {"ar": 0, "ka": 0, "mk": 0, "ro": 0, "pl": 0}
    for ch in text:
        if "\u0600" <= ch <= "\u06ff":
            counts["ar"] += 1
        elif "\u10a0" <= ch <= "\u10ff":
            counts["ka"] += 1
        elif "\u0400" <= ch <= "\u04ff":
            counts["mk"] += 1
        elif ch in "ășțâîĂȘȚÂÎşţ":
            counts["ro"] += 1
        elif ch in "łśąężźćńŁŚĄĘŻŹĆŃ":
            counts["pl"] += 1
    return max(counts, key=counts.get)


def _script_share(line, language):
    letters = [ch for ch in line if ch.isalpha()]
    if not letters:
        return 0.0
    if language in ("ro", "pl"):
        return sum(
            1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, "")
        ) / len(letters)
    return sum(1 for ch in letters if not ch.isascii()) / len(letters)


@cache
def load_records(shared=SHARED):
    """Every Participedia case and organisation and the five seeds, as `Record`s."""
    participedia = Path(shared) / "data" / "participedia"
    records = []
    for row in _read_csv(participedia / "cases.csv"):
        country = _country_code(row["country"])
        description = strip_html(row["description"])
        records.append(
            Record(
                kind="case",
                title=sentence_case(row["title"]),
                summary=sentence_case(description),
                body=" ".join(part for part in (row["city"], row["province"]) if part)
                + " "
                + _array_words(row, "approaches", "method_types", "tools_techniques_types"),
                language="en",
                countries=[country] if country else [],
                themes=_themes_for(row["title"] + " " + description),
                year=_year(row["post_date"]),
                source=row["url"],
            )
        )
    for row in _read_csv(participedia / "organizations.csv"):
        country = _country_code(row["country"])
        description = strip_html(row["description"])
        language = (row["original_language"] or "en").strip().lower()[:2] or "en"
        records.append(
            Record(
                kind="organization",
                title=row["title"].strip(),
                summary=description,
                body=strip_html(row["body"])[:MAX_BODY],
                language=language,
                countries=[country] if country else [],
                themes=_themes_for(row["title"] + " " + description),
                year=_year(row["post_date"]),
                source=row["url"],
            )
        )
    for path in sorted((Path(shared) / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        language = detect_language(text)
        lines = [line.strip(" \t•") for line in text.splitlines()]
        lines = [line for line in lines if line and _script_share(line, language) > 0.6]
        paragraphs = [line for line in lines if len(line.split()) >= 6]
        title = next(line for line in lines if 4 <= len(line.split()) <= 25)
        records.append(
            Record(
                kind="seed",
                title=title.rstrip(":."),
                summary=paragraphs[0],
                body=" ".join(paragraphs[1:]),
                language=language,
                countries=SEED_COUNTRIES[language][:1],
                themes=SEED_THEMES[language],
                year=2021,
                source=path.name,
                paragraphs=paragraphs,
            )
        )
    return records


def _vary_participedia(record, rng):
    title = record.title
    roll = rng.random()
    city = rng.choice(CITIES)
    year = record.year if rng.random() < 0.5 else rng.randint(2005, 2025)
    if roll < 0.35:
        title = f"{title} — {city} {year}"
    elif roll < 0.55:
        title = f"{title} ({city})"
    summary = record.summary
    body = record.body
    sentences = re.split(r"(?<=[.!?])\s+", body)
    if len(sentences) > 3 and rng.random() < 0.5:
        # Another write-up of the same practice: the same points in another order.
        rng.shuffle(sentences)
        body = " ".join(sentences)
    body = f"{body} {city}".strip()
    countries = list(record.countries)
    if not countries or rng.random() < 0.35:
        countries = [rng.choice(COUNTRY_POOL)]
    if rng.random() < 0.1:
        countries.append(rng.choice(COUNTRY_POOL))
    themes = list(record.themes)
    if rng.random() < 0.3:
        themes.append(rng.choice(ALL_THEMES))
    return title, summary, body, countries, themes, year


def _vary_seed(record, rng):
    paragraphs = record.paragraphs
    start = rng.randrange(len(paragraphs))
    size = rng.randint(3, min(12, len(paragraphs)))
    window = [paragraphs[(start + offset) % len(paragraphs)] for offset in range(size)]
    city = rng.choice(CITIES)
    year = rng.randint(2015, 2025)
    title = f"{record.title} — {city} {year}" if rng.random() < 0.6 else record.title
    countries = [rng.choice(SEED_COUNTRIES[record.language])]
    themes = list(record.themes)
    if rng.random() < 0.3:
        themes.append(rng.choice(ALL_THEMES))
    return title, window[0], " ".join(window[1:]), countries, themes, year


def generate(n, seed=2026, shared=SHARED):
    """`n` `BenchItem`s, the same ones for the same (n, seed)."""
    records = load_records(shared)
    participedia = [record for record in records if record.kind != "seed"]
    seeds = [record for record in records if record.kind == "seed"]
    rng = random.Random(seed)
    for number in range(1, n + 1):
        if rng.random() < SEED_SHARE * len(seeds):
            record = rng.choice(seeds)
            title, summary, body, countries, themes, year = _vary_seed(record, rng)
            object_type = "practice" if rng.random() < 0.8 else "guide"
        else:
            record = participedia[(number * 7919) % len(participedia)]
            title, summary, body, countries, themes, year = _vary_participedia(record, rng)
            if record.kind == "organization":
                object_type = "organisation"
            else:
                object_type = "practice" if rng.random() < 0.85 else "guide"
        language = record.language
        prefix = "" if language == "en" else f"/{language}"
        section = {"practice": "practices", "guide": "guides", "organisation": "organisations"}
        yield BenchItem(
            object_type=object_type,
            object_id=number,
            language=language,
            title=title[:255],
            summary=summary,
            body=body,
            countries=sorted(set(countries)),
            themes=sorted(set(themes)),
            year=year,
            published_at=datetime(year, rng.randint(1, 12), rng.randint(1, 28), 12, tzinfo=UTC),
            url=f"{prefix}/{section[object_type]}/bench-{number}/",
            source=record.source,
        )
