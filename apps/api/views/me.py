from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps import access
from apps.core.money import current_currency

from ..schema import ERRORS_READ
from ..serializers.me import MeSerializer


class MeView(APIView):
    """Who the API sees: the trainer behind the key or session, their role and what they may see."""

    @extend_schema(
        operation_id="me",
        summary="The calling trainer",
        description="The trainer this key or session acts as, their role, and the gym.",
        responses={200: MeSerializer, **ERRORS_READ},
        examples=[
            OpenApiExample(
                "A trainer",
                value={
                    "id": 7,
                    "name": "Tara Trainer",
                    "email": "tara@example.com",
                    "role": "trainer",
                    "sees_money": True,
                    "works_across_trainers": False,
                    "key_writable": True,
                    "gym": {"name": "Demo Gym", "slug": "demo", "timezone": "Asia/Seoul", "currency": "KRW"},
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        actor = request.actor
        gym = request.tenant
        key = getattr(request._request, "api_key", None)
        data = {
            "id": actor.pk,
            "display_name": actor.display_name,
            "user": actor.user,
            "role": actor.role,
            "sees_money": access.coaches(actor),
            "works_across_trainers": access.works_across_trainers(actor),
            "key_writable": None if key is None else key.writable,
            "gym": {"name": gym.name, "slug": gym.slug, "timezone": gym.timezone, "currency": current_currency() or ""},
        }
        return Response(MeSerializer(data).data)
