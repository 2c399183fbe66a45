class ScoringInputError(ValueError):
    """A raw value that cannot be true. ``field`` names it (``push_ups.reps``), ``message`` says why.

    ``errors`` lists every (field, message) refused when several tests were checked at once (the first is
    ``field`` and ``message``).
    """

    def __init__(self, field, message, errors=None):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.errors = list(errors or [(field, message)])

    @classmethod
    def several(cls, errors):
        field, message = errors[0]
        return cls(field, message, errors)
