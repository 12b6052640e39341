"""Web users and enumerators: creation, passwords, and the token in an enumerator's Collect URL."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from server.accounts import audit
from server.infra import secrets_box
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import ROLES, Enumerator, Household, Membership, User
from server.models.types import utcnow
from server.sessions import revoke_all

DIGEST_REALM = "fieldcheck"
MIN_PASSWORD = 10
MAX_FAILED_LOGINS = 5                 # failures in a row before sign-in is refused for a while
LOCKOUT = timedelta(minutes=15)


def check_password_strength(password):
    if len(password or "") < MIN_PASSWORD:
        raise Problem("account.weak_password", msg("A password needs at least %(count)d characters.",
                                                   count=MIN_PASSWORD))


def create_user(username, password, role, evaluation=None, display_name="", actor="cli"):
    """Create a web user. Without an evaluation, role 'admin' makes a site admin.

    Raises Problem account.bad_role, account.exists, account.weak_password.
    """
    if role not in ROLES:
        raise Problem("account.bad_role", msg("The role is one of %(choices)s.", choices=", ".join(ROLES)))
    if evaluation is None and role != "admin":
        raise Problem("account.needs_evaluation", msg("A supervisor or viewer belongs to an evaluation: name "
                                                      "it."))
    check_password_strength(password)
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise Problem("account.exists",
                      msg("A user named %(username)r already exists.", username=username), 409)
    user = User(username=username, display_name=display_name or username,
                password_hash=hash_password(password), is_site_admin=evaluation is None)
    db.session.add(user)
    db.session.flush()
    if evaluation is not None:
        db.session.add(Membership(user_id=user.id, evaluation_id=evaluation.id, role=role))
    audit.record(actor, "user.create", f"user:{user.id}",
                 {"username": username, "role": role}, evaluation and evaluation.id)
    return user


def hash_password(password):
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user(username):
    """The user named `username`; Problem user.not_found (404) otherwise."""
    user = db.session.execute(select(User).where(User.username == username)).scalar()
    if user is None:
        raise Problem("user.not_found", msg("There is no user %(username)r.", username=username), 404)
    return user


def change_password(user, new_password, actor, evaluation_id=None, details=None):
    """Set a new password; every session of the user ends (whoever had one must sign in again), and
    a lockout ends with it. `evaluation_id` files the audit entry in the evaluation it was done from."""
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    user.failed_logins, user.locked_until = 0, None
    revoke_all(user)
    audit.record(actor, "user.password", f"user:{user.id}", {"username": user.username, **(details or {})},
                 evaluation_id)


# Generated passwords: no look-alikes (0/o, 1/l/i), in groups of four so they can be read out.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_password():
    """A random password of 16 characters (about 79 bits) to hand to someone once."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


def deactivate_user(user, actor, evaluation_id=None):
    """The user can no longer sign in, and every session they have ends now."""
    user.active = False
    ended = revoke_all(user)
    audit.record(actor, "user.deactivate", f"user:{user.id}", {"username": user.username, "sessions": ended},
                 evaluation_id)


def activate_user(user, actor, evaluation_id=None):
    """A deactivated user may sign in again (with their password as it was)."""
    user.active = True
    audit.record(actor, "user.activate", f"user:{user.id}", {"username": user.username}, evaluation_id)


def sign_out_everywhere(user, actor):
    """End every session of `user` (a lost laptop, a shared computer); returns how many ended."""
    ended = revoke_all(user)
    audit.record(actor, "user.sign_out_everywhere", f"user:{user.id}", {"sessions": ended})
    return ended


def verify_user(username, password):
    user = db.session.execute(select(User).where(User.username == username)).scalar()
    if user and user.active and check_password_hash(user.password_hash, password):
        return user
    return None


def authenticate(username, password):
    """The user with these credentials, counting failures and locking after MAX_FAILED_LOGINS in a row.

    Raises Problem auth.bad_credentials (401; the same for an unknown user and a wrong password) or
    auth.locked (429, with the time sign-in opens again in details). The failure counter is changed in
    the session: the caller commits even when this raises, so the count is kept.
    """
    user = db.session.execute(select(User).where(User.username == username)).scalar()
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        raise _locked(user)
    if user is not None and user.active and check_password_hash(user.password_hash, password or ""):
        user.failed_logins, user.locked_until = 0, None
        return user
    if user is not None:
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.failed_logins, user.locked_until = 0, now + LOCKOUT
            audit.record(f"user:{user.username}", "session.locked", f"user:{user.id}",
                         {"until": user.locked_until.isoformat()})
            raise _locked(user)
    raise Problem("auth.bad_credentials", msg("Wrong username or password."), 401)


def _locked(user):
    minutes = max(1, round((user.locked_until - utcnow()).total_seconds() / 60))
    return Problem("auth.locked", msg("Too many failed sign-ins: try again in %(minutes)d minutes.",
                                      minutes=minutes), 429,
                   [{"field": "username", "message": "locked", "until": user.locked_until.isoformat(),
                     "minutes": minutes}])


def create_enumerator(evaluation, username, *, county="", township="", village="", display_name="",
                      password=None, actor="cli", **place):
    """Create an enumerator with a fresh Collect token (and Digest credentials if a password is given).
    The home place is given by names, or by the register's area codes (county_code, township_code,
    village_code), whose names are then looked up in the evaluation's register when it has them.

    Returns (enumerator, token). Raises Problem account.exists, account.weak_password,
    enumerator.place_required (422).
    """
    county, township, village = _place_names(evaluation.id, place, county, township, village)
    exists = select(Enumerator.id).where(Enumerator.evaluation_id == evaluation.id,
                                         Enumerator.username == username)
    if db.session.execute(exists).first():
        raise Problem("account.exists", msg("An enumerator named %(username)r already exists here.",
                                            username=username), 409)
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


def _place_names(evaluation_id, place, county, township, village):
    """(county, township, village) names: as given, else looked up by code in the register."""
    codes = [place.get(k) for k in ("county_code", "township_code", "village_code")]
    if not (county or any(codes)):
        raise Problem("enumerator.place_required",
                      msg("Give the enumerator's home county (name or area code)."),
                      422, [{"field": "county", "message": msg("a name or county_code is needed")}])
    names = [county, township, village]
    columns = ((Household.county_code, Household.county), (Household.township_code, Household.township),
               (Household.village_code, Household.village))
    for i, ((by, name), code) in enumerate(zip(columns, codes)):
        if code and not names[i]:
            found = db.session.execute(select(name).where(Household.evaluation_id == evaluation_id,
                                                          by == code).limit(1)).scalar()
            names[i] = found or ""
    return tuple(names)


def set_enumerator_password(enumerator, password):
    check_password_strength(password)
    enumerator.digest_ha1_encrypted = secrets_box.encrypt(ha1(enumerator.username, DIGEST_REALM, password))


def ha1(username, realm, password):
    """HTTP Digest's HA1, md5("username:realm:password") in lowercase hex of the UTF-8 bytes: what is
    stored for an enumerator's password, since Digest needs it and never the password."""
    return hashlib.md5(f"{username}:{realm}:{password}".encode("utf-8")).hexdigest()


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
