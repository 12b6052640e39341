"""Back-check rules: a back-check re-interviews a drawn household, by another enumerator than the original
one; anything else is listed on the back-check report (server/backchecks/queries.py)."""
from server.recusal.rulebase import Hit, Skip, rule

_WHY = {
    "no_original": ("本户没有原始访谈", "the household has no original interview"),
    "not_drawn": ("本户未被抽中回访", "the household was not drawn for a back-check"),
    "by_original_enumerator": ("回访由原调查员本人完成", "the back-check was done by the original enumerator"),
    "not_assigned_backchecker": ("回访不是由指派的回访员完成", "the back-check was not done by the assigned "
                                 "back-checker"),
}


@rule("BCK-01", theme="backcheck", severity="review",
      title=("回访不符合抽样安排", "Back-check outside the draw"),
      about=("回访问卷针对的农户没有原始访谈、未被抽中回访，或回访由原调查员本人或非指派人员完成。",
             "A back-check of a household with no original interview, of a household that was not drawn, "
             "or done by the original enumerator or by someone other than the assigned back-checker."),
      needs=("hh_qr",))
def backcheck_outside_draw(case, params):
    if case.backcheck is None:
        return None  # an interview, not a back-check
    if case.household is None:
        return Skip("the household is not identified (no valid QR)")
    if case.enumerator is None:
        return Skip("the enumerator is not known")
    reason = _reason(case.backcheck, case.enumerator.id)
    if reason is None:
        return None
    zh, en = _WHY[reason]
    return Hit({"reason": reason, "household": case.household.archive_id,
                "enumerator": case.enumerator.username, "originals": case.backcheck.originals}, zh, en)


def _reason(info, sender):
    if not info.originals:
        return "no_original"
    if not info.targets:
        return "not_drawn"
    if any(original == sender for original, _ in info.targets):
        return "by_original_enumerator"
    if not any(checker == sender for _, checker in info.targets):
        return "not_assigned_backchecker"
    return None
