"""Problems found in the input, as data. Stages collect them; reporters print them."""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    field: str = ""
    severity: str = "error"  # "error" fails the run; "warning" is shown but does not

    def as_dict(self) -> dict:
        return asdict(self)
