"""A synthetic knowledge base for the benchmark: valid records of every kind in three
languages, with realistic text lengths and references between records. Deterministic."""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from .. import DEFAULT_LANGUAGE, KINDS, LANGUAGES, SHARED_FILES, translations, units
from ..load import load_file
from ..schemas import Schemas

# Words of each language, so text has realistic characters and word lengths for every stage,
# including stemming and search later.
WORDS = {
    "pl": ("gmina powiat ośrodek pomocy społecznej mieszkańcy rodzina organizacje pozarządowe współpraca "
           "strategia rozwiązywania problemów społecznych ocena zasobów usługi opiekuńcze praca socjalna "
           "wsparcie dzieci seniorzy niepełnosprawność szkolenie urzędnicy rada diagnoza konsultacje "
           "partnerstwo wolontariat budżet raport wskaźnik rezultat dostępność mieszkanie zatrudnienie").split(),
    "uk": ("громада громадах громаді громадою повіт центр соціальної допомоги мешканці сім’я громадські громадських організації співпраця "
           "стратегія розв’язання соціальних проблем оцінка ресурсів послуги догляд соціальна робота "
           "підтримка діти літні інвалідність навчання посадовці рада діагностика консультації "
           "партнерство волонтерство бюджет звіт показник результат доступність житло зайнятість").split(),
    "en": ("municipality county welfare centre residents family non-governmental organisations cooperation "
           "strategy solving social problems assessment resources care services social work support "
           "children older people disability training officials council diagnosis consultation "
           "partnership volunteering budget report indicator result accessibility housing employment").split(),
}
# Only one practice in a hundred names a hromada; every other record speaks of civic (громадськ-)
# organisations only: "громадах" must find the few hromada pages and no civic-only page (the
# benchmark checks the first ten results).
CIVIC_ONLY = {"uk": [word for word in WORDS["uk"] if not word.startswith("громад") or word.startswith("громадськ")]}
SOURCE = DEFAULT_LANGUAGE  # every synthetic record is written in it and translated into the others
ARTICLES = 20  # per synthetic act
LENGTHS = {"summary": 320, "context": 900, "actions": 1100, "results": 650, "resources": 300}  # characters per language


def _text(rng: random.Random, lang: str, length: int, civic: bool = True) -> str:
    words, size = [], 0
    vocabulary = CIVIC_ONLY.get(lang, WORDS[lang]) if civic else WORDS[lang]
    while size < length:
        word = rng.choice(vocabulary)
        words.append(word)
        size += len(word) + 1
    sentences, start = [], 0
    while start < len(words):
        end = start + rng.randint(8, 18)
        sentence = " ".join(words[start:end])
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
        start = end
    return " ".join(sentences)


def _texts(rng, length: int, civic: bool = True) -> dict:
    return {lang: _text(rng, lang, length, civic) for lang in LANGUAGES}


def _translations(hashes: str = "000000000000") -> dict:
    # Made by this program: machine translations, as the validator requires without a named person.
    return {lang: {"status": "machine", "source_hash": hashes} for lang in LANGUAGES if lang != SOURCE}


def civic_only(index: int) -> bool:
    return index % 100 != 0


def practice(rng, index: int, taxonomy: dict, standards: list, act_units: list, methods: list = ()) -> dict:
    country = rng.choice(["pl", "ua"])
    regions = [r for r, term in taxonomy["regions"].items() if term.get("country") == country]
    record = {
        "id": f"practice-{index:05d}", "lang": SOURCE,
        "title": {lang: _text(rng, lang, 60, civic_only(index)).rstrip(".") for lang in LANGUAGES},
        **{field: _texts(rng, length, civic_only(index)) for field, length in LENGTHS.items()},
        "indicators": [{"indicator": _texts(rng, 40), "target": rng.randint(1, 50), "achieved": rng.choice([None, rng.randint(0, 50)])}],
        "partners": [{"name": f"Stowarzyszenie {index}", "role": "lead"}],
        "contacts": [{"organisation": f"Stowarzyszenie {index}", "url": f"https://example.org/{index}"}],
        "location": {"country": country, "regions": [rng.choice(regions)], "places": [f"Miejscowość {index}"],
                     "municipality_types": [rng.choice(sorted(taxonomy["municipality_types"]))], "scope": "local"},
        "period": {"start": str(rng.randint(2005, 2024))},
        "themes": rng.sample(sorted(taxonomy["themes"]), 2),
        "target_groups": rng.sample(sorted(taxonomy["target_groups"]), 2),
        "evidence": rng.choice(sorted(taxonomy["evidence_levels"])),
        "sources": [{"title": f"Raport {index}", "publisher": "Wydawca", "url": f"https://example.org/raport/{index}"}],
        "updated": "2026-11-23", "translations": _translations(),
    }
    if standards:
        standard = rng.choice(standards)
        record["criteria"] = [{"standard": standard["id"], "criterion": rng.choice(standard["criteria"])["id"]}]
    if act_units:
        act_id, unit = rng.choice(act_units)
        record["cites"] = [{"act": act_id, "provision": unit}]
    if methods:
        guide = rng.choice(methods)
        record["method_stages"] = [{"method": guide["id"], "stage": rng.choice(guide["stages"])["id"]}]
    return record


def standard(rng, index: int, taxonomy: dict) -> dict:
    areas = sorted(taxonomy["criterion_areas"])
    return {
        "id": f"standard-{index:04d}", "lang": SOURCE, "title": _texts(rng, 50), "summary": _texts(rng, 300),
        "rule": {"require": [{"level": "mandatory", "at_least": "all"}, {"level": "extended", "at_least": "50%"}],
                 "note": _texts(rng, 150)}, "country": "pl", "themes": ["service-standards"], "target_groups": ["social-welfare-staff"],
        "criteria": [{"id": f"criterion-{n}", "level": "mandatory" if n % 2 else "extended", "area": rng.choice(areas),
                      "requirement": _texts(rng, 200), "evidence": _texts(rng, 100)} for n in range(1, 13)],
        "sources": [{"title": "Model"}], "updated": "2026-11-23", "translations": _translations(),
    }


def act(rng, index: int) -> dict:
    articles = []
    for number in range(1, ARTICLES + 1):
        article_id = units.make(None, "article", number)
        paragraph_ids = {p: units.make(article_id, "paragraph", p) for p in range(1, 3)}
        articles.append({"id": article_id, "number": str(number), "wording": "official",
                         "paragraphs": [{"id": paragraph_ids[p], "number": str(p), "text": _texts(rng, 250),
                                         "points": [{"id": units.make(paragraph_ids[p], "point", q), "number": str(q),
                                                     "text": _texts(rng, 120)} for q in range(1, 4)]}
                                        for p in range(1, 3)],
                         "translations": _translations()})
    return {"id": f"act-{index:03d}", "lang": SOURCE, "title": _texts(rng, 60), "eli": f"DU/2004/{index + 1}", "country": "pl",
            "adopted": "2004-03-12", "consolidated_text": {"reference": "Dz.U. 2024 poz. 1283"}, "themes": ["social-services"],
            "articles": articles, "sources": [{"title": "ISAP"}], "updated": "2026-11-23", "translations": _translations()}


def recommendation(rng, index: int, practices: list, act_units: list) -> dict:
    act_id, unit = rng.choice(act_units)
    return {"id": f"recommendation-{index:04d}", "lang": SOURCE, "title": _texts(rng, 60), "summary": _texts(rng, 300),
            "problem": _texts(rng, 600), "proposal": _texts(rng, 600), "addressee": _texts(rng, 40), "country": "pl",
            "status": "proposed", "legal_basis": [{"act": act_id, "provision": unit}],
            "related_practices": [p["id"] for p in rng.sample(practices, min(2, len(practices)))],
            "themes": ["ngo-cooperation"], "sources": [{"title": "Postulaty"}], "updated": "2026-11-23",
            "translations": _translations()}


def method(rng, index: int, taxonomy: dict, act_units: list) -> dict:
    """A method guide of 8 stages, each with a checklist, provisions, a deadline and indicators."""
    indicators = sorted(taxonomy.get("indicators") or {})
    stages = []
    for number in range(1, 9):
        act_id, unit = rng.choice(act_units)
        stages.append({"id": f"stage-{number}", "title": _texts(rng, 40), "purpose": _texts(rng, 200),
                       "participants": _texts(rng, 100), "inputs": _texts(rng, 100), "outputs": _texts(rng, 100),
                       "legal_requirements": [{"act": act_id, "provision": unit}],
                       "deadlines": [{"when": _texts(rng, 30), "provision": {"act": act_id, "provision": unit}}],
                       "checklist": [{"id": f"item-{n}", "text": _texts(rng, 80)} for n in range(1, 6)],
                       "indicators": rng.sample(indicators, min(3, len(indicators))),
                       "pitfalls": _texts(rng, 200), "hromada": _texts(rng, 150)})
    return {"id": f"method-{index:03d}", "lang": SOURCE, "title": _texts(rng, 60), "summary": _texts(rng, 300),
            "country": "pl", "themes": ["social-services"], "institution_types": [sorted(taxonomy["institution_types"])[0]],
            "legal_basis": [{"act": act_units[0][0], "provision": act_units[0][1]}], "hromada": _texts(rng, 200),
            "stages": stages, "sources": [{"title": "Poradnik", "url": f"https://example.org/poradnik/{index}"}],
            "updated": "2026-11-23", "translations": _translations()}


def _stamp(record: dict, kind: str, schemas: Schemas) -> dict:
    """Record the current source fingerprint in every translations entry, as a translator would."""
    for scope in translations.analyse(record, kind, schemas).scopes:
        for entry in scope.recorded.values():
            entry["source_hash"] = scope.fingerprint
    return record


def _dump(record: dict, path: Path) -> None:
    # JSON is YAML: every record is written as a flow mapping, one per file.
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def generate(target: Path, practices: int, project: Path, seed: int = 1) -> dict:
    """Write a knowledge base with `practices` practices, a tenth as many standards and recommendations,
    and one act and one method guide per hundred practices, into `target` (which gets the project's schemas, taxonomy and site files)."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("schemas", "docs"):
        shutil.copytree(project / name, target / name)
    for name in ("mkdocs.yml", *SHARED_FILES.values()):
        shutil.copy(project / name, target / name)
    taxonomy = load_file(project / "taxonomy.yml", project)[0].data
    counts = {"standard": max(1, practices // 10), "recommendation": max(1, practices // 10), "act": max(1, practices // 100),
              "method": max(1, practices // 100)}
    acts = [act(rng, i) for i in range(counts["act"])]
    act_units = [(a["id"], unit["id"]) for a in acts for article in a["articles"] for unit in article["paragraphs"]]
    standards = [standard(rng, i, taxonomy) for i in range(counts["standard"])]
    methods = [method(rng, i, taxonomy, act_units) for i in range(counts["method"])]
    practice_records = [practice(rng, i, taxonomy, standards, act_units, methods) for i in range(practices)]
    recommendations = [recommendation(rng, i, practice_records, act_units) for i in range(counts["recommendation"])]
    schemas = Schemas(project / "schemas")
    for kind, records in (("practice", practice_records), ("standard", standards),
                          ("recommendation", recommendations), ("act", acts), ("method", methods)):
        (target / KINDS[kind]).mkdir()
        for record in records:
            _dump(_stamp(record, kind, schemas), target / KINDS[kind] / f"{record['id']}.yml")
    return {"practice": practices, **counts}
