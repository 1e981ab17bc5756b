from django.urls import path

from fgc.insight_web import impact_views, views

app_name = "insight"
urlpatterns = [
    path("", views.home, name="home"),
    path("council/<str:la_code>/", views.council_dashboard, name="council"),
    path("council/<str:la_code>/data.csv", views.council_csv, name="council-csv"),
    path("report.css", views.report_css, name="report-css"),
    path("council/<str:la_code>/report.html", views.council_report_html, name="report-html"),
    path("council/<str:la_code>/report.pdf", views.council_report_pdf, name="report-pdf"),
    path("council/<str:la_code>/population/", views.population_upload, name="population"),
    path(
        "council/<str:la_code>/population-template.csv",
        views.population_template,
        name="population-template",
    ),
    path("council/<str:la_code>/impact/", impact_views.council_impact, name="impact"),
    path("council/<str:la_code>/impact.csv", impact_views.council_impact_csv, name="impact-csv"),
    path("national/", views.national_dashboard, name="national"),
    path("national/impact/", impact_views.national_impact, name="national-impact"),
    path("national/impact.csv", impact_views.national_impact_csv, name="national-impact-csv"),
    path("national/data.csv", views.national_csv, name="national-csv"),
    path("measure/<str:name>/", views.measure_page, name="measure"),
    path("measure/<str:name>/data.csv", views.measure_csv, name="measure-csv"),
    path("publication/", views.publication_page, name="publication"),
    path("publication/release.zip", views.publication_zip, name="publication-zip"),
]
