"""Evaluations and who may act in them."""
import re

from sqlalchemy import select

from server.accounts import audit
from server.infra.errors import Problem, not_found
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Evaluation, Membership

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{1,62}$")
# Codes are the first segment of Collect URLs (`/<code>/formList`), so they must not shadow our routes.
RESERVED_CODES = {"api", "key", "h", "static", "healthz", "dashboard", "login", "logout", "admin", "docs"}


def create_evaluation(code, name, actor="cli", settings=None, default_language="zh"):
    """Create an evaluation. Raises Problem evaluation.bad_code or evaluation.exists."""
    if not CODE_PATTERN.match(code or ""):
        raise Problem("evaluation.bad_code",
                      msg("An evaluation code is 2-63 lowercase letters, digits, '-' or '_', starting with a "
                          "letter or digit (it appears in the URLs given to ODK Collect)."))
    if code in RESERVED_CODES:
        raise Problem("evaluation.bad_code", msg("The code %(code)r is reserved; choose another.", code=code))
    if db.session.execute(select(Evaluation.id).where(Evaluation.code == code)).first():
        raise Problem("evaluation.exists",
                      msg("An evaluation with the code %(code)r already exists.", code=code),
                      409)
    evaluation = Evaluation(code=code, name=name, settings=settings or {},
                            default_language=default_language)
    db.session.add(evaluation)
    db.session.flush()
    audit.record(actor, "evaluation.create", f"evaluation:{evaluation.id}", {"code": code, "name": name},
                 evaluation.id)
    return evaluation


def get_evaluation(code):
    evaluation = db.session.execute(select(Evaluation).where(Evaluation.code == code)).scalar()
    if evaluation is None:
        raise not_found("evaluation", code)
    return evaluation


def role_of(user, evaluation):
    """The user's role in the evaluation ('admin', 'supervisor', 'viewer') or None."""
    if user.is_site_admin:
        return "admin"
    membership = db.session.execute(
        select(Membership.role).where(Membership.user_id == user.id,
                                      Membership.evaluation_id == evaluation.id)).scalar()
    return membership
