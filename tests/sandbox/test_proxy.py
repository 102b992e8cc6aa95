"""The forward proxy: http in absolute form, https through CONNECT + TLS, keep-alive, HEAD/POST,
502 for hosts it does not serve, and no harm from garbage or clients that reject the cert."""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
from pathlib import Path

from cryptography import x509

import sandbox

SEED_URL = "https://www.zc.gov.cn/gk/zfxxgk/zfxxgkgznb/content/post_5672236.html"
SEED_TITLE = "2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告"
REPO = Path(__file__).resolve().parents[2]


def _raw(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_https_and_http_serve_the_same_page_under_the_real_hostname(client):
    https = client.get(SEED_URL)
    http = client.get(SEED_URL.replace("https://", "http://"))
    assert (https.status, http.status) == (200, 200)
    assert https.body == http.body
    assert f'<h1 class="article-title">{SEED_TITLE}</h1>' in https.text
    assert https.headers["server"] == "nginx"


def test_a_host_the_sandbox_does_not_serve_gets_a_502_that_says_why(client):
    plain = client.get("http://www.example.com/index.html")
    assert plain.status == 502
    assert (
        plain.text == "sandbox: no route to www.example.com (offline; there is no internet here)\n"
    )


def test_connect_to_an_unknown_host_is_refused_with_502(sb):
    answer = _raw(
        sb.port, b"CONNECT www.example.com:443 HTTP/1.1\r\nHost: www.example.com:443\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 502 ")
    assert b"no route to www.example.com" in answer


def test_keep_alive_answers_two_requests_on_one_connection(sb):
    one = b"GET http://www.zc.gov.cn/robots.txt HTTP/1.1\r\nHost: www.zc.gov.cn\r\n\r\n"
    two = b"GET http://www.zc.gov.cn/ HTTP/1.1\r\nHost: www.zc.gov.cn\r\nConnection: close\r\n\r\n"
    answer = _raw(sb.port, one + two)
    assert answer.count(b"HTTP/1.1 ") == 2
    assert answer.startswith(b"HTTP/1.1 404 ")
    assert b"HTTP/1.1 200 " in answer
    assert "广州市增城区人民政府门户网站".encode() in answer


def test_garbage_gets_a_400_and_the_proxy_keeps_serving(sb, client):
    answer = _raw(sb.port, b"\x16\x03\x01garbage that is not HTTP\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert client.get(SEED_URL).status == 200


def test_a_client_that_rejects_the_certificate_does_no_harm(sb, client):
    strict = ssl.create_default_context()  # verifies, so it rejects the self-signed cert
    with socket.create_connection(("127.0.0.1", sb.port), timeout=10) as sock:
        sock.sendall(b"CONNECT www.zc.gov.cn:443 HTTP/1.1\r\nHost: www.zc.gov.cn:443\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200 Connection established")
        try:
            strict.wrap_socket(sock, server_hostname="www.zc.gov.cn")
            rejected = False
        except ssl.SSLCertVerificationError:
            rejected = True
    assert rejected
    assert client.get(SEED_URL).status == 200


def test_certificate_names_every_sandbox_host(sb):
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", sb.port), timeout=10) as sock:
        sock.sendall(b"CONNECT www.zc.gov.cn:443 HTTP/1.1\r\nHost: www.zc.gov.cn:443\r\n\r\n")
        sock.recv(4096)
        with insecure.wrap_socket(sock, server_hostname="www.zc.gov.cn") as tls:
            der = tls.getpeercert(binary_form=True)
    san = x509.load_der_x509_certificate(der).extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    names = san.value.get_values_for_type(x509.DNSName)
    assert {"www.zc.gov.cn", "www.zengcheng.gov.cn", "zengcheng.gov.cn", "zc.gov.cn"} <= set(names)
    assert names == sb.router.hosts


def test_head_has_the_headers_of_get_and_no_body(client):
    get = client.get(SEED_URL)
    head = client.get(SEED_URL, method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["content-length"] == str(len(get.body)) == get.headers["content-length"]
    assert head.headers["etag"] == get.headers["etag"]


def test_post_is_answered_like_get(client):
    posted = client.get(SEED_URL, data=b"a=1", method="POST")
    assert posted.status == 200
    assert SEED_TITLE in posted.text


def test_serve_command_prints_one_ready_line_and_stops_on_sigterm():
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("SANDBOX READY http://127.0.0.1:")
        port = int(line.strip().rsplit(":", 1)[1])
        answer = _raw(
            port,
            b"GET http://www.zc.gov.cn/ HTTP/1.1\r\nHost: www.zc.gov.cn\r\n"
            b"Connection: close\r\n\r\n",
        )
        assert answer.startswith(b"HTTP/1.1 200 ")
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0
    assert out == ""  # the ready line was the only output
    assert err == ""  # no request log without -v, no traceback


def test_manifest_command_writes_the_same_truth_as_the_api(tmp_path):
    out = tmp_path / "manifest.json"
    assert sandbox.main(["manifest", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == sandbox.manifest()
