from modeltranslation.translator import TranslationOptions, register

from alliance.models import FaqEntry, Partner


@register(FaqEntry)
class FaqEntryTranslation(TranslationOptions):
    fields = ("question", "answer")
    # The English text is the one every other language falls back to.
    required_languages = ("en",)


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("description",)
