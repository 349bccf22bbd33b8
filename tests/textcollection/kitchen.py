"""A task that uses every TextCollection field type (shared by the tests)."""

ATTACHMENTS = [
    {"type": "text", "content": "# Menu\n\nTom Yum **soup**"},
    {"type": "image", "content": "https://example.com/a.png"},
    {"type": "text", "content": "Third item"},
]

FIELDS = [
    {"type": "category", "field_id": "occlusion", "title": "Occlusion",
     "choices": [{"label": "None", "value": "0"}, {"label": "A little", "value": "1"},
                 {"label": "A lot", "value": "2"}]},
    {"type": "category", "field_id": "detail", "title": "Cause", "required": True,
     "choices": [{"label": "Rain", "value": "rain"}, {"label": "Shadow", "value": "shadow"}],
     "conditions": [{"occlusion": ["1", "2"]}]},
    {"type": "text", "field_id": "summary", "title": "Summary", "required": True,
     "max_responses_required": 3, "max_characters": 200, "hint": "Keep it short"},
    {"type": "boolean", "field_id": "available", "title": "Available"},
    {"type": "number", "field_id": "price", "title": "Price", "min": 0, "max": 100, "step": 0.01},
    {"type": "number", "field_id": "rating", "title": "Rating", "use_slider": True, "min": 0, "max": 10, "step": 1},
    {"type": "datetime", "field_id": "released", "title": "Released", "include": ["year", "month", "day"],
     "defaults": {"year": 2021, "month": 4, "day": 13}},
    {"type": "category", "field_id": "genre", "title": "Genre", "min_choices": 1, "max_choices": 3,
     "choices": [{"label": "Hip-Hop/Rap", "value": "hip-hop-rap", "subchoices": [
                     {"label": "Dirty South", "value": "dirty-south"}, {"label": "Rap", "value": "rap"}]},
                 {"label": "R&B/Soul", "value": "rb-soul", "subchoices": [
                     {"label": "Disco", "value": "disco"}, {"label": "Funk", "value": "funk"}]}]},
    {"type": "select", "field_id": "mood", "title": "Mood", "choices": [
        {"label": "Happy", "value": "happy"}, {"label": "Sad", "value": "sad"}]},
    {"type": "select", "field_id": "best_summary", "title": "Best summary", "choices_from_field": "summary"},
    {"type": "time_range", "field_id": "hours", "title": "Store hours", "default_seconds": [28800, 72000],
     "increment_seconds": 300, "max_responses_required": 2, "min_responses_required": 0},
    {"type": "ranking_order", "field_id": "ranking", "title": "Relevance", "first_label": "Best",
     "last_label": "Worst", "num_items_to_rank": 2, "required": True},
    {"type": "fieldset", "field_id": "category_items", "title": "Items", "max_responses_required": 3,
     "fields": [{"type": "text", "field_id": "item_name", "title": "Item name", "required": True},
                {"type": "number", "field_id": "item_price", "title": "Item price"}]},
    {"type": "fieldset", "field_id": "category_metadata", "title": "Metadata",
     "fields": [{"type": "boolean", "field_id": "gluten_friendly", "title": "Gluten friendly"},
                {"type": "text", "field_id": "labels", "title": "Labels", "max_responses_required": 5}]},
]  # fmt: skip

PARAMS = {"attachments": ATTACHMENTS, "fields": FIELDS}

FORM_PARAMS = {
    "attachments": [
        {"type": "text", "content": "Always shown"},
        {"type": "text", "content": "Query page", "forms": ["form_query"]},
        {"type": "text", "content": "Result page", "forms": ["form_result"]},
    ],
    "fields": [
        {"type": "form", "field_id": "form_query", "title": "Query Intention", "fields": [
            {"type": "text", "field_id": "query_intention", "title": "Query Intention",
             "hint": "Please investigate the search links.", "required": True}]},
        {"type": "form", "field_id": "form_result", "title": "Result", "fields": [
            {"type": "boolean", "field_id": "relevant", "title": "Relevant", "required": True},
            {"type": "fieldset", "field_id": "notes", "title": "Notes", "inline": True, "fields": [
                {"type": "text", "field_id": "note", "title": "Note"}]}]},
    ],
}  # fmt: skip
