// forms.js gives each showing of a form a key of its own, so that the form
// server recognises a resubmission (a retry, a double click) as the same
// one; records how long the form was open, which tells people from robots;
// fills fields named in the query string (?supporter=jo-evans); and shows
// the reference on a thank-you page; and opens the booking form a link
// points to. Forms work without it.
(function () {
  "use strict";
  var query = new URLSearchParams(window.location.search);
  function key() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var a = new Uint32Array(4);
    window.crypto.getRandomValues(a);
    return Array.prototype.join.call(a, "-");
  }
  document.querySelectorAll("form[data-pp-form]").forEach(function (form) {
    var shown = Date.now();
    var visit = form.querySelector("input[name=_visit]");
    if (visit) visit.value = key();
    if (form.hasAttribute("data-prefill")) {
      query.forEach(function (value, name) {
        if (name.charAt(0) === "_" || name === "homepage") return;
        var el = form.elements.namedItem(name);
        if (!el || el.type === "hidden" || el.value) return;
        if (el.tagName === "SELECT") {
          for (var i = 0; i < el.options.length; i++) {
            if (el.options[i].value === value) el.value = value;
          }
        } else if (el.type !== "checkbox" && el.type !== undefined) {
          el.value = value;
        }
      });
    }
    form.addEventListener("submit", function () {
      var elapsed = form.querySelector("input[name=_elapsed]");
      if (elapsed) elapsed.value = String(Date.now() - shown);
    });
    var summary = form.querySelector("[data-pp-errors]");
    if (summary) summary.focus();
  });
  // A "Book a place" link opens the booking form it points to.
  function reveal() {
    var el = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (el && el.tagName === "DETAILS") el.open = true;
  }
  reveal();
  window.addEventListener("hashchange", reveal);
  var receipt = query.get("receipt");
  var slot = document.querySelector("[data-pp-result] [data-pp-receipt]");
  if (slot && receipt && /^[A-Z0-9-]{6,40}$/.test(receipt)) {
    slot.querySelector(".receipt__id").textContent = receipt;
    slot.hidden = false;
  }
})();
