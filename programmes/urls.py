from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("nouveau/", views.programme_create, name="create"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/nouveau/", views.theme_create, name="theme_create"),
    path("themes/<int:pk>/modifier/", views.theme_edit, name="theme_edit"),
    path("<uuid:public_id>/", views.programme_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.programme_edit, name="edit"),
    path("<uuid:public_id>/ouvrir/", views.programme_open, name="open"),
    path("<uuid:public_id>/cloturer/", views.programme_close, name="close"),
    path("<uuid:public_id>/dupliquer/", views.programme_duplicate, name="duplicate"),
    path("<uuid:public_id>/offres/nouvelle/", views.offer_create, name="offer_create"),
    path(
        "<uuid:public_id>/offres/<uuid:offer_id>/modifier/",
        views.offer_edit,
        name="offer_edit",
    ),
]
