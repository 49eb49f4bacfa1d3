"""Problems found in the input, as data. Stages collect them; reporters print them."""
from __future__ import annotations

from dataclasses import dataclass, field, asdict


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


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def extend(self, issues) -> None:
        self.issues.extend(issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Issue]:
        return sorted(set(self.issues))
