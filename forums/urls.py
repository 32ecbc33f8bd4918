"""The forum pages, under each language prefix at forums/ (see config/urls.py)."""

from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
    path("", views.forum_index, name="index"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("<slug:slug>/", views.forum_detail, name="forum"),
    path("<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("<slug:forum_slug>/<int:pk>/", views.thread_detail, name="thread"),
    path("<slug:forum_slug>/<int:pk>/reply/", views.reply, name="reply"),
]
