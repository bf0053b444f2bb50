"""Findings and per-draft reports, the score, and the exit-status decision."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
SCORE_PENALTY = {"error": 25, "warning": 10, "info": 2}


@dataclass
class Finding:
    """One problem: which rule, where (lines/columns 1-based, offsets 0-based into the file), and what to do."""

    code: str
    name: str
    category: str
    severity: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int
    excerpt: str
    suggestion: str

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FINDING_FIELDS}  # asdict's deep copy, for flat fields


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


@dataclass
class Report:
    """The result of linting one draft."""

    path: str
    stage: str
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    fail_on: str = "error"
    # each family's calibrated confidence that the draft has that problem (decide.py)
    confidence: dict[str, float] = field(default_factory=dict)
    # the parse and profile, and the candidates with their signal vectors, kept only when asked
    # (lint_many(keep_analysis=True)) for rewrites and evaluation
    analysis: Any = field(default=None, repr=False, compare=False)
    judgement: Any = field(default=None, repr=False, compare=False)
    error: str | None = None  # why this draft could not be linted (it then has no findings)

    @property
    def score(self) -> int:
        """100 minus 25 per error, 10 per warning and 2 per info, never below 0."""
        return max(0, 100 - sum(SCORE_PENALTY[f.severity] for f in self.findings))

    def flagged(self, category: str) -> bool:
        """True when the draft has a warning or error in this category."""
        return any(f.category == category and SEVERITY_RANK[f.severity] >= 2 for f in self.findings)

    def fails(self, fail_on: str | None = None) -> bool:
        """Whether a finding reaches `fail_on` (default: the draft's own config's)."""
        fail_on = fail_on or self.fail_on
        if fail_on == "never":
            return False
        return any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "stage": self.stage, "score": self.score, "metrics": self.metrics,
                "confidence": self.confidence, "findings": [f.to_dict() for f in self.findings]}
