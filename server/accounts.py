"""Web users and enumerators: creation, passwords, and the token in an enumerator's Collect URL."""
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from server import audit, secrets_box
from server.errors import Problem
from server.extensions import db
from server.models import ROLES, Enumerator, Membership, User
from server.models.types import utcnow

DIGEST_REALM = "fieldcheck"
MIN_PASSWORD = 10


def check_password_strength(password):
    if len(password or "") < MIN_PASSWORD:
        raise Problem("account.weak_password", f"A password needs at least {MIN_PASSWORD} characters.")


def create_user(username, password, role, evaluation=None, display_name="", actor="cli"):
    """Create a web user. Without an evaluation, role 'admin' makes a site admin.

    Raises Problem account.bad_role, account.exists, account.weak_password.
    """
    if role not in ROLES:
        raise Problem("account.bad_role", f"The role must be one of {', '.join(ROLES)}.")
    if evaluation is None and role != "admin":
        raise Problem("account.needs_evaluation", "A supervisor or viewer belongs to an evaluation "
                                                  "(--evaluation CODE).")
    check_password_strength(password)
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise Problem("account.exists", f"A user named {username!r} already exists.", 409)
    user = User(username=username, display_name=display_name or username,
                password_hash=generate_password_hash(password), is_site_admin=evaluation is None)
    db.session.add(user)
    db.session.flush()
    if evaluation is not None:
        db.session.add(Membership(user_id=user.id, evaluation_id=evaluation.id, role=role))
    audit.record(actor, "user.create", f"user:{user.id}",
                 {"username": username, "role": role}, evaluation and evaluation.id)
    return user


def verify_user(username, password):
    user = db.session.execute(select(User).where(User.username == username)).scalar()
    if user and user.active and check_password_hash(user.password_hash, password):
        return user
    return None


def create_enumerator(evaluation, username, *, county, township, village, display_name="",
                      password=None, actor="cli", **place):
    """Create an enumerator with a fresh Collect token (and Digest credentials if a password is given).

    Returns (enumerator, token). Raises Problem account.exists, account.weak_password.
    """
    exists = select(Enumerator.id).where(Enumerator.evaluation_id == evaluation.id,
                                         Enumerator.username == username)
    if db.session.execute(exists).first():
        raise Problem("account.exists", f"An enumerator named {username!r} already exists here.", 409)
    enumerator = Enumerator(evaluation_id=evaluation.id, username=username,
                            display_name=display_name or username, county=county, township=township,
                            village=village, **place)
    if password is not None:
        set_enumerator_password(enumerator, password)
    db.session.add(enumerator)
    db.session.flush()
    token = rotate_token(enumerator, actor=None)
    audit.record(actor, "enumerator.create", f"enumerator:{enumerator.id}",
                 {"username": username, "county": county, "township": township, "village": village},
                 evaluation.id)
    return enumerator, token


def set_enumerator_password(enumerator, password):
    from server.openrosa.digest import ha1

    check_password_strength(password)
    enumerator.digest_ha1 = ha1(enumerator.username, DIGEST_REALM, password)


def rotate_token(enumerator, actor="cli"):
    """Give the enumerator a new Collect URL token; the old one (and its settings QR) stops working."""
    token = secrets_box.new_token(24)
    enumerator.token_hash = secrets_box.token_hash(token)
    enumerator.token_encrypted = secrets_box.encrypt(token)
    enumerator.token_created_at = utcnow()
    if actor:
        audit.record(actor, "enumerator.rotate_token", f"enumerator:{enumerator.id}", {},
                     enumerator.evaluation_id)
    return token


def current_token(enumerator):
    return secrets_box.decrypt(enumerator.token_encrypted) if enumerator.token_encrypted else None


def enumerator_by_token(token):
    """The active enumerator whose current Collect token this is, or None."""
    found = db.session.execute(select(Enumerator).where(
        Enumerator.token_hash == secrets_box.token_hash(token))).scalar()
    return found if found is not None and found.active else None
