"""Record pages rendered by forked workers, one per core: they are independent of each other.
The workers inherit the renderer (the whole knowledge base) from the fork; only record keys go
out and page texts come back."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

MIN_RECORDS = 200  # below this, starting workers costs more than it saves

_WORKER = None  # (renderer, families) in a forked worker


def available(jobs: int, records: list) -> bool:
    return jobs > 1 and len(records) >= MIN_RECORDS and "fork" in multiprocessing.get_all_start_methods()


def render_in_workers(renderer, families: list, records: list, jobs: int, meanwhile) -> dict:
    """Each family's make over shares of `records` in workers (a worker makes every family's
    pages of its records, so what they share, like a record's QR code, is made once), while
    this process runs `meanwhile()`; returns both results merged."""
    global _WORKER
    _WORKER = (renderer, families)
    shares = [[(r.kind, r.id) for r in records[start::jobs]] for start in range(jobs)]
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = [pool.submit(_render_share, share) for share in shares]
            files = meanwhile()
            for part in pending:
                files.update(part.result())
    finally:
        _WORKER = None
    return files


def _render_share(keys: list) -> dict:
    renderer, families = _WORKER
    records = [renderer.kb.get(kind, record_id) for kind, record_id in keys]
    return {path: text for family in families for path, text in family.make(renderer, records).items()}
