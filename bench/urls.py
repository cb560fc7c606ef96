"""The portal's URLs plus a bare view: the floor the directory is measured against."""

from django.http import HttpResponse
from django.urls import path

from alliance.urls import urlpatterns as portal_patterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_patterns]
