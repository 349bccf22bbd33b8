from django.apps import AppConfig


class NerConfig(AppConfig):
    name = "ner"
    verbose_name = "Named Entity Recognition"

    def ready(self) -> None:
        from labeling import registry
        from ner.task_type import NerType

        registry.register(NerType())
