from django.urls import path

from fgc.statistics import api, views

app_name = "statistics"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.edit, name="new"),
    path("api/v1/datasets", api.dataset_list, name="api-datasets"),
    path("api/v1/datasets/<slug:slug>/<str:table>", api.dataset, name="api-dataset"),
    path(
        "api/v1/datasets/<slug:slug>/<str:table>/changes",
        api.dataset_changes,
        name="api-changes",
    ),
    path(
        "api/v1/datasets/<slug:slug>/<str:table>/<str:version>",
        api.dataset_meta,
        name="api-meta",
    ),
    path(
        "api/v1/datasets/<slug:slug>/<str:table>/<str:version>/query",
        api.dataset_query,
        name="api-query",
    ),
    path("<slug:slug>/", views.release_page, name="release"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/stage/", views.stage, name="stage"),
    path("<slug:slug>/footnote/", views.footnote, name="footnote"),
    path("<slug:slug>/access/", views.access, name="access"),
    path("<slug:slug>/access/<int:user_id>/revoke/", views.revoke, name="revoke"),
    path("<slug:slug>/latest/<str:table>.meta.csv", views.latest_meta, name="latest-meta"),
    path("<slug:slug>/latest/<str:table>.csv", views.latest_csv, name="latest-csv"),
    path("<slug:slug>/<int:version>/", views.release_page, name="version"),
    path("<slug:slug>/<int:version>/<str:table>.meta.csv", views.table_meta, name="table-meta"),
    path("<slug:slug>/<int:version>/<str:table>.csv", views.table_csv, name="table-csv"),
]
