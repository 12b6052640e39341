"""The enumerators' provisioning sheet: print-ready A4 HTML, one enumerator a half page, with the Collect
settings QR code (a credential: the sheet is handed to the enumerator and to no one else)."""
import base64

from flask import render_template
from sqlalchemy import select

from server.accounts import provisioning
from server.infra.errors import Problem
from server.infra.extensions import db
from server.models import Enumerator


def chosen(evaluation, usernames=None):
    """The enumerators named (Problem enumerator.not_found for one that is not), else every active one."""
    if usernames:
        return [provisioning.find_enumerator(evaluation, name) for name in usernames]
    return db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation.id,
                                                       Enumerator.active.is_(True))
                              .order_by(Enumerator.username)).scalars().all()


def entries(evaluation, enumerators):
    """([{enumerator, url, png (base64)}], [(username, why not)]): the QR code of each active enumerator
    with a Collect token; the others skipped, with the reason."""
    found, skipped = [], []
    for enumerator in enumerators:
        try:
            settings = provisioning.device_settings(evaluation, enumerator)
        except Problem as problem:
            skipped.append((enumerator.username, problem.message))
            continue
        found.append({"enumerator": enumerator, "url": settings.server_url,
                      "png": base64.b64encode(settings.png).decode("ascii")})
    return found, skipped


def render_sheet(evaluation, enumerators):
    """The HTML sheet of `enumerators` (active ones with a Collect token; others are listed as skipped)."""
    found, skipped = entries(evaluation, enumerators)
    return render_template("accounts/enumerator_sheet.html", evaluation=evaluation, entries=found,
                           skipped=skipped), len(found), skipped
