"""Evidence and consent rules: the photos that prove the visit, and answers only with consent."""
from forms.contract import NO, YES
from server.recusal.rulebase import Hit, Param, Skip, rule
from server.recusal.vectors import SUBSTANTIVE

PHOTOS = ("photo_house", "photo_inside", "photo_sign")


@rule("EVD-01", answers=True, theme="evidence", severity="review",
      title=("缺少必需的照片", "Required photos missing"),
      about=("同意受访的访谈缺少必需的照片（房屋外观、室内、签字或手印），或照片文件没有上传。",
             "A consented interview lacks a required photo (house, interior, signature or thumbprint), "
             "or the photo file never arrived."),
      needs=PHOTOS,
      params=(Param("photos", list(PHOTOS), "the photos every consented interview needs",
                    about_zh="每份同意受访的访谈都要有的照片", kind="list",
                    choices=PHOTOS),))
def photos_missing(case, params):
    if case.has("consent") and case.answer("consent") == NO:
        return None  # a refusal has nothing to photograph
    missing, absent_files = [], []
    for key in params["photos"]:
        name = case.answer(key)
        if not name:
            missing.append(key)
        elif name not in case.attachments:
            absent_files.append(key)
    if not missing and not absent_files:
        return None
    keys = missing + absent_files
    return Hit({"not_taken": missing, "not_received": absent_files},
               "缺少照片：" + "、".join(keys), "Photos missing: " + ", ".join(keys))


@rule("EVD-02", theme="evidence", severity="review",
      title=("拒绝受访但有答案", "Consent refused but answers present"),
      about=("受访者拒绝接受访问，问卷中却有实质性答案。", "The respondent refused the interview, yet the "
             "form holds substantive answers."),
      needs=("consent",))
def answers_without_consent(case, params):
    consent = case.answer("consent")
    if consent in (None, ""):
        return Skip("no answer for 'consent'")
    if consent == YES:
        return None
    answered = sorted(k for k in SUBSTANTIVE if case.answer(k) not in (None, "", []))
    if not answered:
        return None
    return Hit({"consent": consent, "answered": answered},
               f"拒绝受访，但有{len(answered)}项答案", f"Consent refused, but {len(answered)} item(s) answered")
