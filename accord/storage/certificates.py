"""The self-signed X.509 certificate of a signing key, as in Google's v1 certs (reference
§1.9): only its public key is used by verifiers."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def self_signed(
    private: rsa.RSAPrivateKey, kid: str, common_name: str, not_before: int, not_after: int
) -> str:
    """The PEM of a certificate of ``private``'s public key, named after the kid."""
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
