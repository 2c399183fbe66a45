from rest_framework.filters import OrderingFilter


class WhitelistOrderingFilter(OrderingFilter):
    """``ordering`` limited to the view's ``ordering_fields`` (each also descending with ``-``), with the allowed
    values listed in the schema; anything else keeps the default order."""

    def get_schema_operation_parameters(self, view):
        allowed = [value for field in view.ordering_fields for value in (field, f"-{field}")]
        default = ", ".join(getattr(view, "ordering", None) or [])
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"The order of the rows (default {default}).",
                "schema": {"type": "string", "enum": allowed},
            }
        ]
