"""Forms of the assessment pages. Values reach the scoring engine as typed; it names the field it refuses."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.dates import gym_timezone
from apps.core.forms import ServiceForm

from .models import Setting
from .scoring import TestType, norms
from .services import MAX_REASON, clean_assessment, clean_override


class OverrideForm(ServiceForm):
    service_field_check = clean_override

    score = forms.IntegerField(label=_("Score (0-100)"), min_value=0, max_value=100)
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON, widget=forms.TextInput)


COMPENSATION_LABELS = {
    "torso_forward_lean": _("Torso leans forward"),
    "femur_above_horizontal": _("Thighs stay above horizontal"),
    "knees_valgus": _("Knees cave in"),
    "dowel_forward": _("Dowel drifts forward"),
    "heels_rise": _("Heels rise"),
    "lumbar_flexion": _("Lower back rounds"),
    "weight_shift": _("Weight shifts to one side"),
}
# In the order of the norm file; a code without a label fails at import, not on the gym floor.
COMPENSATIONS = [
    (code, COMPENSATION_LABELS[code]) for code in norms.load("movement_screen")["deep_squat"]["compensations"]
]


def _number(label, **attrs):
    return forms.CharField(
        label=label, required=False, widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6, **attrs})
    )


# (test type, form field, engine key, "raw" or "protocol")
NUMBER_FIELDS = [
    (TestType.SHOULDER_MOBILITY, "shoulder_left_cm", "left_cm", "raw"),
    (TestType.SHOULDER_MOBILITY, "shoulder_right_cm", "right_cm", "raw"),
    (TestType.SHOULDER_MOBILITY, "shoulder_hand_length_cm", "hand_length_cm", "raw"),
    (TestType.SIT_AND_REACH, "reach_cm", "reach_cm", "raw"),
    (TestType.SIT_AND_REACH, "box_zero_offset_cm", "box_zero_offset_cm", "protocol"),
    (TestType.PUSH_UPS, "push_ups_reps", "reps", "raw"),
    (TestType.FARMERS_CARRY, "carry_load_kg", "load_kg", "raw"),
    (TestType.FARMERS_CARRY, "carry_body_weight_kg", "body_weight_kg", "raw"),
    (TestType.FARMERS_CARRY, "carry_distance_m", "distance_m", "raw"),
    (TestType.FARMERS_CARRY, "carry_time_s", "time_s", "raw"),
    (TestType.BALANCE_EYES_OPEN, "eyes_open_left_s", "left_s", "raw"),
    (TestType.BALANCE_EYES_OPEN, "eyes_open_right_s", "right_s", "raw"),
    (TestType.BALANCE_EYES_CLOSED, "eyes_closed_left_s", "left_s", "raw"),
    (TestType.BALANCE_EYES_CLOSED, "eyes_closed_right_s", "right_s", "raw"),
    (TestType.STEP_TEST, "step_recovery_hr_bpm", "recovery_hr_bpm", "raw"),
    (TestType.STEP_TEST, "step_duration_s", "duration_s", "raw"),
    (TestType.STEP_TEST, "step_pulse_1", "pulse_1", "raw"),
    (TestType.STEP_TEST, "step_pulse_2", "pulse_2", "raw"),
    (TestType.STEP_TEST, "step_pulse_3", "pulse_3", "raw"),
    (TestType.STEP_TEST, "step_height_cm", "step_height_cm", "protocol"),
]
# Fields that alone do not make a test "measured" (defaults shown in the form).
DEFAULTED = {"box_zero_offset_cm", "carry_body_weight_kg", "carry_distance_m", "step_height_cm"}


class AssessmentForm(ServiceForm):
    """One page, grouped by category; a test counts as measured when one of its own values is entered."""

    performed_at = forms.DateTimeField(
        label=_("Performed at"),
        required=False,
        help_text=_("Empty: now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    setting = forms.ChoiceField(label=_("Conditions"), choices=Setting.choices, initial=Setting.INDOOR)
    temperature_c = _number(_("Temperature (°C)"))
    age = forms.IntegerField(
        label=_("Age"), required=False, help_text=_("Only when the client's date of birth is not recorded.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Only for a client who needs medical clearance; the service refuses the assessment without it.
    clearance_confirmed = forms.BooleanField(
        label=_("Medical clearance was obtained: proceed with the assessment"), required=False
    )

    deep_squat_measured = forms.BooleanField(label=_("Overhead squat done"), required=False)
    deep_squat_pain = forms.BooleanField(label=_("Pain"), required=False)
    deep_squat_compensations = forms.MultipleChoiceField(
        label=_("Compensations"), choices=COMPENSATIONS, required=False, widget=forms.CheckboxSelectMultiple
    )
    deep_squat_heel_lift_retest = forms.BooleanField(label=_("Retested with heels raised"), required=False)
    deep_squat_heel_lift_compensations = forms.MultipleChoiceField(
        label=_("Compensations with heels raised"),
        choices=COMPENSATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shoulder_left_cm = _number(_("Left arm on top: distance between fists (cm)"))
    shoulder_right_cm = _number(_("Right arm on top: distance between fists (cm)"))
    shoulder_hand_length_cm = _number(_("Hand length (cm)"))
    shoulder_left_pain = forms.BooleanField(label=_("Clearing test painful, left"), required=False)
    shoulder_right_pain = forms.BooleanField(label=_("Clearing test painful, right"), required=False)
    reach_cm = _number(_("Sit-and-reach: reach on the box (cm)"))
    box_zero_offset_cm = _number(_("Box reading at the soles of the feet (cm)"))
    push_ups_reps = _number(_("Push-ups"))
    push_ups_variant = forms.ChoiceField(
        label=_("Push-ups done"),
        choices=[("standard", _("On the toes (standard)")), ("knee", _("On the knees"))],
        initial="standard",
    )
    carry_load_kg = _number(_("Farmer's carry: total load (kg)"))
    carry_body_weight_kg = _number(_("Body weight (kg)"))
    carry_distance_m = _number(_("Distance (m)"))
    carry_time_s = _number(_("Time (s)"))
    eyes_open_left_s = _number(_("Eyes open, left leg (s)"))
    eyes_open_right_s = _number(_("Eyes open, right leg (s)"))
    eyes_closed_left_s = _number(_("Eyes closed, left leg (s)"))
    eyes_closed_right_s = _number(_("Eyes closed, right leg (s)"))
    step_protocol = forms.ChoiceField(
        label=_("Step test"),
        choices=[("ymca", _("YMCA 3 minutes")), ("harvard", _("Harvard"))],
        initial="ymca",
    )
    step_height_cm = _number(_("Step height (cm)"))
    step_recovery_hr_bpm = _number(_("YMCA: heart rate over the first minute of recovery (bpm)"))
    step_duration_s = _number(_("Duration stepped (s)"))
    step_harvard_form = forms.ChoiceField(
        label=_("Harvard form"), choices=[("long", _("Long (three counts)")), ("short", _("Short (one count)"))]
    )
    step_pulse_1 = _number(_("Harvard: beats 1:00-1:30"))
    step_pulse_2 = _number(_("Harvard: beats 2:00-2:30"))
    step_pulse_3 = _number(_("Harvard: beats 3:00-3:30"))

    def __init__(self, *args, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["box_zero_offset_cm"].initial = "26"
        self.fields["carry_distance_m"].initial = "40"
        weight = getattr(client, "weight_kg", None)
        if weight:
            self.fields["carry_body_weight_kg"].initial = f"{weight:g}"
        # The published norms: women on the knees, men on the toes. Start from the one the client's norm expects.
        if getattr(client, "sex", "") == "female":
            self.fields["push_ups_variant"].initial = "knee"
        if client is not None and getattr(client, "date_of_birth", None):
            del self.fields["age"]
        if not getattr(client, "needs_medical_clearance", False):
            del self.fields["clearance_confirmed"]

    def clean_performed_at(self):
        value = self.cleaned_data.get("performed_at")
        if value is not None:
            value = value.replace(tzinfo=None).replace(tzinfo=gym_timezone())
        return value

    def results(self):
        """{test type: {"raw": ..., "protocol": ...}} of the measured tests, values as typed."""
        data = self.cleaned_data
        results = {}
        for test_type, name, key, part in NUMBER_FIELDS:
            value = (data.get(name) or "").strip()
            if not value:
                continue
            entry = results.setdefault(test_type, {"raw": {}, "protocol": {}, "measured": False})
            entry[part][key] = value
            entry["measured"] = entry["measured"] or name not in DEFAULTED
        results = {t: {"raw": e["raw"], "protocol": e["protocol"]} for t, e in results.items() if e["measured"]}
        if TestType.SHOULDER_MOBILITY in results:
            raw = results[TestType.SHOULDER_MOBILITY]["raw"]
            raw["left_clearing_pain"] = data.get("shoulder_left_pain", False)
            raw["right_clearing_pain"] = data.get("shoulder_right_pain", False)
        if TestType.PUSH_UPS in results:
            results[TestType.PUSH_UPS]["protocol"]["variant"] = data.get("push_ups_variant", "standard")
        if TestType.STEP_TEST in results:
            protocol = results[TestType.STEP_TEST]["protocol"]
            protocol["protocol"] = data.get("step_protocol", "ymca")
            raw = results[TestType.STEP_TEST]["raw"]
            if protocol["protocol"] == "harvard":
                protocol["form"] = data.get("step_harvard_form", "long")
                raw.pop("recovery_hr_bpm", None)
                if protocol["form"] == "short":
                    raw.pop("pulse_2", None)
                    raw.pop("pulse_3", None)
            else:
                for key in ("pulse_1", "pulse_2", "pulse_3"):
                    raw.pop(key, None)
        if data.get("deep_squat_measured") or data.get("deep_squat_compensations") or data.get("deep_squat_pain"):
            raw = {
                "pain": data.get("deep_squat_pain", False),
                "compensations": data.get("deep_squat_compensations", []),
            }
            if data.get("deep_squat_heel_lift_retest"):
                raw["heel_lift_compensations"] = data.get("deep_squat_heel_lift_compensations", [])
            results[TestType.DEEP_SQUAT] = {"raw": raw, "protocol": {}}
        return results

    FIELD_OF = {(t, key): name for t, name, key, _part in NUMBER_FIELDS}

    def form_field(self, service_field):
        """The engine names "push_ups.reps"; the form calls it "push_ups_reps"."""
        if "." not in service_field:
            return super().form_field(service_field)
        test_type, key = service_field.split(".", 1)
        field = self.FIELD_OF.get((test_type, key))
        if field is None and test_type == TestType.DEEP_SQUAT:
            field = "deep_squat_compensations"
        if field is None and key == "protocol":
            field = "step_protocol"
        return field

    def service_kwargs(self):
        """What the assessment services take, from the fields that parsed (an empty "Performed at": now)."""
        data = self.cleaned_data
        return {
            "performed_at": data.get("performed_at") or timezone.now(),
            "setting": data.get("setting", Setting.INDOOR),
            "temperature_c": data.get("temperature_c"),
            "notes": data.get("notes", ""),
            "age": data.get("age"),
            "results": self.results(),
            "clearance_confirmed": data.get("clearance_confirmed", False),
        }

    def check_service_fields(self, values):
        kwargs = self.service_kwargs()
        del kwargs["notes"]
        clean_assessment(client=self.client, **kwargs)


GROUPS = [
    (_("Conditions"), ["performed_at", "setting", "temperature_c", "age", "notes"]),
    (
        _("Mobility"),
        [
            "deep_squat_measured",
            "deep_squat_pain",
            "deep_squat_compensations",
            "deep_squat_heel_lift_retest",
            "deep_squat_heel_lift_compensations",
            "shoulder_hand_length_cm",
            "shoulder_left_cm",
            "shoulder_right_cm",
            "shoulder_left_pain",
            "shoulder_right_pain",
            "reach_cm",
            "box_zero_offset_cm",
        ],
    ),
    (
        _("Strength"),
        [
            "push_ups_reps",
            "push_ups_variant",
            "carry_load_kg",
            "carry_body_weight_kg",
            "carry_distance_m",
            "carry_time_s",
        ],
    ),
    (_("Balance"), ["eyes_open_left_s", "eyes_open_right_s", "eyes_closed_left_s", "eyes_closed_right_s"]),
    (
        _("Cardio"),
        [
            "step_protocol",
            "step_height_cm",
            "step_recovery_hr_bpm",
            "step_duration_s",
            "step_harvard_form",
            "step_pulse_1",
            "step_pulse_2",
            "step_pulse_3",
        ],
    ),
]


# Fields with a stopwatch next to them, and where it stops by itself (the protocol's limit; 0: no limit).
TIMERS = {
    "eyes_open_left_s": 45,
    "eyes_open_right_s": 45,
    "eyes_closed_left_s": 45,
    "eyes_closed_right_s": 45,
    "carry_time_s": 0,
    "step_duration_s": 300,
}


def grouped_fields(form):
    """[(label, [(bound field, timer limit or None)])] in the order of GROUPS, skipping dropped fields."""
    return [
        (label, [(form[name], TIMERS.get(name)) for name in names if name in form.fields]) for label, names in GROUPS
    ]
