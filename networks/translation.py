from modeltranslation.translator import TranslationOptions, register

from networks.models import Network, NominationCall


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "description")
    # Every network has an English name, which other languages fall back to.
    required_languages = {"en": ("name",)}


# The secretariat's published text for a call for nominations, translatable like the FAQ.
@register(NominationCall)
class NominationCallTranslation(TranslationOptions):
    fields = ("summary",)
    required_languages = ("en",)
