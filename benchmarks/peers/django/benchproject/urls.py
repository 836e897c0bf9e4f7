from django.http import HttpResponse
from django.urls import path

# The harness polls GET / until the server answers.
urlpatterns = [path("", lambda request: HttpResponse("django channels", content_type="text/plain"))]
