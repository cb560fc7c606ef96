from django.conf import settings


def site(request):
    return {"secretariat_email": settings.SECRETARIAT_EMAIL}
