from django.urls import path

from . import feeds, views

app_name = "newsletters"

urlpatterns = [
    path("newsletters/subscribe/", views.subscribe, name="subscribe"),
    path("newsletters/subscribe/sent/", views.subscribe_sent, name="subscribe_sent"),
    path("newsletters/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletters/preferences/<str:token>/", views.preferences, name="preferences"),
    *feeds.urlpatterns,
]

# Outside the language prefix: the List-Unsubscribe URL of every email.
unprefixed_urlpatterns = [
    path(
        "newsletters/unsubscribe/<str:token>/",
        views.one_click_unsubscribe,
        name="newsletters_one_click",
    ),
]
