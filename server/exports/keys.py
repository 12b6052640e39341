"""The private key (and passphrase) for one export's decryption, handed from the request to its job.

Never in the database: sealed with the data key (secrets_box) and kept in Redis for at most KEY_TTL
seconds, deleted as soon as the job has finished with it.
"""
import json

from flask import current_app

from server.infra import secrets_box

KEY_TTL = 3600


def _name(job_id):
    return f"fieldcheck:export-key:{job_id}"


def hand_over(job_id, pem, passphrase=None):
    sealed = secrets_box.encrypt(json.dumps({"pem": pem, "passphrase": passphrase}))
    current_app.extensions["rq"].connection.set(_name(job_id), sealed, ex=KEY_TTL)


def take(job_id):
    """(pem, passphrase) for the job, or None when none was given (or it has expired)."""
    raw = current_app.extensions["rq"].connection.get(_name(job_id))
    if raw is None:
        return None
    secret = json.loads(secrets_box.decrypt(raw.decode("ascii")))
    return secret["pem"], secret["passphrase"]


def forget(job_id):
    current_app.extensions["rq"].connection.delete(_name(job_id))
