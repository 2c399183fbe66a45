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
