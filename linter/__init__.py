"""outreach-lint: a linter for drafted LinkedIn outreach messages.

    from linter import lint
    report = lint("Hi Joanne, thanks for connecting! ...", stage="post-connection")
    for finding in report.findings: print(finding.code, finding.excerpt)
"""
from .config import Config, Sender
from .engine import Source, lint, lint_many
from .errors import UserError
from .profile import Profile
from .report import Finding, Report

__all__ = ["Config", "Finding", "Profile", "Report", "Sender", "Source", "UserError", "lint", "lint_many"]
__version__ = "0.1.0"
