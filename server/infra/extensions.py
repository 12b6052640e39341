"""Unbound extension instances; `create_app` binds them with `init_app`.

Flask-Migrate and Babel are made per app in create_app, only when it needs them (CLI start-up).
"""
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase

from server.infra.queues import RQ


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
rq = RQ()
