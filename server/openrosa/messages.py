"""Human-readable OpenRosa messages in Chinese and English, keyed by stable codes.

Collect shows the first `<message>` of an OpenRosaResponse verbatim, so every error the
OpenRosa surface returns takes its text (and its HTTP status) from this catalogue.
Collect sends no Accept-Language, so the caller passes the evaluation's default language.
"""

LANGUAGES = ("zh", "en")

# code: (HTTP status, English, Chinese). Placeholders are str.format fields.
CATALOGUE = {
    "submission.success": (
        201, "Submission received. Thank you!", "提交成功，谢谢！"),
    "submission.duplicate": (
        202, "This submission had already been received; nothing was changed.",
        "该问卷此前已成功提交，本次未作任何更改。"),
    "submission.duplicate_conflict": (
        409, "A submission with this instance ID already exists with different content. "
             "Edit the saved form and send it again as an edit.",
        "已存在相同实例编号（instanceID）但内容不同的问卷。请在手机上编辑该问卷后作为修改重新提交。"),
    "submission.deprecated_not_found": (
        404, "The submission being edited ({deprecated_id}) does not exist on the server.",
        "要修改的原问卷（{deprecated_id}）在服务器上不存在。"),
    "submission.deprecated_not_current": (
        409, "The submission being edited ({deprecated_id}) has already been edited since.",
        "要修改的原问卷（{deprecated_id}）已被修改过，请先获取最新版本。"),
    "submission.missing_xml": (
        400, "Required multipart field xml_submission_file is missing.",
        "缺少必需的 xml_submission_file 字段。"),
    "submission.malformed_xml": (
        400, "The submission XML could not be read: {detail}",
        "无法读取提交的 XML：{detail}"),
    "submission.doctype_forbidden": (
        400, "The submission XML must not contain a DOCTYPE declaration.",
        "提交的 XML 不得包含 DOCTYPE 声明。"),
    "submission.entities_forbidden": (
        400, "The submission XML must not declare or reference entities.",
        "提交的 XML 不得声明或引用实体。"),
    "submission.missing_form_id": (
        400, "The submission XML has no form id (the root element's id attribute).",
        "提交的 XML 缺少表单编号（根元素的 id 属性）。"),
    "submission.missing_instance_id": (
        400, "The submission XML has no instance ID (meta/instanceID).",
        "提交的 XML 缺少实例编号（meta/instanceID）。"),
    "submission.too_large": (
        413, "The submission is too large (limit {limit} bytes).",
        "提交内容过大（上限 {limit} 字节）。"),
    "submission.truncated": (
        400, "The upload was incomplete. Please send it again.",
        "上传不完整，请重新发送。"),
    "submission.bad_attachment_name": (
        400, "An attachment has an unusable file name.", "附件文件名无效。"),
    "form.not_found": (
        404, "The form '{form_id}' does not exist on this server.",
        "服务器上不存在表单“{form_id}”。"),
    "form.version_not_found": (
        404, "Version '{version}' of form '{form_id}' does not exist on this server.",
        "表单“{form_id}”的版本“{version}”在服务器上不存在。"),
    "form.closed": (
        409, "The form '{form_id}' is closed and no longer accepts submissions.",
        "表单“{form_id}”已关闭，不再接收提交。"),
    "evaluation.not_found": (
        404, "There is no evaluation '{evaluation}' on this server. Check the server URL.",
        "服务器上没有评估项目“{evaluation}”，请检查服务器地址。"),
    "submission.not_multipart": (
        400, "A submission must be sent as multipart/form-data.",
        "提交必须以 multipart/form-data 格式发送。"),
    "media.not_found": (
        404, "The file '{filename}' does not exist for this form.",
        "该表单没有文件“{filename}”。"),
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
    template = zh if lang == "zh" else en
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


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
