"""Enumerators' phones: the Collect settings QR, the token in its URL, password and account changes.

The server URL carries the enumerator's token (`<PUBLIC_URL>/key/<token>/<code>`), so rotating
the token (`users.rotate_token`) is what invalidates an old QR code: its URL answers 403.
"""
from dataclasses import dataclass

from sqlalchemy import select

from server.accounts import audit, devices, enumerator_fields, users
from server.infra import addresses
from server.infra.errors import Problem, not_found
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Enumerator

# What may change on an enumerator after creation (the username is in the Digest HA1, so it may not).
UPDATABLE = ("display_name", "active", "province", "county", "township", "village", "county_code",
             "township_code", "village_code", "team", "phone")


@dataclass(frozen=True)
class DeviceSettings:
    server_url: str
    payload: str     # the QR text: JSON → zlib → base64
    png: bytes


def public_root():
    return addresses.public_base()


def server_url(evaluation, token):
    """The Collect server URL for a token: everything Collect requests hangs off it."""
    return f"{public_root()}/key/{token}/{evaluation.code}"


def device_settings(evaluation, enumerator):
    """Settings QR for the enumerator's phone. Raises Problem enumerator.no_token, .inactive."""
    if not enumerator.active:
        raise Problem("enumerator.inactive", msg("The enumerator %(username)r is not active.",
                                                 username=enumerator.username), 409)
    token = users.current_token(enumerator)
    if not token:
        raise Problem("enumerator.no_token",
                      msg("The enumerator %(username)r has no Collect token; rotate one "
                          "first.", username=enumerator.username), 409)
    url = server_url(evaluation, token)
    payload, png = devices.enumerator_qr(url, evaluation.name, enumerator.username, language="zh")
    return DeviceSettings(url, payload, png)


def find_enumerator(evaluation, username):
    """The enumerator `username` of the evaluation; Problem enumerator.not_found (404) if none."""
    found = db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation.id,
                                                        Enumerator.username == username)).scalar()
    if found is None:
        raise not_found("enumerator", username)
    return found


def create_checked(evaluation, values, actor):
    """Create an enumerator from form values checked field by field (enumerator_fields.clean); returns
    (enumerator, token). Raises Problem enumerator.invalid, account.exists, enumerator.place_required."""
    data = enumerator_fields.clean(values, creating=True)
    names = {k: data.pop(k) for k in ("username", "display_name", "county", "township", "village")}
    place = {k: v for k, v in data.items() if v}
    return users.create_enumerator(evaluation, names.pop("username"), actor=actor, **names, **place)


def edit_checked(enumerator, values, actor):
    """Change the fields of `values` that enumerator_fields knows (checked first, with the place the
    enumerator has, so a new township code must lie in their county); returns the names of those that
    changed. Raises Problem enumerator.invalid."""
    place = {k: getattr(enumerator, k) or "" for k in enumerator_fields.PLACE}
    checked = enumerator_fields.clean({**place, **values}, creating=False)
    return update_enumerator(enumerator, {k: v for k, v in checked.items() if k in values}, actor)


def update_enumerator(enumerator, changes, actor):
    """Apply `changes` (a subset of UPDATABLE) and audit them; returns the changed field names.

    Deactivating keeps the token: the URL answers 403 while inactive and works again if
    reactivated. Rotate the token to revoke a lost phone for good.
    """
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise Problem("enumerator.bad_field",
                      msg("These fields cannot be changed: %(names)s.", names=", ".join(sorted(unknown))),
                      422)
    changed = {k: v for k, v in changes.items() if getattr(enumerator, k) != v}
    for key, value in changed.items():
        setattr(enumerator, key, value)
    if changed:
        audit.record(actor, "enumerator.update", f"enumerator:{enumerator.id}",
                     {k: v for k, v in changed.items()}, enumerator.evaluation_id)
    return sorted(changed)


def set_password(enumerator, password, actor):
    """Set the Digest password (HA1 only is stored). Raises Problem account.weak_password."""
    users.set_enumerator_password(enumerator, password)
    audit.record(actor, "enumerator.password", f"enumerator:{enumerator.id}", {}, enumerator.evaluation_id)


def rotate(evaluation, enumerator, actor):
    """A new token (audited by users.rotate_token); returns the new Collect server URL."""
    return server_url(evaluation, users.rotate_token(enumerator, actor=actor))
