"""OpenRosa surface for ODK Collect: formList, forms, manifests, media, HEAD/GET/POST submission.

One blueprint, registered twice: under `/key/<token>/<code>` (token in the URL, as Central's app
users; a bad token is 403) and under `/<code>` (HTTP Digest; Basic only over https). Views are
thin: `auth` decides who is calling, `responses` renders XML and every error as an
OpenRosaResponse, the domain lives in `server.submissions` and `server.infra.media_store`.
"""
from server.openrosa import forms_views, responses, submission_views  # noqa: F401  (routes on bp)
from server.openrosa.blueprint import bp


def init_app(app):
    """Register the blueprint under both URL shapes."""
    app.register_blueprint(bp, url_prefix="/key/<token>/<code>", name="openrosa_key")
    app.register_blueprint(bp, url_prefix="/<code>", name="openrosa")
