from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """Opaque cursors that stay right while rows are added; 25 rows by default, ``page_size`` up to 100."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "created_at"
    invalid_cursor_message = _("This cursor is not valid: use the next or previous link of a page.")

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            # A malformed cursor is bad input (400), not a missing page.
            raise ValidationError({self.cursor_query_param: [str(self.invalid_cursor_message)]}) from None
