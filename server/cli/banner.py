"""What `fieldcheck serve` prints once the server answers: the lines a new user needs, last.

The addresses are the ones actually served (PUBLIC_URL still wins), and the enumerators' Collect settings
QR codes are written for that address, so a phone on the same network can scan one at once.
"""
import os
import time
import urllib.error
import urllib.request

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash

from server.accounts import provisioning
from server.infra import addresses
from server.infra.addresses import EVERYWHERE
from server.cli.demo import CODE as DEMO_CODE, PASSWORD_FILE
from server.infra.errors import Problem
from server.infra.extensions import db
from server.models import Enumerator, Evaluation, User

QR_FOLDER = "qr"


def wait_until_up(host, port, give_up, limit=90):
    """True once /healthz answers on host:port; False after `limit` seconds or when `give_up()` is true."""
    probe = f"http://{'127.0.0.1' if host in EVERYWHERE else addresses.reachable_host(host)}:{port}/healthz"
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and not give_up():
        try:
            with urllib.request.urlopen(probe, timeout=2) as answer:
                if answer.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


def lines(base):
    """The banner for a server reached at `base` (a URL without a trailing slash)."""
    out = ["", "fieldcheck is ready.", f"  Dashboard:         {base}/",
           f"  API and its docs:  {base}/api/v1/docs"]
    sign_in = _demo_sign_in()
    if sign_in:
        out.append(f"  Demo sign-in:      {sign_in}")
    first, folder = _write_qr_codes()
    if first:
        out.append(f"  ODK Collect URL:   {first}")
        out.append(f"  Collect QR codes:  {folder}  (Collect: Settings > Project settings > Scan QR)")
    else:
        out.append("  No enumerator yet: `fieldcheck enumerators create CODE USERNAME ...` prints a "
                   "Collect URL.")
    return out


def _demo_sign_in():
    """'supervisor / <password>' for the demo, or None when there is no demo evaluation."""
    if db.session.execute(select(Evaluation.id).where(Evaluation.code == DEMO_CODE)).first() is None:
        return None
    try:
        with open(os.path.join(current_app.instance_path, PASSWORD_FILE), encoding="utf-8") as fh:
            password = fh.read().strip()
    except FileNotFoundError:  # the password was chosen (FIELDCHECK_PASSWORD), so it was never written
        return "supervisor / the password FIELDCHECK_PASSWORD held when the demo was loaded"
    user = db.session.execute(select(User).where(User.username == "supervisor")).scalar()
    if user is None or not check_password_hash(user.password_hash, password):
        return "supervisor (its password was changed since the demo was loaded)"
    return f"supervisor / {password}"


def _write_qr_codes():
    """One settings QR PNG per active enumerator (the demo's first); returns (a Collect URL, the folder)."""
    folder = os.path.join(current_app.instance_path, QR_FOLDER)
    rows = db.session.execute(
        select(Evaluation, Enumerator).join(Enumerator, Enumerator.evaluation_id == Evaluation.id)
        .where(Enumerator.active.is_(True))
        .order_by((Evaluation.code != DEMO_CODE), Evaluation.code, Enumerator.username).limit(200)).all()
    first = None
    for evaluation, enumerator in rows:
        try:
            settings = provisioning.device_settings(evaluation, enumerator)
        except Problem:  # no Collect token yet: nothing to scan
            continue
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{evaluation.code}-{enumerator.username}.png"), "wb") as fh:
            fh.write(settings.png)
        first = first or f"{settings.server_url}  ({enumerator.username}, {evaluation.code})"
    db.session.remove()
    db.engine.dispose()  # the web and worker processes own the database from here
    return first, folder
