"""`/healthz`: is the database reachable, is Redis, are workers alive; `?deep=1` round-trips a job."""
import time

from flask import Blueprint, current_app, jsonify, request
from rq import Worker
from sqlalchemy import text

from server.pipeline import outbox
from server.infra.extensions import db
from server.models import OutboxEvent

bp = Blueprint("health", __name__)
LOCAL_ADDRESSES = ("127.0.0.1", "::1")


@bp.get("/healthz")
def healthz():
    report = {"database": _database_state(), **_redis_state()}
    if request.args.get("deep") and request.remote_addr in LOCAL_ADDRESSES:
        report["job"] = _round_trip(float(request.args.get("timeout", 10)))
    healthy = report["database"] == "ok" and report.get("job", {}).get("ok", True)
    report["status"] = "ok" if healthy else "failing"
    return jsonify(report), 200 if healthy else 503


def _database_state():
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # report, don't crash: this endpoint exists to say what is wrong
        db.session.rollback()
        return f"down: {exc.__class__.__name__}"


def _redis_state():
    rq = current_app.extensions["rq"]
    try:
        rq.connection.ping()
        queues = {q.name: q.count for q in rq.queues()}
        workers = [{"name": w.name, "state": w.state,
                    "last_heartbeat": w.last_heartbeat and w.last_heartbeat.isoformat()}
                   for w in Worker.all(connection=rq.connection)]
        return {"redis": "ok", "queues": queues, "workers": workers}
    except Exception as exc:  # Redis down: submissions are still accepted (outbox), so say so
        return {"redis": f"down: {exc.__class__.__name__}"}


def _round_trip(timeout):
    """Put a ping through the outbox and wait for a worker to answer it."""
    started = time.monotonic()
    event = outbox.emit("system.ping", {"sent": time.time()})
    db.session.commit()
    while time.monotonic() - started < min(timeout, 30):
        db.session.expire_all()
        row = db.session.get(OutboxEvent, event.id)
        if row.state == "done":
            return {"ok": True, "ms": round((time.monotonic() - started) * 1000), **row.payload["pong"]}
        time.sleep(0.05)
    return {"ok": False, "error": f"no worker answered within {timeout:g} s"}
