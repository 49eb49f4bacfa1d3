"""Stage 2: check every record against its schema, then against the rules of the collection.
Collects all problems in one run; never stops at the first.

schema.py checks one record against its JSON Schema; rules.py holds every rule, one function
each; messages.py words every issue; index.py gathers what records may refer to."""
from __future__ import annotations

from .. import SHARED_FILES, pausing_gc
from ..issues import Issue
from ..load import Tree
from ..schemas import Schemas
from .rules import COLLECTION_RULES, RULES, context_for


@pausing_gc
def validate_tree(tree: Tree, schemas: Schemas, memo: dict | None = None) -> list[Issue]:
    """Every problem in the knowledge base. With a memo (the preview keeps one), a rule's result
    for a file is reused while the file and the facts the rule reads are unchanged."""
    context = context_for(tree, schemas)
    documents = [(kind, getattr(tree, kind)) for kind in SHARED_FILES if getattr(tree, kind) is not None]
    documents += [(kind, document) for kind, kind_documents in tree.records.items() for document in kind_documents]
    issues: list[Issue] = []
    for rule in RULES:
        facts = tuple(context.index.fingerprint(fact) for fact in rule.reads)
        rule_context = context.for_rule(rule)
        for kind, document in documents:
            if kind not in rule.kinds:
                continue
            if memo is None:
                issues += rule.check(document, kind, rule_context)
                continue
            key = (rule.name, kind, document.path, document.digest, schemas.digest, facts)
            if key not in memo:
                memo[key] = rule.check(document, kind, rule_context)
            issues += memo[key]
    for collection_rule in COLLECTION_RULES:
        issues += collection_rule(tree)
    return issues
