"""URL map: the front page, news, the signed-in account page, and every other path looked up in the page tree."""
from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.front, name="front"),
    path("news/", views.news, name="news"),
    path("news/category/<slug:slug>/", views.news, name="news-category"),
    path("news/<slug:slug>/", views.article, name="article"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="pbcms/login.html"), name="login"),
    path("account/", views.account, name="account"),
    re_path(r"^(?P<path>(?:[-\w]+/)+)$", views.page, name="page"),
]
