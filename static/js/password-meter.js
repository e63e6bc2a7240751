/* Live password strength meter: asks POST /api/v1/password/check as the person types and marks each
   rule as met or not, in words (not colour alone). One meter per [data-password-meter] element.
   One voice: while a rule is broken the status says which, and the strength is not shown; once every
   rule passes, the strength is the verdict. */
(function () {
  "use strict";

  var RULE_OF_CODE = {
    too_short: "length", too_long: "length",
    missing_letter: "mix", missing_digit: "mix", missing_symbol: "mix",
    sequence: "sequence", birth_date: "birth_date", reused: "reused",
    common: "common", similar: "similar", too_guessable: "too_guessable"
  };
  var SCORE_LABELS = ["very weak", "weak", "fair", "strong", "very strong"];
  var DELAY_MS = 250;

  function csrfToken(box) {
    var form = box.closest("form");
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) { return field.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function fieldValue(id) {
    var field = id ? document.getElementById(id) : null;
    return field ? field.value.trim() : "";
  }

  function fill(list, items) {
    list.textContent = "";
    items.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
  }

  function setup(box) {
    var input = document.getElementById(box.dataset.for);
    if (!input) { return; }
    var panel = box.querySelector("[data-meter]");
    var meter = panel.querySelector("meter");
    var strength = panel.querySelector("[data-meter-strength]");
    var status = panel.querySelector("[data-meter-status]");
    var failures = panel.querySelector("[data-meter-failures]");
    var suggestions = panel.querySelector("[data-meter-suggestions]");
    var rules = box.querySelectorAll("[data-rule]");
    var timer = null;
    var latest = 0;
    var inFlight = null;

    function markRules(broken) {
      rules.forEach(function (rule) {
        var bad = broken.indexOf(rule.dataset.rule) !== -1;
        // The server compares with earlier passwords only once every other rule passes.
        if (rule.dataset.rule === "reused" && broken.length && !bad) {
          rule.classList.remove("met", "unmet");
          rule.querySelector(".rule-state").textContent = "";
          return;
        }
        rule.classList.toggle("met", !bad);
        rule.classList.toggle("unmet", bad);
        rule.querySelector(".rule-state").textContent = bad ? "✗ Not yet: " : "✓ Done: ";
      });
    }

    function clear() {
      panel.hidden = true;
      rules.forEach(function (rule) {
        rule.classList.remove("met", "unmet");
        rule.querySelector(".rule-state").textContent = "";
      });
    }

    function show(report) {
      panel.hidden = false;
      var broken = report.failures.map(function (failure) { return RULE_OF_CODE[failure.code] || failure.code; });
      markRules(broken);
      strength.hidden = !report.ok;
      meter.value = report.ok ? report.score : 0;
      if (report.ok) {
        status.textContent = "This password meets every rule. Strength: " + SCORE_LABELS[report.score] +
          " (" + report.score + " of 4).";
      } else {
        var count = unique(broken).length;
        status.textContent = "Not yet: " + count + (count === 1 ? " rule" : " rules") + " to fix.";
      }
      status.className = "meter-status " + (report.ok ? "ok" : "bad");
      fill(failures, report.failures.map(function (failure) { return failure.message; }));
      fill(suggestions, report.suggestions.length ? ["Ideas: " + report.suggestions.join(" ")] : []);
    }

    function unique(items) {
      return items.filter(function (item, index) { return items.indexOf(item) === index; });
    }

    function showNotice(text) {
      panel.hidden = false;
      strength.hidden = true;
      status.textContent = text;
      status.className = "meter-status";
      fill(failures, []);
      fill(suggestions, []);
    }

    function check() {
      var password = input.value;
      if (!password) { clear(); return; }
      var payload = { password: password };
      var email = box.dataset.email || fieldValue(box.dataset.emailField);
      if (email) { payload.email = email; }
      var first = fieldValue(box.dataset.firstNameField);
      if (first) { payload.first_name = first; }
      var last = fieldValue(box.dataset.lastNameField);
      if (last) { payload.last_name = last; }
      var dob = fieldValue(box.dataset.dobField);
      if (dob) { payload.date_of_birth = dob; }

      var ticket = ++latest;
      if (inFlight) { inFlight.abort(); }
      inFlight = new AbortController();
      fetch(box.dataset.checkUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken(box) },
        body: JSON.stringify(payload),
        signal: inFlight.signal
      }).then(function (response) {
        if (ticket !== latest) { return; }
        if (response.status === 429) {
          showNotice("Too many checks for a moment. Every rule is still checked when you submit.");
          return;
        }
        if (!response.ok) {
          showNotice("The strength check is unavailable. Every rule is still checked when you submit.");
          return;
        }
        return response.json().then(function (report) {
          if (ticket === latest) { show(report); }
        });
      }).catch(function (error) {
        if (error.name !== "AbortError" && ticket === latest) {
          showNotice("The strength check is unavailable. Every rule is still checked when you submit.");
        }
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, DELAY_MS);
    });
    if (input.value) { check(); }
  }

  document.querySelectorAll("[data-password-meter]").forEach(setup);
})();
