"""marshmallow's own messages (those without parameters) in our readers' words and languages: the
API's request.invalid and the register's household.invalid list them per field."""
from server.infra.i18n import msg

FIELD_MESSAGES = {
    "Missing data for required field.": msg("This field is required."),
    "Field may not be null.": msg("This field may not be null."),
    "Invalid value.": msg("This value is not valid."),
    "Unknown field.": msg("This field is unknown."),
    "Invalid input type.": msg("This is not a JSON object."),
    "Invalid type.": msg("This is not a JSON object."),
    "Not a valid string.": msg("This is not a string."),
    "Not a valid integer.": msg("This is not an integer."),
    "Not a valid number.": msg("This is not a number."),
    "Not a valid boolean.": msg("This is not true or false."),
    "Not a valid list.": msg("This is not a list."),
    "Not a valid mapping type.": msg("This is not a JSON object."),
    "Not a valid date.": msg("This is not a date (YYYY-MM-DD)."),
    "Not a valid datetime.": msg("This is not a date and time (ISO 8601)."),
    "Not a valid email address.": msg("This is not an e-mail address."),
    "Not a valid URL.": msg("This is not a URL."),
}


def worded(message):
    """A marshmallow message as a msg() when we word it, else as it is."""
    return FIELD_MESSAGES.get(message, message) if isinstance(message, str) else message
