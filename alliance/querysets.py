from django.db import models


class PartnerQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class FaqQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)
