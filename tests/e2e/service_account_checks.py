"""What a downloaded service-account key file must do: its private key is the one whose
certificate Accord publishes at client_x509_cert_url (reference §1.14), and google-auth
refreshes it unchanged through Accord's token endpoint (the JWT-bearer grant, §1.15)."""

from __future__ import annotations

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from google.auth.transport.requests import Request
from google.oauth2 import service_account

from tests.conftest import DRIVE_META, Server


def public_numbers_match(key_file: dict[str, str], certificate_pem: str) -> bool:
    private = serialization.load_pem_private_key(key_file["private_key"].encode(), None)
    cert = x509.load_pem_x509_certificate(certificate_pem.encode())
    return bool(cert.public_key().public_numbers() == private.public_key().public_numbers())  # type: ignore[union-attr]


def check_key_file_works(server: Server, key_file: dict[str, str]) -> None:
    published = requests.get(key_file["client_x509_cert_url"], timeout=10)
    assert published.status_code == 200, published.text
    assert key_file["client_x509_cert_url"].startswith(server.url + "/robot/v1/metadata/x509/")
    certificate = published.json()[key_file["private_key_id"]]
    assert public_numbers_match(key_file, certificate)

    credentials = service_account.Credentials.from_service_account_info(
        key_file, scopes=[DRIVE_META]
    )
    credentials.refresh(Request())
    assert credentials.token and credentials.valid
    info = requests.get(server.url + "/tokeninfo",
                        params={"access_token": credentials.token}, timeout=10)
    assert info.status_code == 200, info.text
    # At Google the "client" of an account's token is the account's unique ID.
    assert info.json()["azp"] == info.json()["aud"] == key_file["client_id"]
    assert info.json()["scope"] == DRIVE_META
