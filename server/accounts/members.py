"""Who belongs to an evaluation and with what role, managed by those allowed "users" there (roles.py).

An evaluation's admin adds people (a new user gets a generated password, shown once) or gives an existing
user a role here, changes or removes roles, resets passwords and deactivates accounts. Accounts are shared
between evaluations, so an evaluation's admin may reset or deactivate only someone who belongs to no
evaluation they do not manage, and never a site admin: managing one evaluation must not open another.
Nobody changes their own role or deactivates themselves (no one locks the evaluation out by a slip).
Every change is audited in the evaluation. Domain code: the caller commits.
"""
import re

from sqlalchemy import select

from server.accounts import audit, users
from server.accounts.evaluations import role_of
from server.accounts.roles import ROLES, allowed
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Evaluation, Membership, User

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


def members(evaluation):
    """[{user, role, site_admin}] of everyone who may see the evaluation, by username: its members and the
    site admins (admins everywhere)."""
    rows = db.session.execute(
        select(User, Membership.role).outerjoin(Membership, (Membership.user_id == User.id)
                                                & (Membership.evaluation_id == evaluation.id))
        .where((Membership.id.is_not(None)) | User.is_site_admin.is_(True)).order_by(User.username)).all()
    return [{"user": u, "role": "admin" if u.is_site_admin else role, "site_admin": u.is_site_admin}
            for u, role in rows]


def find_member(evaluation, username):
    """The user `username` if they may see the evaluation; Problem user.not_found (404) otherwise, so the
    users of other evaluations do not show."""
    user = db.session.execute(select(User).where(User.username == username)).scalar()
    if user is None or role_of(user, evaluation) is None:
        raise _not_member(username)
    return user


def add(evaluation, username, role, actor, display_name=""):
    """Give `username` the role `role` here: a new user is created with a generated password, an existing
    one (from another evaluation) is added. Returns (user, password or None when the user existed).

    Raises Problem account.bad_role, account.bad_username (422), member.exists (409).
    """
    _check_role(role)
    username = (username or "").strip()
    user = db.session.execute(select(User).where(User.username == username)).scalar()
    if user is None:
        if not USERNAME.match(username):
            raise Problem("account.bad_username", msg("A username is 2-80 lowercase letters, digits, '.', "
                                                      "'_' or '-', starting with a letter or digit."), 422,
                          [{"field": "username", "message": "not a username"}])
        password = users.new_password()
        user = users.create_user(username, password, role, evaluation, display_name=display_name.strip(),
                                 actor=actor)
        return user, password
    if role_of(user, evaluation) is not None:
        raise Problem("member.exists", msg("%(username)s already has a role in this evaluation.",
                                           username=username), 409,
                      [{"field": "username", "message": "already a member"}])
    db.session.add(Membership(user_id=user.id, evaluation_id=evaluation.id, role=role))
    audit.record(actor, "member.add", f"user:{user.id}", {"username": username, "role": role}, evaluation.id)
    return user, None


def set_role(evaluation, user, role, actor, acting_user=None):
    """Change `user`'s role here.

    Raises Problem account.bad_role (422), member.self (409), member.site_admin (409)."""
    _check_role(role)
    membership = _membership(evaluation, user, acting_user)
    before = membership.role
    membership.role = role
    audit.record(actor, "member.role", f"user:{user.id}",
                 {"username": user.username, "before": before, "after": role}, evaluation.id)


def remove(evaluation, user, actor, acting_user=None):
    """Take `user`'s role here away: they no longer see the evaluation (404), from their next request."""
    membership = _membership(evaluation, user, acting_user)
    audit.record(actor, "member.remove", f"user:{user.id}",
                 {"username": user.username, "role": membership.role}, evaluation.id)
    db.session.delete(membership)


def reset_password(evaluation, user, actor, acting_user=None):
    """A new generated password for `user` (returned, to be shown once); their sessions end and a
    lockout is lifted. Raises Problem member.not_manageable (403)."""
    check_manageable(evaluation, user, acting_user)
    password = users.new_password()
    users.change_password(user, password, actor, evaluation.id, {"reset": True})
    return password


def deactivate(evaluation, user, actor, acting_user=None):
    """`user` can no longer sign in anywhere, and their sessions end now. Raises Problem member.self (409),
    member.not_manageable (403)."""
    _not_self(user, acting_user)
    check_manageable(evaluation, user, acting_user)
    users.deactivate_user(user, actor, evaluation.id)


def activate(evaluation, user, actor, acting_user=None):
    check_manageable(evaluation, user, acting_user)
    users.activate_user(user, actor, evaluation.id)


def check_manageable(evaluation, user, acting_user):
    """Raise Problem member.not_manageable (403) unless `acting_user` (None: the operator's CLI) may reset
    or deactivate `user`: a site admin may; otherwise `user` is no site admin and every evaluation `user`
    belongs to is one where `acting_user` may manage users."""
    if acting_user is None or acting_user.is_site_admin:
        return
    elsewhere = db.session.execute(
        select(Evaluation).join(Membership, Membership.evaluation_id == Evaluation.id)
        .where(Membership.user_id == user.id, Evaluation.id != evaluation.id)).scalars()
    if user.is_site_admin or any(not allowed(role_of(acting_user, e), "users") for e in elsewhere):
        raise Problem("member.not_manageable", msg("%(username)s also works in an evaluation you do not "
                                                   "manage (or is a site admin); ask a site admin.",
                                                   username=user.username), 403)


def _membership(evaluation, user, acting_user):
    _not_self(user, acting_user)
    if user.is_site_admin:
        raise Problem("member.site_admin", msg("%(username)s is a site admin, an admin in every "
                                               "evaluation.", username=user.username), 409)
    membership = db.session.execute(select(Membership).where(
        Membership.user_id == user.id, Membership.evaluation_id == evaluation.id)).scalar()
    if membership is None:
        raise _not_member(user.username)
    return membership


def _not_member(username):
    return Problem("user.not_found", msg("The user %(username)r is not in this evaluation.",
                                         username=username), 404)


def _not_self(user, acting_user):
    if acting_user is not None and acting_user.id == user.id:
        raise Problem("member.self", msg("You cannot change your own role or account here; ask another "
                                         "admin."), 409)


def _check_role(role):
    if role not in ROLES:
        raise Problem("account.bad_role", msg("The role is one of %(choices)s.", choices=", ".join(ROLES)),
                      422, [{"field": "role", "message": "not a role"}])
