import factory
from django.utils import timezone

from .models import Subscriber, Subscription


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"
    status = Subscriber.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    frequency = Subscription.Frequency.WEEKLY
    confirmed_at = factory.LazyFunction(timezone.now)
    last_digest_at = factory.LazyFunction(timezone.now)
