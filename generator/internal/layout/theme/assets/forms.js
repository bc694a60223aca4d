// forms.js gives each showing of a form a key of its own, so that the form
// server recognises a resubmission (a retry, a double click) as the same
// one; records how long the form was open, which tells people from robots;
// makes a choice field with a long list a combobox that suggests choices as
// the sender types; fills fields named in the query string
// (?supporter=jo-evans); shows the reference on a thank-you page; opens
// the booking form a link points to; and shows the places left on a
// course's dates when the form server is our own. Forms work without it.
(function () {
  "use strict";
  var query = new URLSearchParams(window.location.search);

  /* FOLD must equal foldTable in generator/internal/formspec/choices.go:
     the form server matches a typed name as this script does. */
  var FOLD = [["àáâãäåāăą", "a"], ["çćĉċč", "c"], ["ďđ", "d"], ["èéêëēĕėęě", "e"],
    ["ĝğġģ", "g"], ["ĥħ", "h"], ["ìíîïĩīĭįı", "i"], ["ĵ", "j"], ["ķ", "k"],
    ["ĺļľŀł", "l"], ["ñńņňŉ", "n"], ["òóôõöøōŏő", "o"], ["ŕŗř", "r"],
    ["śŝşšș", "s"], ["ţťŧț", "t"], ["ùúûüũūŭůűų", "u"], ["ŵ", "w"],
    ["ýÿŷ", "y"], ["źżž", "z"], ["ß", "ss"], ["æ", "ae"], ["œ", "oe"],
    ["þ", "th"], ["ð", "d"], ["'", ""], ["’", ""], ["ʼ", ""]];
  var foldMap = {};
  FOLD.forEach(function (p) { Array.from(p[0]).forEach(function (c) { foldMap[c] = p[1]; }); });
  function fold(s) {
    var out = "";
    for (var c of s.toLowerCase()) out += foldMap[c] !== undefined ? foldMap[c] : c;
    return out;
  }
  var SPLIT = /[^\p{L}\p{N}]+/u;
  // words are the folded words of s, as formspec's words.
  function words(s) { return fold(s).split(SPLIT).filter(Boolean); }
  // searchWords are the words a typed word may start, as formspec's
  // searchWords: the label's, and the words on each side of an apostrophe.
  function searchWords(label, have) {
    return /['’ʼ]/.test(label) ? have.concat(words(label.replace(/['’ʼ]/g, " "))) : have;
  }
  // startsWords reports whether each word of want starts a word of have, a
  // different one for each.
  function startsWords(have, want) {
    var used = [];
    return want.every(function (w) {
      for (var i = 0; i < have.length; i++) {
        if (!used[i] && have[i].lastIndexOf(w, 0) === 0) { used[i] = true; return true; }
      }
      return false;
    });
  }
  // SHOWN is the most suggestions listed at once: more are no help on a
  // phone, and the count says to type more.
  var SHOWN = 50;

  // combobox makes the text box of a choice field with a long list (see
  // formspec's choices.go) a WAI-ARIA 1.2 combobox with a listbox popup. The
  // choices are fetched on first focus. The box loses its name to a hidden
  // input that sends the chosen choice's value; until one is chosen, it
  // sends the typed text (or the value of the one choice of that name),
  // which the form server maps to a choice or sends back with the choices
  // that match.
  function combobox(form, input) {
    var name = input.name;
    var field = input.closest(".field") || form;
    var wrap = input.parentNode;
    var label = form.querySelector('label[for="' + input.id + '"]');
    var sent = document.createElement("input");
    sent.type = "hidden";
    sent.name = name;
    sent.value = input.getAttribute("data-value") || input.value.trim();
    input.removeAttribute("name");
    wrap.appendChild(sent);

    var listId = input.id + "-listbox";
    var popup = document.createElement("div");
    popup.className = "combobox__popup";
    popup.hidden = true;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "combobox__list";
    list.setAttribute("role", "listbox");
    if (label) list.setAttribute("aria-label", label.textContent);
    var note = document.createElement("p");
    note.className = "combobox__note";
    popup.appendChild(list);
    popup.appendChild(note);
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrap.appendChild(popup);
    wrap.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var how = field.querySelector("[data-pp-how]"), howText = how && how.textContent;
    if (how) how.textContent = "Start typing, then choose from the list.";

    var choices = null, loading = null, shown = [], active = -1, announce = 0;
    function load() {
      if (!loading) {
        loading = fetch(input.getAttribute("data-choices"), { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (rows) {
            choices = rows.map(function (r) { var w = words(r[1]);
              return { value: r[0], label: r[1], hint: r[2] || "", words: w, search: searchWords(r[1], w) }; });
            return choices;
          })
          .catch(function () {
            // The box still takes a typed name, as without the script.
            if (how) how.textContent = howText;
            loading = null;
            return null;
          });
      }
      return loading;
    }
    function byValue(v) {
      for (var i = 0; choices && i < choices.length; i++) if (choices[i].value === v) return choices[i];
      return null;
    }
    // matches are the choices whose words start with the words of text,
    // those whose label starts with them first, each in the list's order.
    function matches(text) {
      var want = words(text);
      if (!want.length) return choices.slice();
      var key = want.join(" "), first = [], rest = [];
      choices.forEach(function (c) {
        if (startsWords(c.search, want)) (c.words.join(" ").lastIndexOf(key, 0) === 0 ? first : rest).push(c);
      });
      return first.concat(rest);
    }
    // sync sends what is typed, or the value of the one choice it names.
    function sync() {
      var text = input.value.trim(), key = words(text).join(" "), found = null, n = 0;
      if (choices && key) {
        choices.forEach(function (c) { if (c.words.join(" ") === key) { found = c; n++; } });
      }
      sent.value = n === 1 ? found.value : text;
    }
    function say(text) {
      clearTimeout(announce);
      // A pause lets a screen reader finish the letter typed first.
      announce = setTimeout(function () { status.textContent = text; }, 500);
    }
    function close() {
      popup.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function open(text, move) {
      var all = matches(text);
      shown = all.slice(0, SHOWN);
      list.textContent = "";
      shown.forEach(function (c, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.className = "combobox__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.appendChild(document.createTextNode(c.label));
        if (c.hint) {
          var h = document.createElement("span");
          h.className = "combobox__hint";
          var comma = document.createElement("span");
          comma.className = "visually-hidden";
          comma.textContent = ", ";
          h.appendChild(comma);
          h.appendChild(document.createTextNode(c.hint));
          li.appendChild(h);
        }
        // Pressing an option keeps the focus in the box; a click chooses.
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(c); });
        list.appendChild(li);
      });
      var n = all.length;
      note.textContent = n === 0 ? "Nothing matches. Check the spelling, or type less of it." :
        n > SHOWN ? "Showing " + SHOWN + " of " + n + ". Type more to narrow them." : "";
      note.hidden = note.textContent === "";
      popup.hidden = false;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      input.setAttribute("aria-expanded", n > 0 ? "true" : "false");
      say(n === 0 ? "No results." : n === 1 ? "1 result." : n > SHOWN ? n + " results, the first " + SHOWN + " listed." : n + " results.");
      if (move) step(move);
    }
    function step(d) {
      if (!shown.length) return;
      var old = list.children[active];
      if (old) old.setAttribute("aria-selected", "false");
      active = active < 0 ? (d > 0 ? 0 : shown.length - 1) : (active + d + shown.length) % shown.length;
      var li = list.children[active];
      li.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", li.id);
      li.scrollIntoView({ block: "nearest" });
    }
    function choose(c) {
      input.value = c.label;
      sent.value = c.value;
      close();
    }
    function whenLoaded(f) {
      if (choices) return f();
      load().then(function (c) { if (c && document.activeElement === input) f(); });
    }
    input.addEventListener("focus", function () { load(); });
    input.addEventListener("blur", close);
    input.addEventListener("input", function () {
      sync();
      if (!input.value.trim()) { close(); return; }
      whenLoaded(function () { sync(); open(input.value, 0); });
    });
    // Enter on a suggestion chooses it and does not send the form: the
    // keypress that follows (which sends it) is cancelled too, for
    // browsers and tools that send it even when the keydown was.
    var chose = false;
    input.addEventListener("keypress", function (e) {
      if (e.key === "Enter" && chose) e.preventDefault();
      chose = false;
    });
    input.addEventListener("keydown", function (e) {
      chose = false;
      if (e.altKey && e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      var isOpen = !popup.hidden;
      switch (e.key) {
        case "ArrowDown":
        case "ArrowUp":
          e.preventDefault();
          var d = e.key === "ArrowDown" ? 1 : -1;
          if (isOpen && !e.altKey) step(d);
          else if (!isOpen) whenLoaded(function () { open(input.value, e.altKey ? 0 : d); });
          break;
        case "Enter":
          if (isOpen && active >= 0) { e.preventDefault(); choose(shown[active]); chose = true; }
          break;
        case "Escape":
          if (isOpen) { e.preventDefault(); close(); }
          else if (input.value) { e.preventDefault(); input.value = ""; sent.value = ""; }
          break;
        case "Tab":
          close();
          break;
      }
    });
    // A link to the form that names a choice (?supporter=jo-evans) chooses
    // it, as the form server does for a page without the script.
    var asked = form.hasAttribute("data-prefill") && query.get(name);
    if (asked && !sent.value) {
      load().then(function () {
        var c = byValue(asked);
        if (c && !input.value) { input.value = c.label; sent.value = c.value; }
      });
    }
  }

  // places shows how many places each session has left, beside its
  // capacity in the tables of dates ([data-pp-places]) and at the top of
  // its booking form (details[data-pp-session]), from the form server's
  // forms/places.json. Only our own server has that file: a table of dates
  // says where it is (data-pp-places-url, which the build sets only then),
  // as do the booking forms (their action, when they carry the server's
  // hidden fields); with a third-party endpoint, or if the fetch fails,
  // the page stays as built.
  function places() {
    var table = document.querySelector("[data-pp-places-url]");
    var form = document.querySelector("details[data-pp-session] form[data-pp-form]");
    var url = table ? table.getAttribute("data-pp-places-url") :
      form && form.querySelector("input[name=_visit]") ? form.action.replace(/forms\/[^\/]*$/, "forms/places.json") : "";
    if (!url) return;
    var cells = document.querySelectorAll("[data-pp-places]");
    var booking = document.querySelectorAll("details[data-pp-session]");
    var last = 0;
    // say is what is left of session p: in the table briefly, so that the
    // column keeps its width and nothing beside it moves ("3 left",
    // "Full"); above the booking form in full.
    function say(p, brief) {
      if (!p || !p.places || typeof p.left !== "number") return "";
      if (brief) return p.left > 0 ? p.left + " left" : "Full";
      return p.left > 0 ? p.left + " of " + p.places + (p.places === 1 ? " place" : " places") + " left" :
        "Full: bookings go on the waiting list";
    }
    function show(data) {
      cells.forEach(function (cell) {
        var text = say(data[cell.getAttribute("data-pp-places")], true);
        if (text) cell.textContent = text;
      });
      booking.forEach(function (d) {
        var text = say(data[d.getAttribute("data-pp-session")]);
        var line = d.querySelector(".places-left");
        if (!text) return;
        if (!line) {
          line = document.createElement("p");
          line.className = "places-left";
          d.querySelector("summary").insertAdjacentElement("afterend", line);
        }
        line.textContent = text;
      });
    }
    function load() {
      if (Date.now() - last < 2000) return;
      last = Date.now();
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(show)
        .catch(function () { /* the page stays as built */ });
    }
    load();
    // Opening a booking form counts again, in case places went meanwhile.
    booking.forEach(function (d) { d.addEventListener("toggle", function () { if (d.open) load(); }); });
  }

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
    // A page the browser brings back from its cache (Back after sending)
    // is a new visit: sending it again, say for a colleague, must not count
    // as a repeat of the first. The time since the page was first shown
    // still counts, or a quick second send would look like a robot's.
    window.addEventListener("pageshow", function (e) {
      if (e.persisted && visit) visit.value = key();
    });
    form.querySelectorAll("[data-pp-combobox] input[data-choices]").forEach(function (input) { combobox(form, input); });
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
  places();
  var receipt = query.get("receipt");
  var slot = document.querySelector("[data-pp-result] [data-pp-receipt]");
  if (slot && receipt && /^[A-Z0-9-]{6,40}$/.test(receipt)) {
    slot.querySelector(".receipt__id").textContent = receipt;
    slot.hidden = false;
  }
})();
