"""What the console reads of deleted service accounts (issue 10): the list shows them for
the 30 days they may be undeleted, and an account's page (by unique ID) opens one."""

from __future__ import annotations

import pytest

from accord.services import NotFound, ServiceAccounts
from tests.services.conftest import OPERATOR, Svc
from tests.services.test_service_accounts import new_account


def test_list_shows_deleted_accounts_while_they_may_be_undeleted(svc: Svc) -> None:
    sa = ServiceAccounts(svc.engine, svc.clock)
    project_id, kept = new_account(svc)
    _same, doomed = new_account(svc, project_id)
    unique_id = sa.get(OPERATOR, doomed).unique_id
    sa.delete(OPERATOR, doomed)
    assert [a.email for a in sa.list(OPERATOR, project_id)] == [kept]
    shown = sa.list(OPERATOR, project_id, show_deleted=True)
    assert [a.email for a in shown] == [kept, doomed]
    assert shown[1].deleted_at == svc.clock.now() and shown[0].deleted_at is None
    with pytest.raises(NotFound):
        sa.get(OPERATOR, unique_id)
    assert sa.get(OPERATOR, unique_id, deleted_ok=True).deleted_at is not None
    svc.clock.advance(30 * 24 * 3600 + 1)
    assert [a.email for a in sa.list(OPERATOR, project_id, show_deleted=True)] == [kept]
