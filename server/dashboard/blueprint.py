"""The dashboard's blueprint; each view module adds its routes to it."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, template_folder="templates")
