"""factory_boy factories. Create tenant rows inside a gym's schema (fixtures in_gym_a / in_gym_b)."""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from apps.accounts.models import User
from apps.trainers.models import Trainer
from tenants.models import Invitation, Role, hash_token

PASSWORD = "a-Strong-passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    user = factory.SubFactory(UserFactory)
    role = Role.TRAINER
    is_active = True


class InvitationFactory(factory.django.DjangoModelFactory):
    """Pass ``token="..."`` to know the link's token; it is stored hashed like the real thing."""

    class Meta:
        model = Invitation
        exclude = ["token"]

    token = factory.Sequence(lambda n: f"test-token-{n:04d}-" + "x" * 32)
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.TRAINER
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    invited_by_name = "Test Owner"


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "clients.Client"

    trainer = factory.SubFactory(TrainerFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"client{n}@example.com")


class SessionPackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.SessionPackage"

    client = factory.SubFactory(ClientFactory)
    trainer = factory.SelfAttribute("client.trainer")
    sold_by = factory.SelfAttribute("trainer")
    name = "10 sessions"
    total_sessions = 10


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Session"

    client = factory.SubFactory(ClientFactory)
    trainer = factory.SelfAttribute("client.trainer")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "training.Payment"

    package = factory.SubFactory(SessionPackageFactory)
    client = factory.SelfAttribute("package.client")
    trainer = factory.SelfAttribute("package.trainer")
    amount = 100
    paid_at = factory.LazyFunction(timezone.now)
