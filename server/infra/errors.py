"""One error type for every layer: a stable dotted code, an HTTP status, a message and details.

Domain code raises `Problem`; each surface (OpenRosa XML, JSON API, dashboard, CLI) renders it
in its own format and in its reader's language. The part of the code before the first dot names
the area, the rest the case. The message is a `msg(...)` (server/infra/i18n.py) so that it can be
shown in zh-Hans or English; `message` is its English text (logs, tests, older callers).
"""
from server.infra.i18n import Msg, msg, render


class Problem(Exception):
    """A failure with a stable `code` (e.g. "form.not_found") that callers can rely on."""

    def __init__(self, code, message, status=400, details=None):
        super().__init__(str(message))
        self.code = code
        self.text = message  # a Msg, or a str already in its reader's language
        self.message = str(message)
        self.status = status
        self.details = details or []

    def localized(self, lang):
        """The message in `lang` ("zh" or "en")."""
        return self.text.render(lang) if isinstance(self.text, Msg) else self.message

    def localized_details(self, lang):
        return render(self.details, lang) if isinstance(self.details, list) else self.details

    def to_dict(self, lang="en"):
        return {"code": self.code, "message": self.localized(lang), "details": self.localized_details(lang)}

    def __repr__(self):
        return f"Problem({self.code!r}, {self.message!r}, status={self.status})"


# what: the message of its "<what>.not_found" Problem.
NOT_FOUND = {
    "assignment": lambda key: msg("There is no assignment %(key)r.", key=key),
    "delivery": lambda key: msg("There is no webhook delivery %(key)r in this evaluation.", key=key),
    "enumerator": lambda key: msg("There is no enumerator %(key)r in this evaluation.", key=key),
    "evaluation": lambda key: msg("There is no evaluation %(key)r.", key=key),
    "event": lambda key: msg("There is no event %(key)r in this evaluation.", key=key),
    "form": lambda key: msg("There is no form %(key)r in this evaluation.", key=key),
    "household": lambda key: msg("There is no household %(key)r in this evaluation's register.", key=key),
    "job": lambda key: msg("There is no job %(key)r in this evaluation.", key=key),
    "sample": lambda key: msg("There is no sample %(key)r in this evaluation.", key=key),
    "submission": lambda key: msg("There is no interview %(key)r in this evaluation.", key=key),
    "token": lambda key: msg("There is no API token %(key)r in this evaluation.", key=key),
    "webhook": lambda key: msg("There is no webhook subscription %(key)r in this evaluation.", key=key),
}


def not_found(what, key):
    return Problem(f"{what}.not_found", NOT_FOUND[what](key), status=404)


def forbidden(message=None):
    return Problem("auth.forbidden", message or msg("You may not do this here."), status=403)


# HTTP statuses answered without a Problem (no route, wrong method, body too large...): code http.<status>.
HTTP_MESSAGES = {
    400: msg("The request is not valid."),
    401: msg("Sign in first."),
    403: msg("You may not do this."),
    404: msg("There is nothing at this address."),
    405: msg("This address does not accept this method."),
    406: msg("This address cannot answer in a format the request accepts."),
    409: msg("This conflicts with the current state; reload and try again."),
    413: msg("The request is too large."),
    415: msg("The request body is not of a type this address accepts."),
    429: msg("Too many requests; wait a moment and try again."),
    500: msg("Something went wrong on the server; the operator has been told."),
    503: msg("The server is briefly unavailable; try again in a moment."),
}


def http_problem(exc):
    """A werkzeug HTTPException as a Problem http.<status> (its message in the reader's language)."""
    return Problem(f"http.{exc.code}", HTTP_MESSAGES.get(exc.code) or exc.description, exc.code)


class ConfigError(Exception):
    """Configuration that cannot work; the CLI prints it as one line and exits."""
