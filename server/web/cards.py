"""The public page behind a QR card, `/h/<token>`: the village and whether the card is valid.

Anyone may scan a card on a door, so the public sees no name and no number; a signed-in user with a
role in the household's evaluation sees the record (ID numbers masked).
"""
from flask import Blueprint, render_template, session

from server.accounts.evaluations import role_of
from server.infra.extensions import db
from server.households.tokens import resolve
from server.models import Evaluation, User

bp = Blueprint("households_public", __name__)


@bp.get("/h/<token>")
def card(token):
    row, household = resolve(token) if len(token) <= 64 else (None, None)
    if household is None:
        state = "unknown"
    elif row.revoked_at is not None or household.withdrawn_at is not None:
        state = "revoked"
    else:
        state = "valid"
    record = household.record if household is not None and _may_see(household) else None
    response = render_template("households/card.html", state=state, household=household, record=record)
    status = 404 if state == "unknown" else 200
    return response, status, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex",
                              "Referrer-Policy": "no-referrer"}


def _may_see(household):
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        return False
    return role_of(user, db.session.get(Evaluation, household.evaluation_id)) is not None
