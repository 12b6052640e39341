"""The OpenRosa blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("openrosa", __name__)
