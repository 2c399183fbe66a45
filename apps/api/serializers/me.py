from rest_framework import serializers


class GymSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    timezone = serializers.CharField()
    currency = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    email = serializers.EmailField(source="user.email")
    role = serializers.CharField()
    sees_money = serializers.BooleanField(help_text="Packages, prices, payments and revenue are visible to this actor.")
    works_across_trainers = serializers.BooleanField()
    key_writable = serializers.BooleanField(allow_null=True, help_text="null for a browser session.")
    gym = GymSerializer()
