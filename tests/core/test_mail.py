"""The development mail backend: a decoded .txt beside each .eml, and the console shows the decoded text."""

from django.core.mail import EmailMultiAlternatives

from apps.core.mail import ConsoleAndFileEmailBackend

LINK = "http://demo.localhost:8000/invitations/" + "Zk3-_q" * 8 + "/"


def test_each_message_is_kept_as_eml_and_a_decoded_txt_with_the_link_whole(tmp_path, capsys):
    body = f"박지민 님이 데모 피트니스에 초대했습니다.\n초대를 수락하려면:\n{LINK}\n\n" + "A long line. " * 12 + "\n"
    message = EmailMultiAlternatives("데모 피트니스 초대", body, "no-reply@localhost", ["new@example.com"])
    message.attach_alternative(f"<p><a href='{LINK}'>{LINK}</a></p>", "text/html")
    message.attach("report.pdf", b"%PDF-1.7", "application/pdf")

    assert ConsoleAndFileEmailBackend(file_path=str(tmp_path)).send_messages([message]) == 1

    (eml,) = tmp_path.glob("*.eml")
    txt = eml.with_suffix(".txt")
    assert b"Content-Transfer-Encoding" in eml.read_bytes()  # the .eml is the message as sent
    text = txt.read_text(encoding="utf-8")
    assert text.startswith("From: no-reply@localhost\nTo: new@example.com\nSubject: 데모 피트니스 초대\n\n")
    assert LINK in text.splitlines()
    assert "박지민 님이 데모 피트니스에 초대했습니다." in text
    assert text.endswith("[attached: report.pdf]\n")
    printed = capsys.readouterr().out
    assert LINK in printed.splitlines()
    assert f"(kept as {eml} and .txt)" in printed
