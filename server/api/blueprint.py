"""The JSON API's blueprint; each resource module adds its routes and handlers to it."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
