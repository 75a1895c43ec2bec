"""Electronic seals (电子印章): a key and self-signed certificate per department (made with `cryptography`), a
seal image drawn with Pillow, PDF signing and verification with pyHanko."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import math

from django.conf import settings
from django.utils.translation import gettext as _

# How long a generated seal certificate is valid (not statutory; an administrative choice).
SEAL_VALIDITY_DAYS = 5 * 365
SIGNATURE_FIELD = "GongkaiSeal"


def _key_password() -> bytes:
    return hashlib.sha256(("gongkai-seal:" + settings.SECRET_KEY).encode()).digest()


def generate_key_and_certificate(department_name: str, department_code: str, today: datetime.date):
    """Returns (private key PEM (encrypted), certificate PEM, SHA-256 fingerprint, valid_until)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.WAGTAIL_SITE_NAME),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, department_code),
            x509.NameAttribute(NameOID.COMMON_NAME, department_name),
        ]
    )
    start = datetime.datetime.combine(today, datetime.time(), tzinfo=datetime.UTC) - datetime.timedelta(
        days=1
    )
    valid_until = today + datetime.timedelta(days=SEAL_VALIDITY_DAYS)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(datetime.datetime.combine(valid_until, datetime.time(23, 59), tzinfo=datetime.UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_key_password()),
    ).decode()
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    fingerprint = cert.fingerprint(hashes.SHA256()).hex()
    return key_pem, cert_pem, fingerprint, valid_until


def draw_seal_image(department_name: str) -> bytes:
    """A round red seal with the department's name around a star, as a transparent PNG."""
    from PIL import Image, ImageDraw

    from .fonts import pil_font

    size = 400
    red = (218, 37, 29, 255)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse([8, 8, size - 8, size - 8], outline=red, width=12)
    cx = cy = size / 2
    # five-pointed star
    points = []
    for i in range(10):
        r = 70 if i % 2 == 0 else 28
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    draw.polygon(points, fill=red)
    text = department_name[:16]
    font = pil_font(44 if len(text) <= 10 else 34)
    n = len(text)
    span = math.radians(min(250, 24 * n))
    for i, ch in enumerate(text):
        angle = math.pi / 2 + span / 2 - (span * i / max(1, n - 1) if n > 1 else 0)
        x = cx + 145 * math.cos(angle)
        y = cy - 145 * math.sin(angle)
        glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((30, 30), ch, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(math.degrees(angle - math.pi / 2), resample=Image.BICUBIC)
        img.alpha_composite(glyph, (int(x - 30), int(y - 30)))
    small = pil_font(30)
    draw.text((cx, cy + 110), "电子印章", font=small, fill=red, anchor="mm")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _load(seal):
    from asn1crypto import keys, pem, x509
    from cryptography.hazmat.primitives import serialization

    _type, _headers, der = pem.unarmor(seal.certificate_pem.encode())
    cert = x509.Certificate.load(der)
    private = serialization.load_pem_private_key(seal.encrypted_key_pem.encode(), password=_key_password())
    key_der = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert, keys.PrivateKeyInfo.load(key_der)


def sign_pdf(
    pdf_bytes: bytes,
    seal,
    *,
    reason: str = "政府信息公开答复",
    location: str = "",
    field_name: str = SIGNATURE_FIELD,
) -> bytes:
    """Signs the whole PDF (PAdES baseline, invisible field; the visible seal image is part of the page)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert, key = _load(seal)
    signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore.from_certs([cert])
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location or settings.WAGTAIL_SITE_NAME,
        name=seal.department.name,
    )
    out = io.BytesIO()
    outside_event_loop(lambda: signers.sign_pdf(writer, meta, signer=signer, output=out))
    return out.getvalue()


def outside_event_loop(func):
    """pyHanko calls asyncio.run(); under ASGI (or Playwright in tests) this thread may already run a loop, so
    the call then goes to a short-lived worker thread."""
    import asyncio
    import concurrent.futures

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func).result()


def _detail(template: str, **values) -> str:
    """One line of the verification details: an interface sentence (translated) around content values (names,
    numbers), which are tagged `lang="zh-Hans"` when Chinese and escaped; the result is safe HTML."""
    from django.utils.html import conditional_escape, format_html
    from django.utils.safestring import mark_safe

    from gongkai.portal.i18n import is_chinese

    tagged = {
        key: format_html('<span lang="zh-Hans">{}</span>', value)
        if is_chinese(value)
        else conditional_escape(value)
        for key, value in values.items()
    }
    return mark_safe(conditional_escape(template) % tagged)


class VerificationResult:
    def __init__(
        self, ok: bool, message: str, *, seal=None, reply=None, notice=None, details: list[str] | None = None
    ):
        self.ok = ok
        self.message = message
        self.seal = seal
        self.reply = reply
        self.notice = notice
        self.details = details or []


def verify_pdf(pdf_bytes: bytes) -> VerificationResult:
    """Checks that the PDF carries an intact signature by one of our seals covering the whole file, and that it
    is a reply this system issued. Never raises on hostile input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from .models import DepartmentSeal, Notice, ReplyLetter

    if not pdf_bytes or not pdf_bytes.lstrip()[:5].startswith(b"%PDF"):
        return VerificationResult(False, _("上传的文件不是 PDF 文件"))
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    reply = ReplyLetter.objects.filter(pdf_sha256=digest).select_related("request", "seal").first()
    notice = None if reply else Notice.objects.filter(pdf_sha256=digest).select_related("request").first()
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any parse failure of an uploaded file is "not verifiable"
        return VerificationResult(False, _("无法解析该 PDF 文件，可能已损坏或被篡改"))
    if not signatures:
        return VerificationResult(False, _("该 PDF 文件没有电子签章"))
    sig = signatures[-1]
    try:
        cert_der = sig.signer_cert.dump()
        fingerprint = hashlib.sha256(cert_der).hexdigest()
    except Exception:  # noqa: BLE001
        return VerificationResult(False, _("无法读取签章证书"))
    seal = DepartmentSeal.objects.filter(fingerprint=fingerprint).select_related("department").first()
    if seal is None:
        return VerificationResult(False, _("签章证书不是本平台登记的部门电子印章"))
    try:
        from asn1crypto import pem, x509

        _t, _h, der = pem.unarmor(seal.certificate_pem.encode())
        root = x509.Certificate.load(der)
        context = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")
        status = outside_event_loop(lambda: validate_pdf_signature(sig, context))
    except Exception:  # noqa: BLE001
        return VerificationResult(False, _("签名数据无法校验，文件可能被篡改"), seal=seal)
    details = [
        _detail(_("签章单位：%(name)s"), name=seal.department.name),
        _detail(_("证书指纹：%(fingerprint)s"), fingerprint=seal.fingerprint),
    ]
    if not status.intact or not status.valid:
        return VerificationResult(
            False, _("签名校验失败：文件内容在签章后被修改"), seal=seal, details=details
        )
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return VerificationResult(
            False, _("签章后文件被追加修改，内容与签章时不一致"), seal=seal, details=details
        )
    if reply is None and notice is not None:
        details.append(
            _detail(
                _("文书编号：%(number)s（%(kind)s）"), number=notice.number, kind=notice.get_kind_display()
            )
        )
        return VerificationResult(
            True,
            _("验证通过：该文书由本平台出具，签章有效，内容未被修改"),
            seal=seal,
            notice=notice,
            details=details,
        )
    if reply is None:
        return VerificationResult(
            False, _("签章有效，但该文件与本平台存档的答复不一致"), seal=seal, details=details
        )
    details.append(_detail(_("答复编号：%(number)s"), number=reply.reply_number))
    return VerificationResult(
        True,
        _("验证通过：该答复由本平台出具，签章有效，内容未被修改"),
        seal=seal,
        reply=reply,
        details=details,
    )


def seal_image_data_uri(seal) -> str:
    with seal.image.open("rb") as fh:
        return "data:image/png;base64," + base64.b64encode(fh.read()).decode()
