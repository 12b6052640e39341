"""An interview's status, from its current findings and the supervisors' decisions. Pure.

- excluded: a found finding whose severity is `exclude`, or a supervisor confirmed an exclusion;
- review: a found `review` finding, or (by default) a check that could not run;
- cleared: a supervisor cleared it, with a written reason, and no new problem appeared since;
- clean: nothing else.
A decision covers the finding codes it was made on; a re-check that finds something new lifts it.
"""
from server.recusal.types import COULD_NOT_RUN, FOUND

STATUSES = ("clean", "review", "excluded", "cleared")
# What the interview list shows for an encrypted interview no rule could read (nor the figures count).
ENCRYPTED_NOT_CHECKED = "encrypted_not_checked"
LISTED = STATUSES + (ENCRYPTED_NOT_CHECKED,)


def listed(review_status, encrypted):
    """The status an interview is listed with: its review status, or encrypted_not_checked."""
    if review_status is None and encrypted:
        return ENCRYPTED_NOT_CHECKED
    return review_status


DECISIONS = ("clear", "exclude")


def derived(findings, could_not_run="review"):
    """Status from findings alone (objects with .outcome and .severity)."""
    found = {f.severity for f in findings if f.outcome == FOUND}
    if "exclude" in found:
        return "excluded"
    if "review" in found:
        return "review"
    if could_not_run == "review" and any(f.outcome == COULD_NOT_RUN and f.severity != "info"
                                         for f in findings):
        return "review"
    return "clean"


def flagged_codes(findings):
    """The codes a supervisor's decision is about: every non-info finding, found or not run (never one
    that does not apply)."""
    return sorted({f.code for f in findings if f.severity != "info" and f.outcome in (FOUND, COULD_NOT_RUN)})


def status_of(findings, decision=None, could_not_run="review"):
    """Status from findings and the latest decision (an object with .decision and .codes, or None)."""
    base = derived(findings, could_not_run)
    if decision is None or not set(flagged_codes(findings)) <= set(decision.codes or ()):
        return base
    if decision.decision == "exclude":
        return "excluded"
    return "cleared" if base != "clean" else "clean"
