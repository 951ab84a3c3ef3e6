"""The rollout tracker: the list of rollouts, opening one, the province board and its export, one unit's entry."""

from django.urls import path

from tincay.rollout.views import board as views

urlpatterns: list = [
    path("", views.rollout_index, name="index"),
    path("new/", views.rollout_new, name="new"),
    path("<slug:code>/", views.rollout_board, name="board"),
    path("<slug:code>/export.csv", views.rollout_export, name="export"),
    path("<slug:code>/add-units/", views.rollout_add_units, name="add_units"),
    path("<slug:code>/units/<str:key>/", views.rollout_entry, name="entry"),
    path("<slug:code>/units/<str:key>/move/", views.entry_move, name="entry_move"),
    path("<slug:code>/units/<str:key>/skip/", views.entry_skip, name="entry_skip"),
    path("<slug:code>/units/<str:key>/gate/", views.entry_gate, name="entry_gate"),
    path("<slug:code>/units/<str:key>/documents/", views.entry_documents, name="entry_documents"),
]
