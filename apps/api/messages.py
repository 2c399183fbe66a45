"""The REST framework's own messages, marked here so that the project's catalog carries them in Korean.

REST framework ships its Korean catalog as ``ko_KR``, which Django does not load for the language ``ko``; marking
the same message ids here puts them in ``locale/ko`` (``make messages``), where Django finds them for every
answer of the API. Nothing calls this module at run time.
"""

from django.utils.translation import gettext_lazy as _

REST_FRAMEWORK_MESSAGES = [
    _("This field is required."),
    _("This field may not be null."),
    _("This field may not be blank."),
    _("A valid integer is required."),
    _("A valid number is required."),
    _("Not a valid string."),
    _("Enter a valid email address."),
    _("Must be a valid boolean."),
    _("Date has wrong format. Use one of these formats instead: {format}."),
    _("Datetime has wrong format. Use one of these formats instead: {format}."),
    _("Time has wrong format. Use one of these formats instead: {format}."),
    _('"{input}" is not a valid choice.'),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("Ensure this field has no more than {max_length} characters."),
    _("Ensure that there are no more than {max_digits} digits in total."),
    _("Ensure that there are no more than {max_decimal_places} decimal places."),
    _('Expected a list of items but got type "{input_type}".'),
    _('Expected a dictionary of items but got type "{input_type}".'),
    _("Authentication credentials were not provided."),
    _("Incorrect authentication credentials."),
    _('Method "{method}" not allowed.'),
    _("Request was throttled."),
    _("Malformed request."),
    _("JSON parse error - {detail}"),
    _('Unsupported media type "{media_type}" in request.'),
    _("You do not have permission to perform this action."),
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    _("Ensure this field has at least {min_length} elements."),
    _("Ensure this field has no more than {max_length} elements."),
    _("Select a valid choice. That choice is not one of the available choices."),
    _("Enter a number."),
    _("Enter a whole number."),
    _("Enter a valid date/time."),
]
