"""Forms of the review portal: the list filters and the reject comment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from labeling.models import Batch, Project, Task

REVIEW_CHOICES = [
    ("", "any"),
    ("to_review", "to review (sampled, not reviewed)"),
    ("unreviewed", "not reviewed"),
    (Task.ReviewStatus.ACCEPTED, "accepted"),
    (Task.ReviewStatus.REJECTED, "rejected"),
    (Task.ReviewStatus.FIXED, "fixed"),
]


class ReviewFilterForm(forms.Form):
    project = forms.ModelChoiceField(
        queryset=Project.objects.order_by("name"), required=False, empty_label="any"
    )
    batch = forms.ModelChoiceField(
        queryset=Batch.objects.order_by("name"), required=False, empty_label="any"
    )
    worker = forms.ModelChoiceField(
        queryset=get_user_model()
        .objects.filter(completed_tasks__isnull=False)
        .distinct()
        .order_by("username"),
        required=False,
        empty_label="any",
    )
    review = forms.ChoiceField(choices=REVIEW_CHOICES, required=False, label="Review status")
    completed_from = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Completed from"
    )
    completed_to = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="to"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("completed_from"), data.get("completed_to")
        if start and end and start > end:
            self.add_error("completed_to", "must be on or after the start date")
        return data

    def filter(self, tasks: Any) -> Any:
        """Apply every filter but the review status (counts are per review status)."""
        data = self.cleaned_data
        if data.get("project"):
            tasks = tasks.filter(project=data["project"])
        if data.get("batch"):
            tasks = tasks.filter(batch=data["batch"])
        if data.get("worker"):
            # Rejected tasks have no completed_by any more: find them by who
            # submitted the rejected response.
            worker = data["worker"]
            tasks = tasks.filter(
                Q(completed_by=worker) | Q(revisions__kind="submitted", revisions__user=worker)
            ).distinct()
        if data.get("completed_from"):
            tasks = tasks.filter(completed_at__date__gte=data["completed_from"])
        if data.get("completed_to"):
            tasks = tasks.filter(completed_at__date__lte=data["completed_to"])
        return tasks


def filter_review_status(tasks: Any, value: str) -> Any:
    if value == "to_review":
        return tasks.filter(
            review_sampled=True, customer_review_status="", status=Task.Status.COMPLETED
        )
    if value == "unreviewed":
        return tasks.filter(customer_review_status="")
    if value:
        return tasks.filter(customer_review_status=value)
    return tasks


class RejectForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Tell the worker what to change; the task goes back to the queue.",
        error_messages={"required": "A rejection needs a comment for the worker."},
    )

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError("A rejection needs a comment for the worker.")
        return comment


class CommentForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )
