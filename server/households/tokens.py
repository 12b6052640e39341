"""QR card tokens (明白卡): opaque random strings, resolved to a household, revoked and reissued.

The token holds no ID number and no name; the card URL is `<PUBLIC_URL>/h/<token>`.
"""
import secrets

from sqlalchemy import select

from server.accounts import audit
from server.infra import addresses
from server.infra.extensions import db
from server.models import Household, HouseholdToken
from server.models.types import utcnow


def card_url(token, base_url=None):
    base = base_url or addresses.public_base()
    return f"{base.rstrip('/')}/h/{token}"


def resolve(token):
    """(HouseholdToken, Household) for a token string, or (None, None) if it is unknown."""
    row = db.session.execute(select(HouseholdToken, Household).join(Household)
                             .where(HouseholdToken.token == token)).first()
    return (row[0], row[1]) if row else (None, None)


def active_token(household_id):
    return db.session.execute(select(HouseholdToken.token).where(
        HouseholdToken.household_id == household_id, HouseholdToken.revoked_at.is_(None))
        .order_by(HouseholdToken.id.desc()).limit(1)).scalar()


def revoke(household, actor, reissue=True):
    """Revoke the household's live tokens and (by default) issue a new one. Returns (new, revoked)."""
    now = utcnow()
    live = db.session.execute(select(HouseholdToken).where(
        HouseholdToken.household_id == household.id, HouseholdToken.revoked_at.is_(None))).scalars().all()
    for row in live:
        row.revoked_at = now
    new = None
    if reissue:
        new = HouseholdToken(household_id=household.id, token=secrets.token_urlsafe(16))
        db.session.add(new)
    db.session.flush()
    audit.record(actor, "household.card_reissue" if reissue else "household.card_revoke",
                 f"household:{household.id}",
                 {"archive_id": household.archive_id, "revoked": len(live)}, household.evaluation_id)
    return (new.token if new else None), [row.token for row in live]
