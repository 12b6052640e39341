"""The print sheet of a village's QR cards: print-ready HTML with inline PNG QR codes."""
import base64
import io

import qrcode
from flask import render_template
from qrcode.constants import ERROR_CORRECT_M
from sqlalchemy import select

from server.infra.extensions import db
from server.households.tokens import card_url
from server.models import Household, HouseholdToken


def qr_png(text, box_size=4):
    """A PNG of the QR code for `text` (margin of 4 modules, as scanners expect)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def village_cards(evaluation_id, village_code):
    """[(household, live token)] of a village's active households, ordered by archive id."""
    rows = db.session.execute(
        select(Household, HouseholdToken.token).join(HouseholdToken)
        .where(Household.evaluation_id == evaluation_id, Household.village_code == village_code,
               Household.withdrawn_at.is_(None), HouseholdToken.revoked_at.is_(None))
        .order_by(Household.archive_id, HouseholdToken.id)).all()
    latest = {}
    for household, token in rows:
        latest[household.archive_id] = (household, token)  # the newest live token wins
    return list(latest.values())


def render_sheet(evaluation, village_code, base_url=None):
    """The HTML sheet; every card shows the QR, the head of household and the archive id."""
    cards = []
    for household, token in village_cards(evaluation.id, village_code):
        url = card_url(token, base_url)
        png = base64.b64encode(qr_png(url)).decode("ascii")
        cards.append({"household": household, "url": url, "png": png})
    village = cards[0]["household"].village if cards else ""
    return render_template("households/cards.html", evaluation=evaluation, village_code=village_code,
                           village=village, cards=cards)
