"""Pages of improvement, one module of routes per part (areas, programmes, reminders, coordination, effectiveness)."""

from tincay.improvement import urls_areas, urls_coordination, urls_effectiveness, urls_programmes, urls_reminders

app_name = "improvement"

urlpatterns = [
    *urls_areas.urlpatterns,
    *urls_programmes.urlpatterns,
    *urls_reminders.urlpatterns,
    *urls_coordination.urlpatterns,
    *urls_effectiveness.urlpatterns,
]
