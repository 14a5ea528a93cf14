from django.conf import settings


def site(request):
    return {"SITE_NAME": "Diagnostic inclusion numérique", "DEBUG": settings.DEBUG}
