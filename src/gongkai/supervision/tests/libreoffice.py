"""Renders a .docx to PDF with LibreOffice (Debian's libreoffice-writer-nogui, installed by `make test`), with the
project's fontconfig map of GB/T 9704 font names to Debian's free fonts."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
FONT_MAP = REPO / "deploy" / "fontconfig" / "64-gongkai-gbt9704.conf"


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        pytest.skip("LibreOffice is not installed (make test installs libreoffice-writer-nogui)")
    return path


def docx_to_pdf(docx: bytes, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "bulletin.docx"
    source.write_bytes(docx)
    fonts_conf = folder / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>'
        f'<include>{FONT_MAP}</include><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<cachedir>{folder / 'fc-cache'}</cachedir></fontconfig>\n"
    )
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(fonts_conf),
        "HOME": str(folder),
        "SAL_USE_VCLPLUGIN": "svp",
    }
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    pdf = folder / "bulletin.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf
