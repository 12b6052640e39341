"""Why a submission (or a form or file it names) is refused: stable codes, each with the HTTP status it
means and its text in English and Chinese.

The domain raises these; every surface renders them its own way (OpenRosa puts the text in an
OpenRosaResponse, which Collect shows verbatim). Placeholders are str.format fields.
"""
from server.infra.errors import Problem

# code: (HTTP status, English, Chinese)
REFUSALS = {
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
        413, "The submission is too large (at most {limit_mb} MB in one upload).",
        "提交内容过大（单次上传最多 {limit_mb} MB）。"),
    "submission.xml_too_large": (
        413, "The form data (XML) is too large (at most {limit} bytes).",
        "问卷数据（XML）过大（最多 {limit} 字节）。"),
    "submission.field_too_large": (
        413, "The field '{name}' of the upload is too large (at most {limit} bytes).",
        "上传中的字段“{name}”过大（最多 {limit} 字节）。"),
    "submission.too_many_parts": (
        413, "The upload has too many parts (at most {limit} files and fields in one upload).",
        "上传包含的部分过多（单次最多 {limit} 个文件和字段）。"),
    "submission.part_headers_too_large": (
        413, "A part of the upload has headers that are too long (at most {limit} bytes).",
        "上传中某一部分的头信息过长（最多 {limit} 字节）。"),
    "submission.no_boundary": (
        400, "The upload names a multipart boundary that its first {limit} bytes do not contain.",
        "上传声明的分隔符（boundary）未出现在正文的前 {limit} 字节中。"),
    "submission.instance_id_too_long": (
        400, "The instance ID is too long (at most {limit} characters).",
        "实例编号（instanceID）过长（最多 {limit} 个字符）。"),
    "submission.xml_not_utf8": (
        400, "The form data (XML) is not in UTF-8.",
        "问卷数据（XML）不是 UTF-8 编码。"),
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
    "form.not_in_audience": (
        403, "The form '{form_id}' is meant for other teams than yours; this interview was not accepted. "
             "Tell your supervisor.",
        "表单“{form_id}”不是发给您所在小组的，本次提交未被接收。请告知督导。"),
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
}


class Refused(Problem):
    """A refusal with a code from REFUSALS; `params` fill its message in either language."""

    def __init__(self, code, **params):
        status, english, _ = REFUSALS[code]
        super().__init__(code, fill(english, params), status=status, details=params)
        self.params = params

    def localized(self, lang):
        _, english, chinese = REFUSALS[self.code]
        return fill(chinese if lang == "zh" else english, self.params)


def fill(template, params):
    """A message never itself fails: a missing placeholder is left visible."""
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def coded(code, **params):
    """Raise-ready refusal: `raise coded("form.closed", form_id=...)`."""
    return Refused(code, **params)
