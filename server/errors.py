"""One error type for every layer: a stable dotted code, an HTTP status, a message and details.

Domain code raises `Problem`; each surface (OpenRosa XML, JSON API, dashboard, CLI) renders it
in its own format. The part of the code before the first dot names the area, the rest the case.
"""


class Problem(Exception):
    """A failure with a stable `code` (e.g. "form.not_found") that callers can rely on."""

    def __init__(self, code, message, status=400, details=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details or []

    def to_dict(self):
        return {"code": self.code, "message": self.message, "details": self.details}

    def __repr__(self):
        return f"Problem({self.code!r}, {self.message!r}, status={self.status})"


def not_found(what, key):
    return Problem(f"{what}.not_found", f"{what} {key!r} does not exist", status=404)


def forbidden(message="You may not do this here."):
    return Problem("auth.forbidden", message, status=403)


class ConfigError(Exception):
    """Configuration that cannot work; the CLI prints it as one line and exits."""
