from django.urls import path

from tincay.orgunits import views, views_people, views_pick

app_name = "orgunits"

urlpatterns = [
    path("units/", views.index, name="index"),
    path("pick/units/", views_pick.units, name="pick_units"),
    path("units/<str:key>/", views.detail, name="detail"),
    path("units/<str:key>/children/", views.children, name="children"),
    path("units/<str:key>/departments/", views.department_add, name="department_add"),
    path("people/", views_people.people, name="people"),
    path("people/new/", views_people.person_new, name="person_new"),
    path("people/<int:pk>/", views_people.person, name="person"),
    path("people/<int:pk>/roles/", views_people.membership_add, name="membership_add"),
    path(
        "people/<int:pk>/roles/<int:membership_id>/remove/",
        views_people.membership_remove,
        name="membership_remove",
    ),
]
