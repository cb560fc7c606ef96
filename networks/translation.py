from modeltranslation.translator import TranslationOptions, register

from networks.models import Network


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "description")
    # Every network has an English name, which other languages fall back to.
    required_languages = {"en": ("name",)}
