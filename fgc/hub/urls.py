from django.urls import path

from fgc.hub import returns_views as rv
from fgc.hub import views
from fgc.hub.api import views as api

app_name = "hub"
urlpatterns = [
    path("", views.home, name="home"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/new/", views.upload, name="upload"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission"),
    path("submissions/<int:submission_id>/queries/new/", views.raise_query, name="raise-query"),
    path("versions/<int:version_id>/", views.version_detail, name="version"),
    path("versions/<int:version_id>/status.json", views.version_status, name="version-status"),
    path("versions/<int:version_id>/findings.xlsx", views.version_xlsx, name="version-xlsx"),
    path("versions/<int:version_id>/explain/<str:rule_code>/", views.explain, name="explain"),
    path("versions/<int:version_id>/submit/", views.submit, name="submit"),
    path("versions/<int:version_id>/approve/", views.approve, name="approve"),
    path("councils/<str:la_code>/settings/", views.council_settings, name="council-settings"),
    path("versions/<int:version_id>/decide/", views.decide, name="decide"),
    path("queries/<int:query_id>/respond/", views.respond, name="respond"),
    # The four returns, generated from what the hub holds (docs/hub.md, "Returns").
    path("returns/", rv.returns_page, name="returns"),
    path(
        "returns/<str:la_code>/<str:period>/template.xlsx",
        rv.template_blank,
        name="return-template",
    ),
    path(
        "returns/<str:la_code>/<str:period>/template-filled.xlsx",
        rv.template_filled,
        name="return-template-filled",
    ),
    path(
        "returns/<str:la_code>/<str:period>/child-level.csv",
        rv.child_level,
        name="return-child-level",
    ),
    path(
        "returns/<str:la_code>/<str:quarter>/dfe-quarterly.csv",
        rv.dfe_quarterly,
        name="return-dfe-quarterly",
    ),
    path("versions/<int:version_id>/aggregate.csv", rv.version_aggregate, name="version-aggregate"),
    path("versions/<int:version_id>/cin-fgc-items.csv", rv.census_summary, name="cin-summary"),
    path(
        "versions/<int:version_id>/cin-denominators.csv",
        rv.census_denominators,
        name="cin-denominators",
    ),
    path(
        "versions/<int:version_id>/cin-reconciliation.csv",
        rv.census_reconciliation,
        name="cin-reconciliation",
    ),
    path("versions/<int:version_id>/cin-enriched.xml", rv.census_enriched, name="cin-enriched"),
    path("national/", views.national_status, name="national"),
    path("national/<str:period>/dataset.csv", views.national_dataset, name="national-dataset"),
    path(
        "national/<str:period>/aggregate.<str:fmt>",
        views.national_aggregate,
        name="national-aggregate",
    ),
    path(
        "national/<str:quarter>/dfe-quarterly.csv",
        rv.national_dfe_quarterly,
        name="national-dfe-quarterly",
    ),
    # JSON API for case-management systems and scripts (token auth; see docs/api.md).
    path("api/openapi.yaml", api.openapi, name="api-openapi"),
    path("api/v1/submissions", api.submissions, name="api-submissions"),
    path(
        "api/v1/submissions/<int:submission_id>/versions",
        api.submission_versions,
        name="api-submission-versions",
    ),
    path("api/v1/versions/<int:version_id>", api.version, name="api-version"),
    path("api/v1/versions/<int:version_id>/report", api.report, name="api-report"),
]
