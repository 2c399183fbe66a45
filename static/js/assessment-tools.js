// Stopwatches and the step-test metronome of the assessment form. Without JavaScript the buttons stay hidden
// and the form works with a stopwatch in hand.
(function () {
  "use strict";

  function fill(input, seconds) {
    input.value = seconds.toFixed(1);
    input.dispatchEvent(new Event("input", { bubbles: true })); // refreshes the live preview
  }

  function setUpTimer(button) {
    var input = document.getElementById(button.dataset.timerFor);
    var display = button.parentElement.querySelector(".timer-display");
    var limit = parseFloat(button.dataset.max) || 0;
    var started = null;
    var tick = null;
    function stop() {
      var seconds = Math.min((performance.now() - started) / 1000, limit || Infinity);
      clearInterval(tick);
      started = null;
      fill(input, seconds);
      display.textContent = "";
      button.textContent = button.dataset.start;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (started !== null) {
        stop();
        return;
      }
      started = performance.now();
      button.textContent = button.dataset.stop;
      tick = setInterval(function () {
        var seconds = (performance.now() - started) / 1000;
        display.textContent = seconds.toFixed(1) + " s";
        if (limit && seconds >= limit) stop();
      }, 100);
    });
  }

  function setUpMetronome(button) {
    var display = button.parentElement.querySelector(".metronome-display");
    var protocolField = document.getElementById(button.dataset.protocolField);
    var audio = null;
    var timer = null;
    var phase = null;
    function beep(length, frequency) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.3;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + length);
    }
    function stop() {
      clearInterval(timer);
      phase = null;
      display.textContent = "";
      button.textContent = button.dataset.start;
    }
    function countdown(seconds, everyBeat, done) {
      var end = performance.now() + seconds * 1000;
      var nextBeat = performance.now();
      timer = setInterval(function () {
        var now = performance.now();
        var left = Math.max(0, Math.ceil((end - now) / 1000));
        display.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
        if (everyBeat && now >= nextBeat) {
          beep(0.05, 880);
          nextBeat += everyBeat;
        }
        if (now >= end) {
          clearInterval(timer);
          done();
        }
      }, 10);
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (phase !== null) {
        stop();
        return;
      }
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      // YMCA: 24 steps a minute, 4 beats a step (96 bpm) for 3 minutes; Harvard: 30 steps (120 bpm) for 5.
      var harvard = protocolField && protocolField.value === "harvard";
      var bpm = harvard ? 120 : 96;
      phase = "stepping";
      button.textContent = button.dataset.stop;
      countdown(harvard ? 300 : 180, 60000 / bpm, function () {
        beep(0.8, 440);
        phase = "pulse";
        display.textContent = button.dataset.pulse;
        // YMCA: count one full minute at once; Harvard: counts run from 1:00 to 3:30 after stopping.
        countdown(harvard ? 210 : 60, 0, function () {
          beep(0.8, 440);
          stop();
        });
      });
    });
  }

  // One category at a time on a tablet: Back / Next between the fieldsets; the first step with an error opens.
  // "Save and score" stays available on every step, since a partial assessment is normal.
  // Without JavaScript every fieldset shows and the form works the same.
  function setUpSteps(form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset"));
    var submit = form.querySelector("button:not([type=button])");
    if (steps.length < 2 || !submit) return;
    var current = 0;
    var withError = steps.findIndex(function (step) { return step.querySelector(".errorlist"); });
    if (withError >= 0) current = withError;
    var nav = document.createElement("p");
    nav.className = "step-nav";
    var back = document.createElement("button");
    back.type = "button";
    back.className = "secondary";
    back.textContent = form.dataset.back;
    var next = document.createElement("button");
    next.type = "button";
    next.textContent = form.dataset.next;
    var counter = document.createElement("span");
    counter.className = "muted";
    nav.append(back, " ", counter, " ", next);
    submit.before(nav);
    function show() {
      steps.forEach(function (step, index) { step.hidden = index !== current; });
      back.hidden = current === 0;
      next.hidden = current === steps.length - 1;
      counter.textContent = form.dataset.step + " " + (current + 1) + " / " + steps.length;
    }
    back.addEventListener("click", function () { current -= 1; show(); window.scrollTo(0, 0); });
    next.addEventListener("click", function () { current += 1; show(); window.scrollTo(0, 0); });
    // Pressing Enter in a field must not save half an assessment: it goes to the next step instead.
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.tagName === "INPUT" && current < steps.length - 1) {
        event.preventDefault();
        current += 1;
        show();
      }
    });
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.assessment-form").forEach(setUpSteps);
    document.querySelectorAll("button.timer[data-timer-for]").forEach(setUpTimer);
    document.querySelectorAll("button.metronome").forEach(setUpMetronome);
  });
})();
