"""What each role (and each API token scope) may do in its evaluation: the one table the API, the
dashboard and the CLI all read. The README's "Roles" section is generated from it (`fieldcheck roles`).

An admin manages users, roles and settings; a supervisor runs the fieldwork (forms, enumerators, the
register and its cards, samples and assignments, review, exports); a viewer reads. The archive system's
bearer tokens keep their own scopes. "id_numbers" (ID numbers in full) is granted to no role: pages and
exports mask them.
"""

# action: (Chinese, English) — what the action covers.
ACTIONS = {
    "read": ("查看访谈、发现、核对结果、图表、档案（证件号码脱敏）",
             "see interviews, findings, reconciliation, figures and the register (ID numbers masked)"),
    "review": ("审核访谈、确认或排除发现、更正分类、重试失败的处理",
               "review interviews, clear or exclude findings, correct classifications, retry failed steps"),
    "export": ("导出数据、下载附件和报告", "export data, download attachments and the report"),
    "feed": ("读取变更流（归档系统取回访谈、发现和审核结果）",
             "read the changes feed (the archive system takes the interviews, findings and decisions)"),
    "forms": ("上传、发布、关闭和重新开放问卷，设置问卷对象", "upload, publish, close and reopen forms; "
              "choose who receives them"),
    "enumerators": ("创建、修改、停用调查员，重新配置手机，打印二维码",
                    "create, edit and deactivate enumerators, re-provision phones, print their QR codes"),
    "register": ("导入建档立卡档案，补发和作废明白卡，打印农户卡",
                 "import the register, reissue and revoke cards, print the households' cards"),
    "samples": ("抽样、替换样本、分配样本和回访", "draw samples and back-checks, substitute units, assign them"),
    "override_recusal": ("批准回避规则的例外分配（须写明理由）",
                         "approve an assignment the recusal rules refuse (with a justification)"),
    "settings": ("修改规则、核对和图表设置，重新检查", "change the rule, reconciliation and figures "
                 "settings; start a re-check"),
    "users": ("管理用户、角色和 API 令牌", "manage users, roles and API tokens"),
}

FIELDWORK = {"read", "review", "export", "feed", "forms", "enumerators", "register", "samples"}

# role or token scope: the actions it may do in its evaluation.
PERMISSIONS = {
    "admin": FIELDWORK | {"override_recusal", "settings", "users"},
    "supervisor": set(FIELDWORK),
    "viewer": {"read"},
    "token:import": {"read", "feed", "register", "forms"},
    "token:read": {"read", "feed"},
}
ROLES = ("admin", "supervisor", "viewer")
SCOPES = ("import", "read")
COLUMNS = (*ROLES, *(f"token:{s}" for s in SCOPES))
# role or token scope: (Chinese, English) as people read it.
NAMES = {"admin": ("管理员", "admin"), "supervisor": ("督导", "supervisor"), "viewer": ("只读用户", "viewer"),
         "token:import": ("导入令牌", "import token"), "token:read": ("只读令牌", "read token")}


def allowed(role, action):
    """True if `role` (a user's role or "token:<scope>", None for no access) may do `action`."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    return action in PERMISSIONS.get(role, ())


def table():
    """Rows (action, zh, en, {role: bool}) in the order of ACTIONS, for the README and `fieldcheck roles`."""
    return [(action, zh, en, {c: action in PERMISSIONS[c] for c in COLUMNS})
            for action, (zh, en) in ACTIONS.items()]
