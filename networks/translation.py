from modeltranslation.translator import TranslationOptions, register

from networks.models import Network


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("description",)
