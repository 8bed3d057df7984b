from django.urls import path, re_path

from . import views

app_name = "measures"

urlpatterns = [
    path("plans/<slug:plan>/", views.plan_detail, name="plan"),
    path("plans/<slug:plan>/areas/<int:seq>/", views.area_detail, name="area"),
    re_path(
        r"^plans/(?P<plan>[-\w]+)/measures/(?P<ref>[0-9]+\.[0-9]+(?:\.[a-z])?)/$",
        views.measure_detail,
        name="measure",
    ),
    path("plans/<slug:plan>/units/", views.unit_list, name="units"),
    path("plans/<slug:plan>/units/<slug:unit>/", views.unit_detail, name="unit"),
    path("plans/<slug:plan>/matrix/", views.matrix, name="matrix"),
    re_path(r"^plans/(?P<plan>[-\w]+)/matrix\.(?P<fmt>csv|xlsx)$", views.matrix_export, name="matrix_export"),
]
