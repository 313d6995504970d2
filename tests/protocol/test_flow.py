"""The authorization flow: a page to show, a response to send, or a refusal, and the
stored interaction kept in step (created once, the chosen account, finished once)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from accord.protocol.errors import InvalidRequest, NotATestUser
from accord.protocol.flow import Browser, Flow, Pending, Refusal, Send, ShowPage
from accord.protocol.messages import AccessType, Prompt
from accord.protocol.prompts import Step
from tests.protocol.flow_fakes import (
    ALICE,
    BOB,
    CLIENT,
    FakeInteractions,
    FakeStore,
    context,
    request,
)

GRANTED = {(ALICE.pk, CLIENT.project_pk): frozenset({"email"})}


def flow(store: FakeStore | None = None) -> tuple[Flow, FakeInteractions]:
    interactions = FakeInteractions()
    return Flow(context(store or FakeStore()), interactions), interactions


def browser(*users: object) -> Browser:
    return Browser("csrf-1", users, {})  # type: ignore[arg-type]


def query(send: object) -> dict[str, list[str]]:
    assert isinstance(send, Send)
    return parse_qs(urlsplit(send.response.url).query)


@pytest.mark.parametrize(
    ("d", "kw", "signed_in", "step", "chosen"),
    [
        ("nobody signed in", {}, (), Step.LOGIN, None),
        ("two accounts", {}, (ALICE, BOB), Step.SELECT_ACCOUNT, None),
        ("consent for the one account", {}, (ALICE,), Step.CONSENT, ALICE.pk),
        ("hd leaves out the other domains' accounts", {"hd": "corp.example"}, (ALICE,),
         Step.LOGIN, None),
        ("hd picks that domain's account", {"hd": "corp.example"}, (ALICE, BOB), Step.CONSENT,
         BOB.pk),
    ],
)
def test_a_first_page_starts_an_interaction_bound_to_the_browser(
    d: str, kw: dict[str, object], signed_in: tuple[object, ...], step: Step, chosen: int | None
) -> None:
    f, interactions = flow()
    areq = request(**kw)
    outcome = f.advance(CLIENT, areq, browser(*signed_in))
    assert isinstance(outcome, ShowPage)
    assert (outcome.step, outcome.interaction_id) == (step, "i-1")
    assert interactions.created == [(areq, "csrf-1")]
    assert interactions.chosen == ({1: chosen} if chosen else {})


def test_no_page_needed_sends_the_code_without_an_interaction() -> None:
    store = FakeStore(grants=dict(GRANTED))
    f, interactions = flow(store)
    outcome = f.advance(CLIENT, request(), browser(ALICE))
    params = query(outcome)
    assert list(params) == ["state", "code", "scope"]
    assert params["state"] == ["xyz"] and params["scope"] == ["email"]
    assert params["code"][0].startswith("4/") and len(store.codes) == 1
    assert not interactions.created and not interactions.finished


@pytest.mark.parametrize(
    ("d", "signed_in", "error"),
    [
        ("not signed in", (), "login_required"),
        ("an account to choose", (ALICE, BOB), "interaction_required"),
        ("consent needed", (ALICE,), "consent_required"),
    ],
)
def test_prompt_none_sends_the_error_to_the_client(
    d: str, signed_in: tuple[object, ...], error: str
) -> None:
    f, interactions = flow()
    outcome = f.advance(CLIENT, request(prompt=(Prompt.NONE,)), browser(*signed_in))
    assert query(outcome) == {"error": [error], "state": ["xyz"]}
    assert not interactions.created


def test_the_consent_answer_finishes_the_interaction_once() -> None:
    store = FakeStore()
    f, interactions = flow(store)
    pending = Pending("i-1", 1, ALICE.pk)
    areq = request(access_type=AccessType.OFFLINE)
    first = f.advance(CLIENT, areq, browser(ALICE), pending, frozenset({"email"}))
    assert "code" in query(first) and interactions.finished == {1}
    again = f.advance(CLIENT, areq, browser(ALICE), pending, frozenset({"email"}))
    assert isinstance(again, Refusal) and isinstance(again.error, InvalidRequest)
    assert len(store.codes) == 1  # a double-clicked Allow issues one code


def test_a_page_that_leads_to_the_code_finishes_the_interaction() -> None:
    f, interactions = flow(FakeStore(grants=dict(GRANTED)))
    pending = Pending("i-1", 1, ALICE.pk)
    assert "code" in query(f.advance(CLIENT, request(), browser(ALICE), pending))
    assert interactions.finished == {1}
    late = f.advance(CLIENT, request(), browser(ALICE), pending)
    assert isinstance(late, Refusal) and isinstance(late.error, InvalidRequest)


def test_a_further_page_keeps_the_interaction_and_its_chosen_account() -> None:
    f, interactions = flow()
    outcome = f.advance(CLIENT, request(), browser(ALICE, BOB), Pending("i-9", 9, BOB.pk))
    assert outcome == ShowPage(Step.CONSENT, "i-9", BOB)
    assert not interactions.created and interactions.chosen == {}


def test_the_chosen_account_signed_out_during_consent_starts_again() -> None:
    f, interactions = flow()
    outcome = f.advance(CLIENT, request(), browser(), Pending("i-5", 5, ALICE.pk),
                        frozenset({"email"}))
    assert outcome == ShowPage(Step.LOGIN, "i-1")  # a new interaction, the old one finished
    assert interactions.finished == {5} and interactions.chosen == {1: ALICE.pk}


def test_deny_sends_access_denied_once() -> None:
    f, interactions = flow()
    pending = Pending("i-1", 1)
    areq = request(response_mode="form_post")
    outcome = f.deny(areq, pending)
    assert isinstance(outcome, Send)
    assert outcome.response.mode == "form_post"
    assert outcome.response.params == {"error": "access_denied", "state": "xyz"}
    again = f.deny(areq, pending)
    assert isinstance(again, Refusal) and isinstance(again.error, InvalidRequest)


def test_a_policy_refusal_is_shown_to_the_user_not_sent_to_the_client() -> None:
    f, interactions = flow()
    outcome = f.advance(replace(CLIENT, testing=True), request(), browser(ALICE))
    assert isinstance(outcome, Refusal) and isinstance(outcome.error, NotATestUser)
    assert not interactions.created
