"""kb: validate YAML records of a multilingual knowledge base and compile them into a MkDocs site.

Pipeline, one module per stage: load → validate → model → render → build.
"""
from pathlib import Path

LANGUAGES = ("pl", "uk", "en")
DEFAULT_LANGUAGE = "pl"

# Record kind → folder, in the order catalogues are listed.
KINDS = {
    "practice": "practices",
    "standard": "standards",
    "recommendation": "recommendations",
    "act": "acts",
}

PACKAGE_DIR = Path(__file__).resolve().parent
