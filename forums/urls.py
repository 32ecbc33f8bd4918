"""The forum pages, under each language prefix at forums/ (see config/urls.py)."""

from django.urls import path

from . import feeds, views

app_name = "forums"

urlpatterns = [
    path("", views.forum_index, name="index"),
    path("ask/<int:page_pk>/", views.ask, name="ask"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/flag/", views.post_flag, name="post_flag"),
    path("posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("posts/<int:pk>/accept/", views.accept_answer, name="accept_answer"),
    path("<slug:slug>/", views.forum_detail, name="forum"),
    path("<slug:slug>/rss/", feeds.ForumRssFeed(), name="forum_rss"),
    path("<slug:slug>/atom/", feeds.ForumAtomFeed(), name="forum_atom"),
    path("<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("<slug:forum_slug>/<int:pk>/", views.thread_detail, name="thread"),
    path("<slug:forum_slug>/<int:pk>/rss/", feeds.ThreadRssFeed(), name="thread_rss"),
    path("<slug:forum_slug>/<int:pk>/atom/", feeds.ThreadAtomFeed(), name="thread_atom"),
    path("<slug:forum_slug>/<int:pk>/reply/", views.reply, name="reply"),
]
