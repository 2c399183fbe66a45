class ApplicationError(Exception):
    """A rule of the product refused the request. ``message`` is shown to the user as is.

    ``extra`` may carry {"field": name} so that forms attach the message to that field.
    """

    def __init__(self, message, extra=None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

    @property
    def field(self):
        return self.extra.get("field")


def full_clean_or_raise(instance, *, exclude=None):
    """Run the model's own validation; its first complaint becomes an ApplicationError on that field."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], {"field": None if field == NON_FIELD_ERRORS else field}) from error
