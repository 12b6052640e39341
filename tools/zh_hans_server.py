"""The zh-Hans texts of what the server's Python code says to people (`msg(...)`, `documented(...)`; the
gettext domain "server"): `python tools/catalogues.py` writes them into
server/translations/zh_Hans/LC_MESSAGES/server.po. The key is the English text (the msgid)."""
ZH = {
    '%(actor)s decided on this interview (%(decision)s) after you opened it; read their decision '
    'before making yours.':
        '您打开此页面后，%(actor)s 已对这份访谈作出决定（%(decision)s）；请先阅读其决定，再作出您的决定。',
    '%(count)d answer(s) are not valid for their question type: %(shown)s': '%(count)d 个答案与其题型不符：%(shown)s',
    '%(errors)d error(s) in %(records)d record(s); nothing was applied.':
        '%(records)d 条记录中有 %(errors)d 处错误；本批全部未导入。',
    '%(level)r is not a level': '%(level)r 不是有效的层级',
    '%(name)r does not decrypt cleanly (damaged file?).': '%(name)r 解密结果不完整（文件是否损坏？）。',
    '%(name)r is not a usable file name.': '%(name)r 不是可用的文件名。',
    '%(name)s is a date written YYYY-MM-DD, not %(value)r.': '%(name)s 应为 YYYY-MM-DD 格式的日期，而不是 %(value)r。',
    '%(name)s is true or false.': '%(name)s 应为 true 或 false。',
    '%(path)r is a folder, not a file. Give the file inside it.': '%(path)r 是文件夹，不是文件。请给出其中的文件。',
    '%(refused)d of %(units)d units may not go to %(username)s; nothing was assigned.':
        '%(units)d 个单元中有 %(refused)d 个不能分配给 %(username)s；本次未分配任何单元。',
    "`fieldcheck enumerators list CODE` shows the evaluation's enumerators.":
        '`fieldcheck enumerators list CODE` 可列出本评估的调查员。',
    '`fieldcheck enumerators rotate-token CODE USERNAME` gives them one.':
        '`fieldcheck enumerators rotate-token CODE USERNAME` 可为其生成令牌。',
    '`fieldcheck evaluations list` shows the codes in use; choose another.':
        '`fieldcheck evaluations list` 可列出已用的代码；请换一个。',
    '`fieldcheck evaluations list` shows the evaluation codes.': '`fieldcheck evaluations list` 可列出评估代码。',
    '`fieldcheck forms list CODE` shows the form ids.': '`fieldcheck forms list CODE` 可列出问卷的 id。',
    '`fieldcheck forms list CODE` shows the forms of the evaluation and their ids.':
        '`fieldcheck forms list CODE` 可列出本评估的问卷及其 id。',
    '`fieldcheck pipeline failures CODE` shows the events that failed.':
        '`fieldcheck pipeline failures CODE` 可列出失败的事件。',
    "`fieldcheck samples list CODE` shows the evaluation's samples.":
        '`fieldcheck samples list CODE` 可列出本评估的样本。',
    "`fieldcheck tokens list CODE` shows the evaluation's tokens.":
        '`fieldcheck tokens list CODE` 可列出本评估的令牌。',
    'A batch holds at most %(limit)d records; this one has %(count)d. Split it.':
        '每批最多 %(limit)d 条记录，本批有 %(count)d 条，请拆分。',
    'A decision needs a written reason of at least %(count)d characters.': '作出决定须写明理由，至少 %(count)d 个字。',
    'A file holds at most %(limit)d households.': '一个文件最多包含 %(limit)d 户。',
    'A form state is one of %(choices)s.': '问卷状态应为 %(choices)s 之一。',
    'A link needs a written reason of at least %(count)d characters.': '关联须写明理由，至少 %(count)d 个字。',
    'a name or county_code is needed': '需要县名或 county_code',
    'A password needs at least %(count)d characters.': '密码至少需要 %(count)d 个字符。',
    "A pre-issued card token is already another household's.": '预先发放的明白卡令牌已属于另一户。',
    'A re-visit request needs a written reason of at least %(count)d characters.':
        '要求重访须写明理由，至少 %(count)d 个字。',
    'A sample and its units': '一个样本及其单元',
    'A supervisor confirms or rejects a suspected 错评 / 漏评 / 错退, with a reason (audited); the figures '
    'follow at once':
        '督导确认或驳回疑似错评 / 漏评 / 错退，须写明理由（记入审计）；指标随即更新',
    'A supervisor or viewer belongs to an evaluation: name it.': '督导和查看者属于某个评估：请指明是哪个评估。',
    "A supervisor's decision with a written reason: clear the interview, or confirm its exclusion":
        '督导写明理由作出决定：通过这份访谈，或确认将其排除',
    'A token for the archive system': '为档案系统创建令牌',
    'A user named %(username)r already exists.': '用户 %(username)r 已存在。',
    'A verdict needs a written reason of at least %(count)d characters.': '作出判断须写明理由，至少 %(count)d 个字。',
    'Add --evaluation CODE, or make a site admin with --role admin.':
        '请加上 --evaluation CODE，或用 --role admin 创建站点管理员。',
    'Add each file with --media FILE (repeat the option), named as the form writes it; `fieldcheck '
    'forms list CODE` shows what is still missing.':
        '用 --media FILE 逐个加上这些文件（每个文件写一次该选项），文件名须与问卷中的写法一致；`fieldcheck forms list CODE` 会列出仍缺少的文件。',
    'already in use': '已被使用',
    'An admin makes a token on the server; it is printed once. The scope import may read, import the '
    'register and upload forms; read may only read.':
        '管理员在服务器上创建令牌，令牌只显示这一次。import 权限可读取、导入档案和上传问卷；read 权限只能读取。',
    'An area is a 6-, 9- or 12-digit county, township or village code.': '地区应为 6、9 或 12 位的县、乡镇或村代码。',
    'An enumerator named %(username)r already exists here.': '本评估中已有调查员 %(username)r。',
    'An error answer': '错误回复',
    "An evaluation code is 2-63 lowercase letters, digits, '-' or '_', starting with a letter or digit "
    '(it appears in the URLs given to ODK Collect).':
        "评估代码为 2 至 63 个小写字母、数字、'-' 或 '_'，以字母或数字开头（它会出现在发给 ODK Collect 的网址中）。",
    'An evaluation with the code %(code)r already exists.': '代码为 %(code)r 的评估已存在。',
    "An export's progress; when done, its result (rows, statuses it contains) and download URL":
        '导出任务的进度；完成后给出结果（行数、包含的状态）和下载地址',
    'An Idempotency-Key is 1-%(max)d printable characters.': 'Idempotency-Key 应为 1 至 %(max)d 个可打印字符。',
    "An interview against its household's archive record: comparisons, classification, verdicts":
        '访谈与其农户建档立卡档案的核对：比对、分类、判断',
    'An override needs a written justification of at least %(count)d characters.':
        '越过回避须写明理由，至少 %(count)d 个字。',
    'An XLSForm may be at most %(mb)d MB.': 'XLSForm 文件最大为 %(mb)d MB。',
    'Answer': '回复',
    'Assign a household or a village to an enumerator': '把一户或一个村分配给调查员',
    "Assign a sample's live units (or some of them) to an enumerator; all or none":
        '把样本中有效的单元（或其中一部分）分配给调查员；全部分配或全不分配',
    'Assign either one household or one village.': '请分配一户或一个村，二者选一。',
    'Back-check error rates per enumerator, back-checker, field and field type (bcstats)':
        '按调查员、回访员、字段和字段类型统计的回访差错率（bcstats）',
    'Background work that failed for good, with the reason': '彻底失败的后台任务及其原因',
    'Change an enumerator (active flag, locality, display name)': '修改调查员（启用状态、所在地、显示名）',
    'Change your own password; every other session of yours ends, this one is renewed':
        '修改自己的密码；您的其他会话全部结束，本会话续期',
    'Check that the database is running (DATABASE_URL), then try again.': '请检查数据库是否在运行（DATABASE_URL），然后重试。',
    'Check the archive id; the register holds only the households imported.': '请核对档案号；档案中只有已导入的农户。',
    'Check the spelling; `fieldcheck users create` makes a user.': '请检查拼写；`fieldcheck users create` 可创建用户。',
    'checking the records': '检查记录',
    "Choose another name, or change that user's password with `fieldcheck users password NAME`.":
        '请换一个名字，或用 `fieldcheck users password NAME` 修改该用户的密码。',
    'Code': '代码',
    'Columns: see `fieldcheck households import --help`. Errors name the line (CSV, XLSX row) instead '
    'of the record index.':
        '各列说明见 `fieldcheck households import --help`。错误注明所在行（CSV 行、XLSX 行），而不是记录序号。',
    'compiling the XLSForm': '转换 XLSForm',
    'Correct the file where the lines above say and import it again: nothing was imported. `fieldcheck '
    'households template register.xlsx` writes an empty register with every column and its allowed '
    'values.':
        '请按上面各行指出的位置修改文件后重新导入：本次未导入任何记录。`fieldcheck households template register.xlsx` '
        '可生成一个空白档案表，含所有列及其允许的取值。',
    'Correct the XLSForm where the lines above say, then run the same command again.':
        '请按上面各行指出的位置修改 XLSForm，然后再次运行同一命令。',
    'county': '县',
    'Create an API token (the secret is in this answer only)': '创建 API 令牌（密钥只在这次回复中出现）',
    'Create an enumerator (with a Collect token)': '创建调查员（附 Collect 令牌）',
    'date_from %(start)s is after date_to %(end)s.': 'date_from %(start)s 晚于 date_to %(end)s。',
    'Deactivate a user (site admins): no more sign-ins, and every session ends now':
        '停用用户（站点管理员）：不能再登录，所有会话立即结束',
    'Download a finished export (kept for EXPORT_KEEP_HOURS)': '下载已完成的导出（保留 EXPORT_KEEP_HOURS 小时）',
    'Draw a reproducible sample (the seed is recorded)': '抽取可复现的样本（记录随机种子）',
    "Draw a seeded share of each enumerator's interviews for a back-check by another enumerator":
        '按种子从每名调查员的访谈中抽取一定比例，交由另一名调查员回访',
    'drawing back-checks': '抽取回访',
    'drawing the interviews of each enumerator': '逐个调查员抽取访谈',
    'Each line of a .jsonl file is one household record as a JSON object.':
        '.jsonl 文件的每一行是一条农户记录（一个 JSON 对象）。',
    'empty': '为空',
    'enumerator %(username)r comes from the same %(level)s (%(place)s) as the assignment; the recusal '
    'level is %(level)s':
        '调查员 %(username)r 与该任务来自同一%(level)s（%(place)s），而回避层级为%(level)s',
    'Error codes': '错误代码',
    'Errors are {code, message, details}. code is stable: branch on it. message is in the language of '
    'Accept-Language, with the parts shown here as ‹name› filled in.':
        '错误格式为 {code, message, details}。code 是稳定的，程序应据此判断；message 的语言取决于 Accept-Language，此处显示为 ‹名称› '
        '的部分会填入实际内容。',
    'Every error code': '全部错误代码',
    'Every rule: code, titles and explanations (zh/en), default severity, parameters':
        '全部规则：代码、标题和说明（中/英）、默认严重程度、参数',
    'Field': '字段',
    'field_map is a JSON object of key → field name.': 'field_map 应为“键 → 字段名”的 JSON 对象。',
    'fieldcheck API': 'fieldcheck 接口',
    'figure is one of: %(figures)s': 'figure 为以下之一：%(figures)s',
    'For example: `fieldcheck evaluations create county-2020 --name "..."`.':
        '例如：`fieldcheck evaluations create county-2020 --name "..."`。',
    'Give --county NAME or --county-code CODE (6 digits).': '请给出 --county 县名 或 --county-code 代码（6 位）。',
    'Give the .xlsx (or .xls, .csv, .md) file of the XLSForm itself.':
        '请给出 XLSForm 文件本身（.xlsx，或 .xls、.csv、.md）。',
    "Give the enumerator's home county (name or area code).": '请填写调查员的家乡所在县（名称或区划代码）。',
    "Give the form's private key with --private-key FILE, and its passphrase in FIELDCHECK_KEY_PASSPHRASE.":
        '请用 --private-key FILE 给出问卷的私钥，并在 FIELDCHECK_KEY_PASSPHRASE 中给出其口令。',
    "Give the private key whose public key is in this form's settings sheet.": '请给出与该问卷 settings 表中公钥配对的私钥。',
    "Households changed since a change_seq (the archive system's feed)": '某个 change_seq 之后变动的农户（供档案系统同步）',
    'HTTP status': 'HTTP 状态码',
    'importing %(name)s': '导入 %(name)s',
    'Importing a batch of register records': '批量导入建档立卡记录',
    'Interviews with their status, filtered and paged by cursor': '访谈及其状态，可筛选，按游标分页',
    'Keyed by archive_id. Any invalid record rejects the whole batch (422) with every error listed as '
    '{index, archive_id, field, message}. Resending an unchanged record changes nothing. Send '
    '`Idempotency-Key` to make a retry safe: the same key and body get the first reply again; the same '
    'key with another body gets 409. Bodies over 64 MB: 413.':
        '以 archive_id 为键。任何一条记录无效，整批都不导入（422），并列出每处错误 {index, archive_id, field, '
        'message}。重发未改动的记录不会改变任何内容。发送 `Idempotency-Key` 可使重试安全：相同的键和内容会得到第一次的回复；相同的键、不同的内容得到 409。请求体超过 '
        '64 MB：413。',
    'Language': '语言',
    'Line %(line)d is not JSON: %(error)s': '第 %(line)d 行不是 JSON：%(error)s',
    'line %(line)s: %(field)s: %(message)s': '第 %(line)s 行：%(field)s：%(message)s',
    'Link an interview whose card was unknown, unreadable or missing to its registered household '
    '(nothing is created in the register); it is checked and reconciled again':
        '把明白卡不明、无法识读或缺失的访谈关联到其建档农户（不会在档案中新建记录）；随后重新检查和核对',
    'List households, ordered by archive_id, with a cursor': '列出农户，按 archive_id 排序，用游标分页',
    'List the API tokens of an evaluation': '列出评估的 API 令牌',
    'List the enumerators of an evaluation': '列出评估的调查员',
    'Lists are ordered and paged: ask for limit records, then send the next_cursor you got until it is '
    'null. A cursor is only valid for the same list and filters.':
        '列表是有序分页的：按 limit 请求记录，然后把得到的 next_cursor 发回，直到它为 null。游标只对同一列表和同样的筛选条件有效。',
    'Message': '信息',
    'Name the back-check team with --backchecker USERNAME (repeat it), or create enumerators first.':
        '请用 --backchecker 用户名 指定回访人员（可重复），或先创建调查员。',
    'Name the file .csv, .xlsx or .jsonl. `fieldcheck households template register.xlsx` writes an '
    'empty register to fill in.':
        '文件名应以 .csv、.xlsx 或 .jsonl 结尾。`fieldcheck households template register.xlsx` 可生成一个待填写的空白档案表。',
    'Name the file .xlsx or .csv.': '文件名应以 .xlsx 或 .csv 结尾。',
    'Name the form to export (its form_id).': '请指明要导出的问卷（其 form_id）。',
    'Narrow the interviews with --village, --enumerator, --from or --to, or give --format csv.':
        '请用 --village、--enumerator、--from 或 --to 缩小范围，或改用 --format csv。',
    'No enumerator is available for back-checks.': '没有可做回访的调查员。',
    'No household is left in the stratum %(stratum)r.': '层 %(stratum)r 中已没有可替换的农户。',
    'No sign-in needed.': '无需登录。',
    'Notes': '说明',
    'ODK form encryption uses an RSA key.': 'ODK 问卷加密使用 RSA 密钥。',
    'One attachment of a submission (photo, audio, ...), streamed: Range requests, ETag (its sha256), '
    'the original name in Content-Disposition; 410 when the file is missing from the media store':
        '一份提交的一个附件（照片、录音……），流式传输：支持 Range 请求、ETag（其 sha256）、Content-Disposition 中为原文件名；存储中缺失时返回 410',
    'One form with its versions': '一份问卷及其各版本',
    'One household (ID numbers masked)': '一户（证件号码脱敏）',
    'One interview: answers, status, findings with evidence, history of runs, decisions, attachments':
        '一份访谈：答案、状态、发现及证据、检查历史、决定、附件',
    'One version: contract report, warnings, media': '一个版本：约定报告、警告、媒体文件',
    'Only a signed-in user has a password to change.': '只有已登录的用户才能修改密码。',
    'Only a site admin may do this.': '只有站点管理员可以进行此操作。',
    'Only an admin may override a recusal refusal.': '只有管理员可以越过回避规则的拒绝。',
    'Open the file in Excel or WPS and save it again as .xlsx, or save it as CSV UTF-8.':
        '请用 Excel 或 WPS 打开文件，重新另存为 .xlsx，或另存为 CSV UTF-8。',
    'Paging through the register with a cursor': '用游标分页读取档案',
    'Progress and result of a long job': '长任务的进度和结果',
    'province': '省',
    'Publish a draft version': '发布草稿版本',
    'Publish a version before opening the form.': '请先发布一个版本，再开放问卷。',
    'Publish it first: `fieldcheck forms publish CODE FILE`.': '请先发布：`fieldcheck forms publish CODE FILE`。',
    'published': '已发布',
    'publishing': '发布',
    'publishing %(name)s': '发布 %(name)s',
    'Query parameters': '查询参数',
    "Raise the version in the XLSForm's settings sheet, then publish again.":
        '请调高 XLSForm settings 表中的版本号，然后重新发布。',
    'Re-run the pipeline for every current submission (e.g. after a rule change)':
        '对当前全部提交重新运行处理流程（例如修改规则之后）',
    'reading the file': '读取文件',
    'Record why a drawn household was not interviewed and draw its substitute': '记录抽中的农户为何未访，并抽取替换户',
    'Refused with code assignment.recusal (409) when the enumerator comes from the same place at the '
    "evaluation's recusal level, unless an admin gives override_justification.":
        '若调查员与任务在本评估的回避层级上来自同一地方，则以 assignment.recusal（409）拒绝，除非管理员给出 override_justification。',
    'Refused: %(reason)s.': '不予分配：%(reason)s。',
    'Refused: %(count)d assignment(s).': '不予分配：%(count)d 项分配。',
    'exporting': '导出中',
    "Replace the evaluation's rule settings; every current submission is re-checked": '替换评估的规则设置；当前全部提交重新检查',
    'Replace the reconciliation overrides (poverty lines, negative list, endorsement answers, '
    'back-check share, ...); every current submission is reconciled again':
        '替换核对设置（贫困线、负面清单、认可度答案、回访比例……）；当前全部提交重新核对',
    'Request body': '请求体',
    'Required': '必填',
    'Retry a failed event': '重试失败的事件',
    'Revoke an API token': '撤销 API 令牌',
    'Revoke an assignment': '撤销任务',
    "Revoke the household's QR card and issue a new one": '作废农户的明白卡二维码并补发新卡',
    "Revoke the household's QR card without a new one": '作废农户的明白卡二维码，不补发',
    "Rotate an enumerator's token: the old URL and QR code stop working": '为调查员更换令牌：旧地址和旧二维码随即失效',
    'Routes': '接口',
    'Save the file as "CSV UTF-8" (Excel: Save As, CSV UTF-8), or import the .xlsx itself.':
        '请将文件另存为“CSV UTF-8”（Excel：另存为 → CSV UTF-8），或直接导入 .xlsx 文件。',
    'Select interviews, or apply a filter first.': '请先选择访谈，或先应用筛选条件。',
    'Send a .csv, .xlsx or .jsonl file.': '请发送 .csv、.xlsx 或 .jsonl 文件。',
    'Send each media file as a multipart file part.': '请将每个媒体文件作为 multipart 的一个文件部分发送。',
    'Send the export as a JSON object.': '请以 JSON 对象发送导出请求。',
    "Send the file as the multipart form field 'file'.": "请将文件作为 multipart 表单字段 'file' 发送。",
    "Send the XLSForm as the multipart field 'file'.": "请将 XLSForm 作为 multipart 字段 'file' 发送。",
    'Set FIELDCHECK_PASSWORD to a longer password, or type one at the prompt.':
        '请把 FIELDCHECK_PASSWORD 设为更长的密码，或在提示时输入。',
    "Set the evaluation's recusal level (county or township, ...); every current submission is re-checked":
        '设置评估的回避层级（县或乡镇……）；当前全部提交重新检查',
    'Set the state: open (listed), closing (not listed, still accepting), closed':
        '设置状态：open（列出）、closing（不列出，仍接收）、closed（关闭）',
    'Sign a user out everywhere (site admins, or the user themselves)': '让用户在所有地方退出登录（站点管理员或用户本人）',
    'Sign in': '登录',
    'Sign in first.': '请先登录。',
    "Sign in, or send an API token as 'Authorization: Bearer ...'.":
        "请先登录，或以 'Authorization: Bearer ...' 发送 API 令牌。",
    'Sign out (the session ends on the server: a copy of the cookie no longer works)':
        '退出登录（会话在服务器端结束：复制的 cookie 也随即失效）',
    'Some fields of the request are not valid; the details name them.': '请求中有字段无效，details 中列出了这些字段。',
    'Something went wrong on the server; the operator has been told.': '服务器出错了，已通知运维人员。',
    'Split the file by county or township and import each part.': '请按县或乡镇拆分文件，分别导入。',
    'SPSS and Stata exports hold at most %(limit)d interviews (%(total)d match): narrow the filters, '
    'or export CSV.':
        'SPSS 和 Stata 导出最多包含 %(limit)d 份访谈（符合条件的有 %(total)d 份）：请缩小筛选范围，或导出 CSV。',
    "Start an export of one form's interviews (CSV, XLSX, ZIP with media, SPSS, Stata)":
        '开始导出一份问卷的访谈（CSV、XLSX、含媒体的 ZIP、SPSS、Stata）',
    'storing %(name)s': '保存 %(name)s',
    'The back-check targets, with their comparison once done': '回访对象，完成后附比对结果',
    'The body is a JSON array of household records.': '请求体应为农户记录的 JSON 数组。',
    'The body is larger than %(mb)d MB; send smaller batches.': '请求体超过 %(mb)d MB，请分成更小的批次发送。',
    'The body is not JSON: %(error)s': '请求体不是 JSON：%(error)s',
    'The body is not valid UTF-8.': '请求体不是有效的 UTF-8。',
    "The chain's head at the end of a day (?date=YYYY-MM-DD, default today)":
        '某日结束时证据链的链头（?date=YYYY-MM-DD，默认今天）',
    'The code %(code)r is reserved; choose another.': '代码 %(code)r 为系统保留，请换一个。',
    'The Collect settings QR code of an enumerator (image/png)': '调查员的 Collect 配置二维码（image/png）',
    'The Collect settings QR payload of an enumerator': '调查员的 Collect 配置二维码内容',
    'The CSV file is not UTF-8.': 'CSV 文件不是 UTF-8 编码。',
    'The current password is wrong.': '当前密码错误。',
    'The cursor is not one this API gave out; start again without it.': '此游标不是本接口给出的；请不带游标从头开始。',
    'The database is briefly unavailable; send the request again in %(seconds)d seconds.':
        '数据库暂时无法访问，请在 %(seconds)d 秒后重新发送请求。',
    'The date is a day written YYYY-MM-DD.': '日期应写作 YYYY-MM-DD。',
    'The decision is confirm or reject.': '决定应为 confirm（确认）或 reject（驳回）。',
    'The decision is one of %(choices)s.': '决定应为 %(choices)s 之一。',
    'The encrypted part %(name)r has not been received.': '尚未收到加密部分 %(name)r。',
    'The enumerator %(username)r has no Collect token; rotate one first.':
        '调查员 %(username)r 没有 Collect 令牌，请先生成一个。',
    'The enumerator %(username)r is not active.': '调查员 %(username)r 未启用。',
    'The envelope is not XML.': '加密信封不是 XML。',
    'The evaluation report: 两率一度 per county, township and village, flagged households with evidence, '
    'findings, back-checks and the method':
        '评估报告：按县、乡镇、村的两率一度，附证据的问题户、发现、回访和方法说明',
    "The evaluation's forms": '评估的问卷',
    "The evaluation's recusal level (assignments and REC-02)": '评估的回避层级（用于任务分配和 REC-02）',
    "The evaluation's rule settings: its overrides and the effective values": '评估的规则设置：自定义值和生效值',
    'The evaluations the caller may see': '调用者可见的评估',
    'The event %(event_id)s is %(state)s, not failed.': '事件 %(event_id)s 的状态是 %(state)s，不是失败。',
    'The export failed: %(error)s': '导出失败：%(error)s',
    'The import failed: %(error)s': '导入失败：%(error)s',
    'The uploaded file is no longer on the server (the import was interrupted); send it again.':
        '服务器上已没有上传的文件（导入被中断）；请重新发送。',
    'The export is %(state)s; follow its status URL.': '导出状态为 %(state)s；请查看其状态链接。',
    'The fieldcheck API. Authenticate with an API token (`Authorization: Bearer fc_...`, made with '
    '`fieldcheck tokens create`) or sign in with POST /api/v1/session and send the returned csrf_token '
    'as `X-CSRF-Token` on unsafe methods. Errors are `{code, message, details}`: the code is stable, '
    'the message follows Accept-Language (zh-Hans first, English for a request that accepts neither).':
        'fieldcheck 接口。用 API 令牌认证（`Authorization: Bearer fc_...`，由 `fieldcheck tokens create` 创建），或用 '
        'POST /api/v1/session 登录，并在非只读请求中以 `X-CSRF-Token` 发送返回的 csrf_token。错误格式为 `{code, message, '
        'details}`：code 是稳定的，message 的语言取决于 Accept-Language（优先简体中文；请求既不接受中文也不接受英文时用英文）。',
    'The figures (错退率, 漏评率, 错评率, 识别/退出准确率, 认可度, satisfaction) per area, with numerator, denominator, '
    '95% Wilson interval, threshold and pass/fail':
        '各地区的指标（错退率、漏评率、错评率、识别/退出准确率、认可度、满意度），附分子、分母、95% Wilson 区间、阈值和是否达标',
    'The file %(name)r was received but is no longer in the media store; the operator has been told '
    '(see the server log).':
        '文件 %(name)r 已接收，但存储中已找不到；已通知运维人员（见服务器日志）。',
    'The file %(path)r cannot be read: ask its owner for read access, or copy it somewhere you can read.':
        '无法读取文件 %(path)r：请向文件所有者申请读取权限，或把它复制到您能读取的位置。',
    'The filters are a JSON object.': '筛选条件应为 JSON 对象。',
    'The flag is one of %(choices)s.': '标记应为 %(choices)s 之一。',
    'The form %(form_id)r has no version %(version_id)s.': '问卷 %(form_id)r 没有版本 %(version_id)s。',
    'The form %(form_id)r no longer exists.': '问卷 %(form_id)r 已不存在。',
    'The format is one of %(choices)s, not %(value)r.': '格式应为 %(choices)s 之一，而不是 %(value)r。',
    'The format is one of %(choices)s.': '格式应为 %(choices)s 之一。',
    'The household %(archive_id)r has no active card.': '农户 %(archive_id)r 没有有效的明白卡。',
    "The household %(archive_id)r is not in this evaluation's register.": '农户 %(archive_id)r 不在本评估的建档立卡档案中。',
    "The household's current QR card: its token and the URL the QR encodes": '农户当前的明白卡：其令牌和二维码中的网址',
    'The interview %(instance_id)r has no file %(name)r.': '访谈 %(instance_id)r 没有文件 %(name)r。',
    "The interviews behind a figure's numerator or denominator, paged by cursor": '指标分子或分母所依据的访谈，按游标分页',
    'The labels are one of %(choices)s, not %(value)r.': '标签语言应为 %(choices)s 之一，而不是 %(value)r。',
    'The language is one of %(choices)s.': '语言应为 %(choices)s 之一。',
    'The level is one of %(choices)s.': '层级应为 %(choices)s 之一。',
    'The live assignments of an evaluation': '评估中有效的任务',
    'The part is numerator or denominator.': '部分应为 numerator（分子）或 denominator（分母）。',
    "The print sheet of a village's QR cards (HTML, one card per household)": '一个村的明白卡打印页（HTML，每户一张卡）',
    "The private key does not open this submission (another form's key?).": '此私钥无法解开这份提交（是否为另一份问卷的密钥？）。',
    'The private key is protected: give its passphrase.': '私钥受口令保护：请提供口令。',
    'The reason is one of %(choices)s.': '原因应为 %(choices)s 之一。',
    'The reconciliation settings: overrides and the effective values (defaults merged)':
        '核对设置：自定义值和生效值（已合并默认值）',
    'The recusal level is one of %(choices)s.': '回避层级应为 %(choices)s 之一。',
    'The request body is not of a type this address accepts.': '请求体的类型不被此地址接受。',
    'The request is not valid.': '请求无效。',
    'The request is too large.': '请求太大。',
    'The role is one of %(choices)s.': '角色应为 %(choices)s 之一。',
    'The same batch with a year written as text and an unknown field: nothing is imported, and every '
    'error is listed with its record (index), household and field. code stays the same in every '
    'language; message follows Accept-Language.':
        '同一批数据，但年份写成了文本，并有一个未知字段：整批都不导入，每处错误都列出其记录序号（index）、农户和字段。code 在任何语言下都相同；message 的语言取决于 '
        'Accept-Language。',
    'the same household is already record %(index)d of this batch': '同一户已是本批第 %(index)d 条记录',
    'The same, machine-readable (OpenAPI):': '机器可读的同一内容（OpenAPI）：',
    'The sample design is not valid.': '抽样设计无效。',
    'The samples of the evaluation, newest first': '评估的样本，最新的在前',
    'The scope is one of %(choices)s.': '权限范围应为 %(choices)s 之一。',
    'The server is briefly unavailable; try again in a moment.': '服务器暂时无法访问，请稍后再试。',
    'The share is a number above 0 and at most 1.': '比例应为大于 0、不超过 1 的数。',
    'The sort is one of %(choices)s.': '排序方式应为 %(choices)s 之一。',
    'The submission XML cannot be parsed: %(error)s': '提交的 XML 无法解析：%(error)s',
    'The submission XML declares a DOCTYPE or entities.': '提交的 XML 声明了 DOCTYPE 或实体，不予接受。',
    'The submission XML is too large to parse.': '提交的 XML 太大，无法解析。',
    "The submission's signature does not match its parts.": '这份提交的签名与其内容不符。',
    'The tables inside a ZIP are csv or xlsx, not %(value)r.': 'ZIP 中的表格应为 csv 或 xlsx，而不是 %(value)r。',
    'The unit %(unit)s is not in this sample.': '单元 %(unit)s 不在此样本中。',
    'The unit %(unit)s was already replaced (%(outcome)s).': '单元 %(unit)s 已被替换（%(outcome)s）。',
    'The X-CSRF-Token header is missing or wrong.': '缺少 X-CSRF-Token 请求头，或其值不正确。',
    'The XLSX file cannot be read: %(error)s': '无法读取 XLSX 文件：%(error)s',
    'There is no API token %(key)r in this evaluation.': '本评估中没有 API 令牌 %(key)r。',
    'There is no assignment %(key)r.': '没有任务 %(key)r。',
    'There is no enumerator %(key)r in this evaluation.': '本评估中没有调查员 %(key)r。',
    'There is no envelope to decrypt.': '没有可解密的加密信封。',
    'There is no evaluation %(key)r.': '没有评估 %(key)r。',
    'There is no event %(key)r in this evaluation.': '本评估中没有事件 %(key)r。',
    'There is no export %(job_id)r.': '没有导出任务 %(job_id)r。',
    'There is no figure %(figure)r.': '没有指标 %(figure)r。',
    'There is no file %(path)r (looked for %(where)s). Check the name and the folder you run the '
    'command from; `ls` lists the files here.':
        '没有文件 %(path)r（查找的位置：%(where)s）。请检查文件名和运行命令所在的文件夹；`ls` 可列出此处的文件。',
    'There is no form %(key)r in this evaluation.': '本评估中没有问卷 %(key)r。',
    'There is no interview %(key)r in this evaluation.': '本评估中没有访谈 %(key)r。',
    'There is no job %(key)r in this evaluation.': '本评估中没有任务记录 %(key)r。',
    'There is no sample %(key)r in this evaluation.': '本评估中没有样本 %(key)r。',
    'There is no user %(username)r.': '没有用户 %(username)r。',
    'There is nothing at this address.': '此地址下没有内容。',
    'These fields cannot be changed: %(names)s.': '以下字段不能修改：%(names)s。',
    'These fields cannot go to a phone: %(names)s.': '以下字段不能发送到手机：%(names)s。',
    'This address cannot answer in a format the request accepts.': '此地址无法以请求所接受的格式作答。',
    'This address does not accept this method.': '此地址不接受该请求方法。',
    'This API token is unknown or has been revoked.': '此 API 令牌不存在或已被撤销。',
    'This conflicts with the current state; reload and try again.': '与当前状态冲突，请刷新后重试。',
    'This enumerator already has this assignment.': '该调查员已有此任务。',
    'This evaluation has no enumerator %(username)r.': '本评估中没有调查员 %(username)r。',
    'This evaluation has no form %(form_id)r.': '本评估中没有问卷 %(form_id)r。',
    "This export's file has been removed; start the export again.": '此导出的文件已被删除，请重新导出。',
    'This field is required.': '此字段为必填项。',
    'This field is unknown.': '未知字段。',
    'This field may not be null.': '此字段不能为 null。',
    'This form has expired or did not come from this site; reload the page and try again.':
        '表单已过期或并非来自本站，请刷新页面后重试。',
    'This Idempotency-Key was used with a different request body; use a new key for a new batch.':
        '此 Idempotency-Key 已用于内容不同的请求；新的批次请使用新的键。',
    'This interview has not been checked yet.': '这份访谈尚未检查。',
    'This interview has not been reconciled yet.': '这份访谈尚未核对。',
    'This is not a date (YYYY-MM-DD).': '这不是日期（YYYY-MM-DD）。',
    'This is not a date and time (ISO 8601).': '这不是日期时间（ISO 8601）。',
    'This is not a JSON object.': '这不是 JSON 对象。',
    'This is not a list.': '这不是列表。',
    'This is not a number.': '这不是数字。',
    'This is not a PEM private key, or the passphrase is wrong.': '这不是 PEM 格式的私钥，或口令错误。',
    'This is not a string.': '这不是字符串。',
    'This is not a URL.': '这不是网址。',
    'This is not an e-mail address.': '这不是电子邮件地址。',
    'This is not an integer.': '这不是整数。',
    'This is not JSON.': '这不是 JSON。',
    'This is not true or false.': '这不是 true 或 false。',
    'This page link is not valid any more; start from the first page.': '此分页链接已失效，请从第一页开始。',
    'This private key is not protected by a passphrase.': '此私钥没有口令保护（不要提供口令）。',
    'This submission is not an ODK encrypted envelope.': '这份提交不是 ODK 加密信封。',
    'This value is not valid.': '此值无效。',
    'To assign anyway, give --override "the justification" (it goes to the audit log), or choose an '
    'enumerator from elsewhere.':
        '如仍要分配，请用 --override "理由"（理由会记入审计日志），或改派来自其他地方的调查员。',
    'Too many failed sign-ins: try again in %(minutes)d minutes.': '登录失败次数过多，请 %(minutes)d 分钟后再试。',
    'Too many requests; wait a moment and try again.': '请求过于频繁，请稍候再试。',
    'too short': '太短',
    'township': '乡镇',
    'Type': '类型',
    'Units %(units)s are not in sample %(sample)s.': '单元 %(units)s 不在样本 %(sample)s 中。',
    'Units %(units)s were replaced; assign their substitutes.': '单元 %(units)s 已被替换，请分配其替换单元。',
    'Unknown filter(s): %(names)s.': '未知筛选条件：%(names)s。',
    'Unknown parameter(s): %(names)s.': '未知参数：%(names)s。',
    'Unknown status %(value)r: use %(choices)s.': '未知状态 %(value)r：请使用 %(choices)s。',
    'Up to 5,000 records per request, all or none. Send an Idempotency-Key so that a retry after a '
    'lost answer is safe.':
        '每次请求最多 5,000 条记录，全部导入或全不导入。发送 Idempotency-Key，回复丢失后重试也安全。',
    "Upload a CSV or XLSX register file (multipart field 'file'), all or none":
        "上传 CSV 或 XLSX 档案文件（multipart 字段 'file'），全部导入或全不导入",
    'Upload an XLSForm (multipart: file, publish=yes|no, field_map=JSON); converted by a worker':
        '上传 XLSForm（multipart：file、publish=yes|no、field_map=JSON）；由后台任务转换',
    'Upload media files the version references (multipart, one part per file)':
        '上传该版本引用的媒体文件（multipart，每个文件一部分）',
    'Upsert up to 5,000 households, all or none': '新增或更新最多 5,000 户，全部成功或全不导入',
    'Verify the evidence chain against the stored rows and attachment files': '用存储的记录和附件文件校验证据链',
    'Version %(version)r of form %(form_id)r is already published with different content. Change the '
    'version in the XLSForm settings sheet: ODK Collect would otherwise silently replace the form on '
    'phones.':
        '问卷 %(form_id)r 的版本 %(version)r 已以不同内容发布。请在 XLSForm 的 settings 表中修改版本号，否则 ODK Collect 会在手机上悄悄替换问卷。',
    'village': '村',
    'What to do: %(hint)s': '下一步：%(hint)s',
    'Withdraw a household (kept, marked withdrawn)': '撤回一户（保留记录，标记为已撤回）',
    'Withdraw a household, with a reason': '撤回一户，须写明理由',
    'Worked examples': '示例',
    'Workers (last heartbeat), queue lengths and outbox counts (site admins)': '后台进程（最近心跳）、队列长度和待发事件数（站点管理员）',
    'Write the comment first.': '请先填写备注。',
    'writing the records': '写入记录',
    'written': '已写入',
    'Wrong username or password.': '用户名或密码错误。',
    'You cannot deactivate yourself.': '不能停用自己的账号。',
    'You may not do this here.': '您无权在此进行此操作。',
    'You may not do this.': '您无权进行此操作。',
    'Your role in this evaluation may not do this.': '您在本评估中的角色不允许此操作。',
    'Your role may not do this in this evaluation (%(action)s).': '您在本评估中的角色不允许此操作（%(action)s）。',
    # Main's messages since the patch (merged with it).
    'The filter %(field)s is not valid: %(message)s': '筛选条件 %(field)s 无效：%(message)s',
    'There is no webhook delivery %(key)r in this evaluation.': '本评估中没有 webhook 推送 %(key)r。',
    "There is no household %(key)r in this evaluation's register.": '本评估的档案中没有农户 %(key)r。',
    'There is no webhook subscription %(key)r in this evaluation.': '本评估中没有 webhook 订阅 %(key)r。',
    '%(form_id)s has no version yet.': '%(form_id)s 还没有任何版本。',
    '%(name)r is larger than %(mb)d MB.': '%(name)r 超过 %(mb)d MB。',
    '%(username)s already has a role in this evaluation.': '%(username)s 在本评估中已有角色。',
    '%(username)s also works in an evaluation you do not manage (or is a site admin); ask a site admin.':
        '%(username)s 还在您不管理的评估中工作（或是站点管理员）；请联系站点管理员。',
    '%(username)s is a site admin, an admin in every evaluation.': '%(username)s 是站点管理员，在每个评估中都是管理员。',
    "A decryption run: open the encrypted interviews that wait unchecked with the form's private key, so they are "
    "checked and counted like any other (the key is never stored)":
        '解密：用问卷的私钥打开等待检查的加密访谈，使其像其他访谈一样被检查和计入（私钥不会被保存）',
    "A receiver's URL is http:// or https:// with a host name, at most 500 characters.":
        '接收方地址应为带主机名的 http:// 或 https:// 地址，最多 500 个字符。',
    "A sample's coverage: units assigned, interviewed and missing, in total and per stratum":
        '样本的完成情况：已分配、已访问和缺失的单元，合计及分层',
    'A team name has at most %(count)d characters: %(name)s…': '小组名称最多 %(count)d 个字符：%(name)s…',
    "A username is 2-80 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.":
        "用户名为 2 至 80 个小写字母、数字、'.'、'_' 或 '-'，以字母或数字开头。",
    'Add a user with a role: a new username is created with a generated password (in this answer only); an '
    'existing user of another evaluation gets the role here':
        '添加用户并指定角色：新用户名会被创建并生成密码（只在本次回复中给出）；其他评估的已有用户则在此获得该角色',
    "An empty register file to fill in: the current schema's columns with their allowed values":
        '待填写的空白档案文件：当前结构的各列及其允许的取值',
    "An enumerator's live assignments, newest first": '调查员当前有效的分配，最新的在前',
    'At most %(count)d media files in one upload.': '一次上传最多 %(count)d 个媒体文件。',
    'At most %(count)d teams.': '最多 %(count)d 个小组。',
    "Change a user's role in the evaluation (not your own, not a site admin's)":
        '修改用户在本评估中的角色（不能修改自己的或站点管理员的）',
    'Change an enumerator (active flag, locality, display name, team, phone)':
        '修改调查员（启用状态、所在地、显示名称、小组、电话）',
    'Choose events among %(choices)s.': '请从 %(choices)s 中选择事件。',
    'Choose who gets a form: every enumerator (teams null) or the teams named; honoured by the formList, the form '
    'download, its manifest and media, and submissions':
        '选择问卷发给谁：全部调查员（teams 为 null）或指定的小组；问卷列表、问卷下载、其清单和媒体文件以及提交都遵守此设置',
    "Columns: the template (GET .../register/template), `fieldcheck households import --help`. The file is checked "
    "at once, before it is read: at most 100 MB (413 import.too_large), its content must be what its name says (400 "
    "import.not_xlsx, import.old_excel, import.spreadsheet_as_text), an .xlsx whose zip would inflate far beyond "
    "its size is refused (400 import.zip_bomb), a CSV must be UTF-8 (400 import.gbk names the line where GBK text "
    "starts). Otherwise the answer is a job: follow status_url. When done, its result counts received, created, "
    "updated and unchanged records; a refused file's job has failed with result.code and result.details naming "
    "the line (CSV line, XLSX row), the file's column and the field, and nothing was imported.":
        '各列见模板（GET .../register/template）和 `fieldcheck households import --help`。文件在读取前立即检查：'
        '最大 100 MB（413 import.too_large），内容须与文件名相符（400 import.not_xlsx、import.old_excel、'
        'import.spreadsheet_as_text），解压后会远超其大小的 .xlsx 被拒绝（400 import.zip_bomb），CSV 须为 UTF-8 编码'
        '（400 import.gbk 指出 GBK 文本开始的行）。通过检查后返回一个任务：请查看 status_url。完成后，其结果给出收到、'
        '新建、更新和未变的记录数；被拒绝的文件其任务为失败，result.code 和 result.details 指出所在行（CSV 行号、'
        'XLSX 行）、文件中的列和字段，且没有导入任何记录。',
    'This is an old Excel file (.xls) named .xlsx; save it as .xlsx (Excel workbook) and send it again.':
        '这是旧版 Excel 文件（.xls），却以 .xlsx 命名；请另存为 .xlsx（Excel 工作簿）后重新发送。',
    "Upload a CSV, XLSX or JSON-lines register file (multipart field 'file'), all or none; imported by a worker":
        "上传 CSV、XLSX 或 JSON lines 档案文件（multipart 字段 'file'），全部导入或全部不导入；由后台进程导入",
    'Upload an XLSForm (multipart: file, media (repeat), publish=yes|no, field_map=JSON); converted by a worker':
        '上传 XLSForm（multipart：file、media（可重复）、publish=yes|no、field_map=JSON）；由后台进程转换',
    "Which recusal, quality and reconciliation checks a form version supports, and the fields each needs (reasons "
    "in the request's language)":
        '某问卷版本支持哪些回避、质量和核对检查，以及各项所需的字段（原因以请求的语言给出）',
    'You cannot change your own role or account here; ask another admin.': '不能在此修改自己的角色或账号；请联系另一位管理员。',
    'a date is written YYYY-MM-DD': '日期应写为 YYYY-MM-DD',
    'a page holds 1 to %(max)d entries': '每页可有 1 至 %(max)d 条',
    'this page link is not valid any more; start from the first page': '此分页链接已失效；请从第一页开始',
    # Texts that were only in server.po (written there by hand), kept here so that the catalogue is rebuilt whole.
    'Deactivate a user: no more sign-ins anywhere, and their sessions end now':
        '停用用户：不能再在任何地方登录，其会话立即结束',
    'Digest nonce counts cannot be checked now.':
        '暂时无法核对 Digest 随机数计数。',
    "Download a version's XForm: the XML the phones get":
        '下载某版本的 XForm：手机收到的 XML',
    'Download the XLSForm a version was made from (as uploaded)':
        '下载生成该版本的 XLSForm（即上传的原文件）',
    'Enable a disabled subscription; its kept deliveries go out again':
        '重新启用已停用的订阅；保留的推送会再次发出',
    'Example':
        '示例',
    'Give --team or --everyone, not both.':
        '请给出 --team 或 --everyone，不能同时给出。',
    'Give at least one field to change.':
        '请至少给出一个要修改的字段。',
    'Let a deactivated user sign in again':
        '允许已停用的用户重新登录',
    'Line %(line)d is not CSV: %(error)s':
        '第 %(line)d 行不是 CSV：%(error)s',
    'No active household of the register matches this design; import the register first, or check the villages chosen.':
        '档案中没有符合此抽样设计的有效农户；请先导入档案，或检查所选的村。',
    'One enumerator with their quality (interviews, findings per 100, median minutes, back-checks)':
        '一位调查员及其质量（访谈数、每百份发现数、用时中位数、回访）',
    "One file per household (一户一档): a ZIP of its interviews (XML as received, the interview as the feed gives it, media), the chain entries covering them, a manifest with every file's sha256 and a printable summary in Chinese; `fieldcheck chain check-file` verifies it offline":
        '一户一档：该户访谈的 ZIP 文件（收到的 XML、变更流给出的访谈、媒体文件），覆盖它们的证据链条目，列出每个文件 sha256 的清单和可打印的中文摘要；`fieldcheck chain check-file` 可离线校验',
    "Put no user name or password in the URL: every delivery is signed with the subscription's secret instead.":
        '请勿在地址中写用户名或密码：每次推送都会用订阅的密钥签名。',
    'Remove a subscription (its deliveries go with it)':
        '删除订阅（其推送记录一并删除）',
    "Reset a user's password: a generated one, in this answer only; their sessions end":
        '重置用户密码：生成新密码，只在本次回复中给出；其会话结束',
    'Send a delivery again, as soon as possible':
        '尽快重新发送一次推送',
    "Set an enumerator's Digest password (for the server URL without a token)":
        '设置调查员的 Digest 密码（用于不带令牌的服务器地址）',
    'Subscribe a receiver to events; the answer holds the signing secret, shown once':
        '为接收方订阅事件；回复中包含签名密钥，只显示这一次',
    "Take a user's role in the evaluation away (they no longer see it)":
        '取消用户在本评估中的角色（其将不再看到本评估）',
    'Text may not contain the NUL character (U+0000).':
        '文本不能包含 NUL 字符（U+0000）。',
    "The .xlsx file's zip structure is not a spreadsheet's (%(why)s); nothing was read.":
        '该 .xlsx 文件的压缩结构不像电子表格（%(why)s）；未读取任何内容。',
    'The XLSForm of this version is not in the media store.':
        '此版本的 XLSForm 文件不在媒体存储中。',
    'The archive feed: interviews in the order they last changed, resumable by cursor':
        '档案变更流：按最近变更顺序排列的访谈，可用游标续读',
    "The delivery log, newest first: each delivery's state, attempts and answers":
        '推送记录，最新的在前：每次推送的状态、尝试次数和对方回复',
    "The enumerator's details are not valid: %(errors)s":
        '调查员信息有误：%(errors)s',
    "The enumerators' teams, with the number of active enumerators in each":
        '调查员的小组，及每组的在岗调查员人数',
    "The evaluation's audit log, newest first, filtered by actor, action and China days; keyset pages (next_cursor)":
        '本评估的审计日志，最新的在前，可按操作者、操作和日期（中国时间）筛选；按 next_cursor 分页',
    "The evaluation's users with their roles (and the site admins)":
        '本评估的用户及其角色（以及站点管理员）',
    "The evaluation's webhook subscriptions":
        '本评估的 webhook 订阅',
    'The file is empty.':
        '文件是空的。',
    "The file is in GBK (GB18030), not UTF-8 (first at line %(line)d). In Excel choose Save As > 'CSV UTF-8 (comma delimited)', or send the .xlsx.":
        '该文件是 GBK（GB18030）编码，不是 UTF-8（首次出现在第 %(line)d 行）。请在 Excel 中选择“另存为”>“CSV UTF-8（逗号分隔）”，或发送 .xlsx 文件。',
    'The file is larger than %(mb)d MB; split the register into several files (each import is all or nothing).':
        '文件超过 %(mb)d MB；请将档案拆成几个文件（每次导入要么全部成功，要么都不导入）。',
    'The file is not UTF-8 text (line %(line)d).':
        '该文件不是 UTF-8 文本（第 %(line)d 行）。',
    "The file's content is not a .%(kind)s file, whatever its name says.":
        '文件内容不是 .%(kind)s 文件，与文件名不符。',
    'The interviews of one household, newest first':
        '一户的访谈，最新的在前',
    'The job %(job_id)r is not a re-check.':
        '任务 %(job_id)r 不是重新检查任务。',
    'The note is at most %(count)d characters.':
        '备注最多 %(count)d 个字。',
    'The printable A4 sheet (HTML) of Collect settings QR codes':
        'Collect 设置二维码的 A4 打印页（HTML）',
    'The private key file is too large to be a PEM key.':
        '私钥文件太大，不可能是 PEM 密钥。',
    'The private key must be a PEM file.':
        '私钥必须是 PEM 文件。',
    'The teams are not valid: %(reason)s':
        '小组设置有误：%(reason)s',
    'The user %(username)r is not in this evaluation.':
        '用户 %(username)r 不在本评估中。',
    'The villages of the register with their active households (for the card sheets)':
        '档案中的村及其有效农户数（用于打印农户卡）',
    "This cursor belongs to another evaluation's feed.":
        '此游标属于另一个评估的变更流。',
    'This cursor is not one the feed gave out; start without `after` or pass the `next_cursor` of the last page read.':
        '此游标不是变更流给出的；请不带 `after` 从头开始，或传入最后读到的一页的 `next_cursor`。',
    'This file is a spreadsheet, not a .%(kind)s text file; name it .xlsx (or save the sheet as CSV UTF-8).':
        '该文件是电子表格，不是 .%(kind)s 文本文件；请将扩展名改为 .xlsx（或把工作表另存为 CSV UTF-8）。',
    'This form is missing its one-time token; reload the page.':
        '表单缺少一次性令牌；请刷新页面。',
    "Upload a CSV, XLSX or JSON-lines register file (multipart field 'file'), all or none":
        "上传 CSV、XLSX 或 JSON lines 档案文件（multipart 字段 'file'），全部导入或全部不导入",
    'No household of the register lies in village %(village)r.':
        '登记册中没有位于村 %(village)r 的农户。',
    'Every household file (一户一档) of a village in one ZIP, as an export job: follow status_url, then download; inside, <village code>/<archive id>.zip, each verified by `fieldcheck chain check-file`':
        '一个村的全部一户一档文件合为一个 ZIP，作为导出任务：查看 status_url，然后下载；其中每个 <村代码>/<档案号>.zip 均可用 `fieldcheck chain check-file` 校验',
}
