"""Small pipeline steps, each taking one outbox event and calling domain code."""
import os
import socket

from server.models.types import utcnow


def pong(event):
    """Answer a health-check ping: proves a worker process took the event and wrote to the database."""
    event.payload = {**event.payload, "pong": {"host": socket.gethostname(), "pid": os.getpid(),
                                               "at": utcnow().isoformat()}}
