"""The product's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from config.urls import urlpatterns as product_urls


def broken(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("broken/", broken), *product_urls]
