"""How Participedia's vocabulary maps onto ours: issue, topic, approach and method keys to
theme slugs (see taxonomy/migrations/0002), sectors to organisation kinds, the country
spellings our resolver does not know, and title casing for the lower-cased case titles."""

import re

from members.models import Organisation

FALLBACK_THEME = "citizen-participation"

# Keys as they appear in the exports, misspellings included (`educations`). Keys without a
# fitting theme (`science`, `research`, `international`...) are simply not mapped.
KEY_THEMES = {
    # general_issues_*
    "governance": ["local-governance"],
    "economics": ["local-economic-development"],
    "planning": ["urban-planning"],
    "education": ["education"],
    "educations": ["education"],
    "human": ["inclusion"],
    "environment": ["environment-climate"],
    "arts": ["arts-culture"],
    "health": ["health"],
    "agriculture": ["local-economic-development"],
    "social": ["social-cohesion"],
    "identity": ["inclusion"],
    "business": ["local-economic-development"],
    "immigration": ["refugees-migration"],
    "transportation": ["basic-services"],
    "labor": ["local-economic-development"],
    "housing": ["urban-planning"],
    "energy": ["green-transition"],
    "media": ["transparency-accountability"],
    # specific_topics_*
    "public_participation": ["citizen-participation"],
    "citizenship": ["citizen-participation"],
    "economic": ["local-economic-development"],
    "budget": ["participatory-budgeting"],
    "budget_provincial": ["participatory-budgeting"],
    "information": ["transparency-accountability"],
    "climate": ["environment-climate"],
    "gender": ["gender-equality"],
    "public_art": ["arts-culture"],
    "museums": ["arts-culture"],
    "cultural": ["arts-culture"],
    "youth_issues": ["youth"],
    "youth": ["youth"],
    "child": ["youth"],
    "regional": ["local-governance"],
    "administration": ["local-governance"],
    "bureaucracy": ["local-governance"],
    "intergovernmental": ["local-governance"],
    "sustainable": ["green-transition"],
    "food": ["poverty-reduction"],
    "food_assistance": ["poverty-reduction"],
    "poverty": ["poverty-reduction"],
    "economic_inequality": ["poverty-reduction"],
    "lowincome": ["poverty-reduction"],
    "homelessness": ["poverty-reduction"],
    "unemployment": ["poverty-reduction"],
    "elementary": ["education"],
    "higher": ["education"],
    "alternative_education": ["education"],
    "school": ["education"],
    "teacher": ["education"],
    "vocational": ["education"],
    "curriculum": ["education"],
    "early": ["education"],
    "environmental": ["environment-climate"],
    "natural_resource": ["environment-climate"],
    "air": ["environment-climate"],
    "water": ["environment-climate"],
    "disaster": ["environment-climate"],
    "resilience": ["environment-climate"],
    "infrastructure": ["basic-services"],
    "walkingpedestrian": ["basic-services"],
    "public_safety": ["basic-services"],
    "ethnicracial_relations": ["inclusion"],
    "ethnicracial": ["inclusion"],
    "indigenous": ["inclusion"],
    "lgbtq": ["inclusion"],
    "disabled": ["inclusion"],
    "disability": ["inclusion"],
    "abilitydisability": ["inclusion"],
    "religious": ["inclusion"],
    "aging_issues": ["inclusion"],
    "age": ["inclusion"],
    "political_rights": ["citizen-participation"],
    "right_to": ["citizen-participation"],
    "open": ["transparency-accountability"],
    "government_transparency": ["transparency-accountability"],
    "transparency": ["transparency-accountability"],
    "government_spending": ["transparency-accountability"],
    "government_funding": ["transparency-accountability"],
    "refugee": ["refugees-migration"],
    "land": ["urban-planning"],
    "cohousing": ["urban-planning"],
    "ecohousing": ["urban-planning", "green-transition"],
    "disease": ["health"],
    "mental": ["health"],
    "addiction": ["health"],
    "biomedical": ["health"],
    "internet_governance": ["digital-democracy"],
    "artificial": ["digital-democracy"],
    "intelligence": ["digital-democracy"],
    "workforce": ["local-economic-development"],
    "employee": ["local-economic-development"],
    "community": ["social-cohesion"],
    # approaches
    "consultation": ["citizen-participation"],
    "cogovernance": ["local-governance", "citizen-participation"],
    "civil": ["civil-society-partnerships"],
    "leadership": ["capacity-building"],
    "coproduction": ["civil-society-partnerships"],
    "coproduction_form": ["civil-society-partnerships"],
    "advocacy": ["civil-society-partnerships"],
    "direct": ["citizen-participation"],
    "evaluation": ["transparency-accountability"],
    "protest": ["citizen-participation"],
    "informal_engagement": ["citizen-participation"],
    # method_types, tools_techniques_types, type_method_*
    "deliberative": ["deliberation"],
    "collaborative": ["civil-society-partnerships"],
    "informal": ["citizen-participation"],
    "informal_participation": ["citizen-participation"],
    "public": ["citizen-participation"],
    "public_meetings": ["citizen-participation"],
    "participantled": ["citizen-participation"],
    "participatory": ["citizen-participation"],
    "longterm": ["local-governance"],
    "facilitate_decisionmaking": ["deliberation"],
    "legislation": ["local-governance"],
    # sector (organisations)
    "non_profit_non_gov": ["civil-society-partnerships"],
    "non-profit or non governmental": ["civil-society-partnerships"],
    "government": ["local-governance"],
    "higher_ed": ["education"],
    "university or research": ["education"],
}

# Words in a record's title or description that name one of our themes. The case export has
# no issue columns, so without these no case would ever land in e.g. participatory budgeting.
KEYWORD_THEMES = [
    (
        "participatory-budgeting",
        r"participatory budget|\bpb\b|budget participatif|presupuesto participativo"
        r"|or[çc]amento participativo|bilancio partecipativo|b[üu]rgerhaushalt|community budget",
    ),
    (
        "deliberation",
        r"citizens?['’]? ?(assembl|jur|panel|council|summit)|deliberat|mini-public"
        r"|consensus conference|planning cell",
    ),
    (
        "digital-democracy",
        r"\bonline\b|digital|e-?participation|e-?democracy|e-?government|crowdsourc"
        r"|social media|\binternet\b|\bapps?\b",
    ),
    ("environment-climate", r"climate|environment|pollution|biodivers|\bforests?\b|air quality"),
    ("green-transition", r"sustainab|renewable|circular economy|low[- ]carbon|net[- ]zero"),
    ("youth", r"\byouth|young people|\bchildren\b|\bteen"),
    ("education", r"\bschools?\b|education|universit|\bstudents?\b"),
    ("health", r"health|hospital|medical|disease|covid|pandemic"),
    ("gender-equality", r"\bwom[ae]n\b|gender|feminis"),
    ("refugees-migration", r"refugee|migrant|migration|asylum|displaced|immigra"),
    ("poverty-reduction", r"povert|homeless|low-income|food security|\bslums?\b"),
    ("urban-planning", r"urban|\bhousing|zoning|public space|redevelop|neighbou?rhood plan"),
    (
        "transparency-accountability",
        r"transparen|accountab|corruption|open government|\baudit|monitoring",
    ),
    ("basic-services", r"infrastructure|sanitation|\btransport|public services|\bwater supply"),
    (
        "local-economic-development",
        r"economic development|employment|livelihood|entrepreneur|small business",
    ),
    (
        "inclusion",
        r"indigenous|disabilit|discriminat|inclusion|inclusive|racial|minorit|lgbt|\broma\b",
    ),
    ("social-cohesion", r"cohesion|reconciliation|\bpeace|conflict resolution"),
    ("arts-culture", r"\barts?\b|cultur|museum|heritage|festival|theat"),
    ("local-governance", r"municipal|city council|local government|decentrali"),
    ("civil-society-partnerships", r"\bngos?\b|civil society|non-?profit|partnership"),
    ("capacity-building", r"training|capacity|leadership"),
]
_KEYWORD_PATTERNS = [(slug, re.compile(pattern)) for slug, pattern in KEYWORD_THEMES]


def themes_for(keys, text=""):
    """Theme slugs for Participedia keys and the words of `text`, in a stable order; the
    fallback theme when nothing matches, so every record has at least one."""
    slugs = []
    for key in keys:
        for slug in KEY_THEMES.get(key.strip().lower(), ()):
            if slug not in slugs:
                slugs.append(slug)
    lowered = text.lower()
    for slug, pattern in _KEYWORD_PATTERNS:
        if slug not in slugs and pattern.search(lowered):
            slugs.append(slug)
    return slugs or [FALLBACK_THEME]


def organisation_kind(sector, scopes):
    """Our organisation kind for Participedia's sector (both spellings the exports use) and
    scope of influence (which tells a city government from a national one)."""
    sector = sector.strip().lower()
    if sector in {"non_profit_non_gov", "non-profit or non governmental"}:
        return Organisation.Kind.CSO
    if sector in {"higher_ed", "university or research"}:
        return Organisation.Kind.ACADEMIC
    if sector == "government":
        scopes = {scope.strip().lower() for scope in scopes}
        if scopes & {"city/town", "metropolitan", "neighbourhood"}:
            return Organisation.Kind.MUNICIPALITY
        if "regional" in scopes:
            return Organisation.Kind.REGIONAL_GOVERNMENT
    return Organisation.Kind.OTHER


# Spellings in the exports that taxonomy.countries.resolve_country does not know (pycountry
# now calls Turkey "Türkiye"; the others are Google-Maps or translated names).
COUNTRY_ALIASES = {
    "turkey": "TR",
    "palestinian territory": "PS",
    "myanmar (burma)": "MM",
    "tchequia": "CZ",
    "tchéquia": "CZ",
    "bolivien": "BO",
}

SMALL_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "per", "the", "to", "vs", "via", "with", "de", "del", "la", "le", "el", "y", "et",
    "da", "di", "du", "des", "und", "van", "von",
}  # fmt: skip
ACRONYMS = {
    word.lower(): word
    for word in [
        "USA", "UK", "EU", "UN", "NYC", "NGO", "NGOs", "ICT", "AI", "LGBTQ", "LGBTQIA+",
        "PB", "D.C.", "DC", "OECD", "UNDP", "USAID", "COVID-19", "COVID", "II", "III", "IV",
        "BC", "TV", "SDG", "SDGs", "CSO", "CSOs", "MSMEs", "MEP", "MEPs", "NHS", "ICT4D",
        "G1000", "HIV", "HIV/AIDS", "DNA",
    ]
}  # fmt: skip
_LEADING = "\"'“”‘’«(¿¡[#"
_TRAILING = "\"'“”‘’»):;,.!?]"


def _capitalise(word):
    for index, char in enumerate(word):
        if char.isalpha():
            return word[:index] + char.upper() + word[index + 1 :]
        if char not in _LEADING:
            return word
    return word


def title_case(title):
    """A sensible title for one the source lower-cased ("british columbia citizens'
    assembly (usa)" → "British Columbia Citizens' Assembly (USA)"); titles with any capital
    letter are left as written."""
    title = " ".join(title.split())
    if title != title.lower():
        return title
    words = title.split(" ")
    result = []
    for position, word in enumerate(words):
        core = word.strip(_LEADING + _TRAILING)
        start = word.find(core) if core else 0
        after_break = position == 0 or result[-1].endswith((":", "–", "—", "-", "?", "!"))
        if core in ACRONYMS:
            replaced = ACRONYMS[core]
        elif re.fullmatch(r"(?:[a-z]\.){1,3}[a-z]?", core):  # u.s., d.c.
            replaced = core.upper()
        elif core in SMALL_WORDS and not after_break:
            replaced = core
        else:
            parts = re.split(r"([-/])", core)
            replaced = "".join(
                part if (part in SMALL_WORDS and index > 0) or part in "-/" else
                ACRONYMS.get(part) or _capitalise(part)
                for index, part in enumerate(parts)
            )  # fmt: skip
        result.append(word[:start] + replaced + word[start + len(core) :])
    return " ".join(result)


_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


def sentence_case(text):
    """Capitals back at the start of sentences of a text the source lower-cased; text with
    any capital letter is left as written."""
    if text != text.lower():
        return text
    text = _SENTENCE_START.sub(lambda match: match.group(1) + match.group(2).upper(), text)
    return re.sub(r"\bi\b", "I", text)
