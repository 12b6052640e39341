"""Human-readable OpenRosa messages in Chinese and English, keyed by stable codes.

Collect shows the first `<message>` of an OpenRosaResponse verbatim, so every error the
OpenRosa surface returns takes its text (and its HTTP status) from this catalogue.
Collect sends no Accept-Language, so the caller passes the evaluation's default language.
"""

from server.submissions.refusals import REFUSALS, fill

LANGUAGES = ("zh", "en")

# code: (HTTP status, English, Chinese). The submission domain's refusals, then the protocol's own.
CATALOGUE = {
    **REFUSALS,
    "submission.success": (
        201, "Submission received. Thank you!", "提交成功，谢谢！"),
    "submission.duplicate": (
        202, "This submission had already been received; nothing was changed.",
        "该问卷此前已成功提交，本次未作任何更改。"),
    "auth.required": (
        401, "Please log in with your enumerator account.", "请使用调查员账号登录。"),
    "auth.bad_credentials": (
        401, "Wrong user name or password.", "用户名或密码错误。"),
    "auth.bad_token": (
        403, "This device's access link is invalid or has been revoked. "
             "Scan the new QR code from your supervisor.",
        "本设备的访问链接无效或已被撤销，请向督导索取并扫描新的二维码。"),
    "auth.inactive": (
        403, "This enumerator account is not active.", "该调查员账号未启用。"),
    "auth.forbidden": (
        403, "You may not access this evaluation.", "您无权访问此评估项目。"),
    "openrosa.version_missing": (
        400, "This endpoint requires the header X-OpenRosa-Version: 1.0.",
        "此接口要求请求头 X-OpenRosa-Version: 1.0。"),
    "server.unavailable": (
        503, "The server is briefly unavailable. Please send again in a moment.",
        "服务器暂时无法处理，请稍后重新发送。"),
    "server.error": (
        500, "The server failed to process the request. Please try again later.",
        "服务器处理失败，请稍后重试。"),
}


def status_for(code):
    """HTTP status for a catalogue code (500 for an unknown code)."""
    entry = CATALOGUE.get(code)
    return entry[0] if entry else 500


def message(code, lang="en", **params):
    """The message for `code` in `lang` ("zh" or "en"), with `params` filled in.

    An unknown code falls back to `server.error`; a missing placeholder is left visible
    rather than raising, because an error message must never itself fail.
    """
    _, en, zh = CATALOGUE.get(code) or CATALOGUE["server.error"]
    return fill(zh if lang == "zh" else en, params)


def pick_language(accept_language=None, default="en"):
    """"zh" or "en" for a request: Accept-Language (q-values honoured) else `default`.

    Collect never sends Accept-Language, so `default` is the evaluation's language.
    """
    fallback = default if default in LANGUAGES else "en"
    best, best_q = None, 0.0
    for tag, q in _parse_accept_language(accept_language or ""):
        primary = tag.split("-", 1)[0]
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best or fallback


def _parse_accept_language(value):
    for item in value.split(",")[:32]:  # bounded: a header is client-controlled
        parts = item.strip().lower().split(";")
        tag, q = parts[0].strip().replace("_", "-"), 1.0
        for param in parts[1:]:
            name, _, raw = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(raw)
                except ValueError:
                    q = 0.0
        if tag:
            yield tag, q
