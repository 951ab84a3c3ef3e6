"""Anonymity is a property of the schema: a response and its answers have random keys (an increasing number would
give the order they came in), nothing finer than the day, and nothing joins a token to the response it allowed."""

from __future__ import annotations

from django.db import models

from tincay.feedback.models import Answer, Response, SurveyToken


def _fields(model) -> list[models.Field]:
    return [f for f in model._meta.get_fields() if isinstance(f, models.Field)]


def test_responses_and_answers_have_random_keys():
    for model in (Response, Answer):
        assert isinstance(model._meta.pk, models.UUIDField), model


def test_no_time_finer_than_the_day_is_stored():
    for model in (Response, Answer, SurveyToken):
        kinds = {type(f) for f in _fields(model)}
        assert not kinds & {models.DateTimeField, models.TimeField, models.DurationField}, model
    assert isinstance(Response._meta.get_field("day"), models.DateField)


def test_a_token_cannot_be_joined_to_a_response():
    for model, other in ((Response, SurveyToken), (SurveyToken, Response), (Answer, SurveyToken)):
        related = {f.related_model for f in model._meta.get_fields() if f.is_relation}
        assert other not in related, (model, other)
    assert {f.name for f in _fields(SurveyToken)} == {"id", "survey", "digest", "used"}
