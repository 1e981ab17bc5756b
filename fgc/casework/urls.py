from django.urls import path

from fgc.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.home, name="home"),
    path("episodes/new/", views.episode_new, name="episode-new"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode"),
    path("episodes/<int:pk>/steps/<str:key>/", views.step, name="step"),
    path("episodes/<int:pk>/coordinator/", views.assign, name="assign"),
    path("episodes/<int:pk>/children/new/", views.child, name="child-new"),
    path("episodes/<int:pk>/children/<int:child_pk>/", views.child, name="child"),
    path("episodes/<int:pk>/network/new/", views.network_member, name="network-new"),
    path("episodes/<int:pk>/network/<int:member_pk>/", views.network_member, name="network"),
    path("episodes/<int:pk>/reviews/new/", views.review, name="review-new"),
    path("data-quality/", views.data_quality, name="data-quality"),
    path("returns/", views.returns, name="returns"),
    path("returns/cin/", views.returns_cin, name="returns-cin"),
    path("export.csv", views.export, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/map/", views.import_map, name="import-map"),
    path("import/preview/", views.import_preview, name="import-preview"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("local-fields/", views.local_fields, name="local-fields"),
]
