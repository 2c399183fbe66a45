"""Who may use every URL pattern of a gym's host (``config.urls_tenant``), decided once, here.

Keyed by URL name (unnamed patterns by their route string). ``test_route_access.py`` fails for a pattern that has
no entry here and for an entry whose pattern is gone, so no page can be added without deciding its access.

An entry says what the URL's ids name (``kind``, see ``test_route_access.KINDS``) and, for GET and POST, which of
the active roles (owner, senior, trainer, assistant) may use it on which targets:

- ``"never"``: the page is one the role can never use (its role gate refuses): a friendly 403 "not available for
  your role", whatever the ids in the URL (so the answer tells nothing about any object).
- ``"own"``: an object of the actor (for an assistant, one of the trainer they assist; for pages about a member,
  the actor themselves), ``"other"``: one of another trainer of the same gym. For pages without an object,
  ``"ok"``. A target that is not listed answers 404; an id from another gym answers 404 (403 for ``"never"``).
- ``"~own"``, ``"~other"``, ``"~ok"``: the page is answered (the ``ok`` statuses) but the service refuses the
  write, so nothing changes in the database.
- A deactivated trainer, a visitor who is not signed in and a member of another gym always go to the login page.

Allowed GETs answer ``get_ok``, allowed POSTs ``post_ok``. ``post=None``: the route does not accept POST.
``get=NO_GET``: a POST-only route, whose GET serves nothing to anyone (404 or 405, login page when signed out).
``changes=False``: an allowed POST writes nothing the test watches (a preview, a form posted without its file).
``public=True``: pages for everyone (sign-in, invitations, language): ``get_ok``/``post_ok`` are what the anonymous
visitor gets, and nobody gets a 5xx.
"""

from dataclasses import dataclass, field

NO_GET = "no-get"


def access(owner="", senior="", trainer="", assistant=""):
    given = {"owner": owner, "senior": senior, "trainer": trainer, "assistant": assistant}
    return {role: tokens.split() for role, tokens in given.items()}


EVERYONE = access("ok", "ok", "ok", "ok")
NOT_ASSISTANTS = access("ok", "ok", "ok", "never")
OWNER_SENIOR = access("ok", "ok", "never", "never")
OWNER = access("ok", "never", "never", "never")
# Objects of clients (their assessments, sessions...): the owner all, seniors and trainers their own, assistants
# those of the trainers they assist.
SEE_CLIENT = access("own other", "own", "own", "own")
# Packages, payments and prices: never assistants.
SEE_MONEY = access("own other", "own", "own", "never")
# Archiving: assistants never remove anything; the rule is about the object, so they get 404 like any refusal.
REMOVE_CLIENT = access("own other", "own", "own")
OWNER_ANY = access("own other", "never", "never", "never")
# Profiles and availability: the owner and seniors see the team, the others themselves.
SEE_MEMBER = access("own other", "own other", "own", "own")
EDIT_MEMBER = access("own other", "own", "own", "own")
# A trainer's analytics: the owner and seniors any trainer's, trainers their own, assistants those they assist.
SEE_ANALYTICS = access("own other", "own other", "own", "own")


@dataclass(frozen=True)
class Route:
    kind: str | None = None
    get: object = None
    post: object = None
    get_ok: tuple = (200,)
    post_ok: tuple = (302,)
    public: bool = False
    # An allowed POST (with the test's payload) changes the database; False for those that only read or answer 400.
    changes: bool = True
    # Per (method, role, target): pytest.mark.xfail reasons where the app contradicts ARCHITECTURE.md.
    xfail: dict = field(default_factory=dict)


def public(get_ok=(200,), post_ok=None, kind=None):
    return Route(
        kind=kind, get="public", post="public" if post_ok else None, get_ok=get_ok, post_ok=post_ok or (), public=True
    )


# Another member of the team (deactivate, reactivate, whom an assistant assists): the owner and seniors.
OTHER_MEMBERS = access("other", "other", "never", "never")
# Personal things (API keys): everyone their own, the owner everyone's.
OWN_OR_OWNER = access("own other", "own", "own", "own")

ROUTES = {
    # --- allauth and other public pages ---------------------------------------------------------------------------
    "account_login": public((200,), (200,)),
    "account_logout": public((302,), (302,)),
    "account_inactive": public((200,)),
    # Sign-up is closed on gym hosts (invitation only): the page answers, a valid form creates nobody.
    "account_signup": public((200,), (200,)),
    "account_reauthenticate": public((302,), (302,)),
    "account_email": public((302,), (302,)),
    "account_email_verification_sent": public((200,)),
    "account_change_password": public((302,), (302,)),
    "account_set_password": public((302,), (302,)),
    "account_reset_password": public((200,), (302,)),
    "account_confirm_login_code": public((302,), (302,)),
    "account_confirm_email": public((200,), (404,), kind="dummy_key"),
    "account_reset_password_from_key_done": public((200,)),
    "account_reset_password_from_key": public((200,), (200,), kind="dummy_reset_key"),
    "account_reset_password_done": public((200,)),
    "set_language": public((302,), (302,)),
    # The invitation link: its own gym's token works for anyone, another gym's token answers 404.
    "invitation_accept": Route(kind="token", get="public", post="public", get_ok=(200,), post_ok=(302,), public=True),
    # --- clients --------------------------------------------------------------------------------------------------
    "client_list": Route(get=EVERYONE),
    "client_create": Route(get=EVERYONE, post=EVERYONE),
    "client_import": Route(get=EVERYONE, post=EVERYONE, post_ok=(400,), changes=False),  # posted without a file
    "client_export": Route(get=EVERYONE),
    "client_detail": Route(kind="client", get=SEE_CLIENT),
    "client_update": Route(kind="client", get=SEE_CLIENT, post=SEE_CLIENT),
    # Archiving takes a client off the lists: assistants never remove anything (apps/clients/permissions.py).
    "client_archive": Route(kind="client", get=NO_GET, post=REMOVE_CLIENT),
    "client_unarchive": Route(kind="client", get=NO_GET, post=REMOVE_CLIENT, changes=False),  # the client is active
    "client_screening": Route(kind="client", get=SEE_CLIENT, post=SEE_CLIENT),
    "client_data_export": Route(kind="client", get=OWNER_ANY),
    "client_erase": Route(kind="client", get=OWNER_ANY, post=OWNER_ANY),
    # A payment from the client's page: money, so never assistants.
    "client_payment_create": Route(kind="client", get=SEE_MONEY, post=SEE_MONEY),
    # --- assessments ----------------------------------------------------------------------------------------------
    "assessment_list": Route(kind="client", get=SEE_CLIENT),
    "assessment_create": Route(kind="client", get=SEE_CLIENT, post=SEE_CLIENT),
    "assessment_preview": Route(kind="client", get=NO_GET, post=SEE_CLIENT, post_ok=(200,), changes=False),
    "assessment_compare": Route(kind="client", get=SEE_CLIENT),
    "assessment_detail": Route(kind="assessment", get=SEE_CLIENT),
    "assessment_result_override": Route(kind="result", get=NO_GET, post=SEE_CLIENT),
    # Re-scoring with the current norms: whoever may edit the client (as overrides). The world's assessments are
    # scored with the current version, so the allowed POST answers 302 with "nothing to re-score" and writes nothing.
    "assessment_rescore": Route(kind="assessment", get=SEE_CLIENT, post=SEE_CLIENT, changes=False),
    # The assessment's PDF: whoever may open the assessment's page.
    "assessment_report": Route(kind="assessment", get=SEE_CLIENT),
    # What the report adds (next assessment, a note) and the client's report language: whoever may edit the client.
    "assessment_report_details": Route(kind="assessment", get=NO_GET, post=SEE_CLIENT),
    # E-mailing the report: the world's clients have given no consent, so the allowed POST is refused politely.
    "assessment_report_email": Route(kind="assessment", get=NO_GET, post=SEE_CLIENT, changes=False),
    "client_report_language": Route(kind="client", get=NO_GET, post=SEE_CLIENT),
    # --- packages, payments, sessions -----------------------------------------------------------------------------
    "package_list": Route(get=NOT_ASSISTANTS),
    "package_expiring": Route(get=NOT_ASSISTANTS),
    "package_sell": Route(get=NOT_ASSISTANTS, post=NOT_ASSISTANTS),
    "package_detail": Route(kind="package", get=SEE_MONEY),
    "package_cancel": Route(kind="package", get=NO_GET, post=SEE_MONEY),
    "payment_create": Route(kind="package", get=NO_GET, post=SEE_MONEY),
    "payment_refund": Route(kind="package", get=NO_GET, post=SEE_MONEY),
    "payment_list": Route(get=NOT_ASSISTANTS),
    "payment_receipt": Route(kind="payment", get=SEE_MONEY),
    "calendar": Route(get=EVERYONE),
    "session_schedule": Route(get=EVERYONE, post=EVERYONE),
    # GET: the confirmation (a page, or with HTMX the calendar dialog's body).
    "session_complete": Route(kind="session", get=SEE_CLIENT, post=SEE_CLIENT),
    "session_cancel": Route(kind="session", get=SEE_CLIENT, post=SEE_CLIENT),
    "session_no_show": Route(kind="session", get=SEE_CLIENT, post=SEE_CLIENT),
    "session_edit": Route(kind="session", get=SEE_CLIENT, post=SEE_CLIENT),
    # The test's sessions are scheduled, so there is nothing to undo: the service refuses, nothing changes.
    "session_undo": Route(kind="session", get=NO_GET, post=access("~own ~other", "~own", "~own", "~own")),
    # --- dashboard and team ---------------------------------------------------------------------------------------
    "dashboard": Route(get=EVERYONE),
    "team": Route(get=OWNER_SENIOR),
    "invitation_create": Route(get=OWNER_SENIOR, post=OWNER_SENIOR, get_ok=(302,)),
    # Seniors manage invitations of trainers and assistants ("own"), not of seniors ("other").
    "invitation_resend": Route(kind="invitation", get=NO_GET, post=access("own other", "own", "never", "never")),
    "invitation_revoke": Route(kind="invitation", get=NO_GET, post=access("own other", "own", "never", "never")),
    # "own" is the actor themselves. Changing roles: the owner only (the last owner stays an owner: answered with a
    # message, nothing changes); for a senior the action does not exist (404).
    # Its GET is the confirmation form (a dialog on the team page).
    "team_member_role": Route(
        kind="member", get=access("own other", "", "never", "never"), post=access("~own other", "", "never", "never")
    ),
    # Deactivate: never oneself; a senior deactivates trainers and assistants ("other" is a trainer).
    # Its GET is the confirmation naming the consequences (a dialog on the team page).
    "team_member_deactivate": Route(kind="member", get=OTHER_MEMBERS, post=OTHER_MEMBERS),
    # "other" is a deactivated trainer; the actor themselves is active already.
    "team_member_reactivate": Route(kind="inactive_member", get=NO_GET, post=OTHER_MEMBERS),
    "team_member_transfer": Route(kind="member", get=OWNER_ANY, post=OWNER_ANY),
    # "own" is the actor (not an assistant), "other" an assistant of the gym.
    "team_member_assists": Route(kind="assistant_member", get=OTHER_MEMBERS, post=OTHER_MEMBERS),
    # The switcher's choice lives in the browser session only.
    "view_as": Route(get=NO_GET, post=access("ok", "never", "never", "ok"), changes=False),
    "audit_log": Route(get=OWNER),
    "audit_log_export": Route(get=OWNER),
    # The gym's settings (name, timezone, branding): the owner only. Posted without its fields: 400, nothing written.
    "gym_settings": Route(get=OWNER, post=OWNER, post_ok=(400,), changes=False),
    # Putting away the dashboard's set-up checklist: the owner; it is kept on the Organization (public schema, not
    # among the tables watched).
    "setup_checklist_dismiss": Route(get=NO_GET, post=OWNER, changes=False),
    # --- analytics ------------------------------------------------------------------------------------------------
    # Everyone has their own page (the owner is sent on to the gym's); any trainer's for the owner and seniors
    # (without money), the trainers they assist for assistants; the gym's for the owner.
    "analytics": Route(get=EVERYONE, get_ok=(200, 302)),
    "analytics_export": Route(kind="table", get=EVERYONE),
    "analytics_gym": Route(get=OWNER),
    "analytics_gym_export": Route(kind="table", get=OWNER),
    "analytics_gym_xlsx": Route(get=OWNER),
    "analytics_trainer": Route(kind="coach", get=SEE_ANALYTICS),
    "analytics_trainer_export": Route(kind="coach_table", get=SEE_ANALYTICS),
    # Report exports: the owner's own. Their status and file answer 404 to everyone else (tests/reports/test_exports.py
    # checks an owner's own export and another owner's); here the id names no export.
    "report_exports": Route(get=OWNER, post=OWNER, changes=False),  # its row is not among the tables watched
    "report_export_status": Route(kind="no_export", get=access("", "never", "never", "never")),
    "report_export_download": Route(kind="no_export", get=access("", "never", "never", "never")),
    # A trainer's month as a PDF: whoever may see the trainer's analytics.
    "monthly_report": Route(kind="coach_month", get=SEE_ANALYTICS),
    # --- profiles, specialties ------------------------------------------------------------------------------------
    "my_profile": Route(get=EVERYONE, get_ok=(302,)),
    "trainer_profile": Route(kind="member", get=SEE_MEMBER),
    "trainer_profile_edit": Route(kind="member", get=EDIT_MEMBER, post=EDIT_MEMBER),
    # Posted without a file; removing a photo nobody has: both answer, neither writes.
    "trainer_photo": Route(
        kind="member", get=EDIT_MEMBER, post=EDIT_MEMBER, get_ok=(302,), post_ok=(400,), changes=False
    ),
    "trainer_photo_remove": Route(kind="member", get=NO_GET, post=EDIT_MEMBER, changes=False),
    "certification_create": Route(kind="member", get=EDIT_MEMBER, post=EDIT_MEMBER, get_ok=(302,)),
    "certification_update": Route(kind="certification", get=EDIT_MEMBER, post=EDIT_MEMBER),
    "certification_delete": Route(kind="certification", get=NO_GET, post=EDIT_MEMBER),
    "specialty_list": Route(get=OWNER, post=OWNER),
    "specialty_rename": Route(kind="specialty", get=NO_GET, post=OWNER_ANY),
    "specialty_deactivate": Route(kind="specialty", get=NO_GET, post=OWNER_ANY),
    "specialty_reactivate": Route(kind="specialty", get=NO_GET, post=OWNER_ANY, changes=False),  # both are offered
    # "other" is a specialty a trainer has: it is not deleted.
    "specialty_delete": Route(kind="specialty", get=NO_GET, post=access("own ~other", "never", "never", "never")),
    # --- availability ---------------------------------------------------------------------------------------------
    "availability": Route(get=EVERYONE),
    "trainer_availability": Route(kind="member", get=SEE_MEMBER),
    "availability_slot_add": Route(kind="member", get=EDIT_MEMBER, post=EDIT_MEMBER, get_ok=(302,)),
    "availability_slot_edit": Route(kind="slot", get=EDIT_MEMBER, post=EDIT_MEMBER),
    "availability_slot_delete": Route(kind="slot", get=EDIT_MEMBER, post=EDIT_MEMBER, get_ok=(302,)),
    "time_off_add": Route(kind="member", get=EDIT_MEMBER, post=EDIT_MEMBER, get_ok=(302,)),
    "time_off_delete": Route(kind="time_off", get=EDIT_MEMBER, post=EDIT_MEMBER, get_ok=(302,)),
    # --- pricing templates ----------------------------------------------------------------------------------------
    "pricing_list": Route(get=NOT_ASSISTANTS),
    "pricing_create": Route(get=NOT_ASSISTANTS, post=NOT_ASSISTANTS),
    "pricing_update": Route(kind="pricing", get=SEE_MONEY, post=SEE_MONEY),
    "pricing_toggle": Route(kind="pricing", get=NO_GET, post=SEE_MONEY),
    # --- API keys (the page; the API itself is tests/security/api_route_table.py) -------------------------------
    "api_keys": Route(get=EVERYONE, post=EVERYONE, post_ok=(200,)),
    "api_key_revoke": Route(kind="api_key", get=NO_GET, post=OWN_OR_OWNER),
    # --- issue 15: the trainer's calendar feed ------------------------------------------------------------------
    # The page makes (POST: shown once, 200) or replaces the actor's own link; assistants have no sessions of their
    # own. The feed itself is anonymous: the token is the credential, and a wrong or replaced token answers 404.
    "calendar_feed": Route(get=NOT_ASSISTANTS, post=NOT_ASSISTANTS, post_ok=(200,)),
    "calendar_feed_ics": public((404,), kind="feed_token"),
}
