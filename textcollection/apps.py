from django.apps import AppConfig


class TextCollectionConfig(AppConfig):
    name = "textcollection"
    verbose_name = "TextCollection"

    def ready(self) -> None:
        from labeling import registry
        from textcollection.task_type import TextCollectionType

        registry.register(TextCollectionType())
