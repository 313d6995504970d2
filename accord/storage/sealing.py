"""Private keys at rest: a PKCS#8 PEM sealed with AES-256-GCM under a key-encryption key,
with the key's id as associated data (so a sealed key cannot be moved to another row).

Shared by the ID-token key ring (``accord.storage.keys``) and the system-managed keys of
service accounts (``accord.storage.service_accounts``); each passes its own
``settings.subkey(...)``.
"""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

_NONCE = 12


class KeyDecryptionError(RuntimeError):
    pass


class Sealer:
    def __init__(self, encryption_key: bytes) -> None:
        if len(encryption_key) != 32:
            raise ValueError("the key-encryption key must be 32 bytes (AES-256)")
        self._aead = AESGCM(encryption_key)

    def seal(self, key_id: str, private: rsa.RSAPrivateKey) -> str:
        nonce = secrets.token_bytes(_NONCE)
        sealed = nonce + self._aead.encrypt(nonce, pkcs8_pem(private), key_id.encode())
        return base64.urlsafe_b64encode(sealed).decode()

    def open(self, key_id: str, sealed_text: str, what: str = "signing key") -> bytes:
        """The PKCS#8 PEM; :class:`KeyDecryptionError` under another key-encryption key."""
        sealed = base64.urlsafe_b64decode(sealed_text)
        try:
            return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], key_id.encode())
        except InvalidTag:
            raise KeyDecryptionError(
                f"{what} {key_id} cannot be decrypted: the key-encryption key "
                "(ACCORD_SECRET_KEY, or DATA_DIR/secret.key when that is unset) is not "
                "the one it was stored with"
            ) from None

    def open_key(
        self, key_id: str, sealed_text: str, what: str = "signing key"
    ) -> rsa.RSAPrivateKey:
        key = serialization.load_pem_private_key(self.open(key_id, sealed_text, what), None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def new_key_id() -> str:
    return secrets.token_hex(20)  # 40 hex digits, like Google's kids and private_key_ids


def pkcs8_pem(private: rsa.RSAPrivateKey) -> bytes:
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(private: rsa.RSAPrivateKey) -> str:
    return private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def self_signed(
    private: rsa.RSAPrivateKey, common_name: str, kid: str, not_before: int, not_after: int
) -> str:
    """A self-signed X.509 PEM, as Google publishes (reference §1.9); only its key is used."""
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, kid),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.fromtimestamp(not_before, tz=UTC))
        .not_valid_after(datetime.fromtimestamp(not_after, tz=UTC))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()
