class ScoringInputError(ValueError):
    """A raw value that cannot be true. ``field`` names it (``push_ups.reps``), ``message`` says why."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
