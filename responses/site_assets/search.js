// kubemedic catalog search: ranks the entries against a pasted error, in the page, with no server.
// The index (search-index JSON in index.html) holds what the matcher knows: each symptom's tokens
// after its normalisation, their weights, and the entry regexes. Plain JavaScript, no libraries.
"use strict";
(function () {
  var HIGH = 0.72, MEDIUM = 0.5, SHOWN = 0.3, MAX_LINES = 400;
  var data = JSON.parse(document.getElementById("search-index").textContent);
  var list = document.getElementById("results");
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var items = {};
  Array.prototype.forEach.call(list.children, function (li) { items[li.getAttribute("data-id")] = li; });
  var order = Object.keys(items);

  function compile(pairs) {
    var out = [];
    pairs.forEach(function (pair) {
      try { out.push(new RegExp(pair[0], pair[1])); } catch (e) { /* Python-only syntax: symptoms still count */ }
    });
    return out;
  }
  data.entries.forEach(function (entry) {
    entry.rx = compile(entry.patterns);
    entry.ex = compile(entry.excludes);
    entry.rq = compile(entry.requires);
    entry.words = (entry.id + " " + entry.title + " " + entry.tags.join(" ")).toLowerCase();
    entry.titleWords = entry.title.toLowerCase();
  });

  var TOKEN = /[a-z0-9_]+(?:[-.:/'][a-z0-9_]+)*/g;
  function canonical(line) {
    return line.toLowerCase()
      .replace(/\b(code|status|errno|signal|statuscode|exitcode)([ \t]{0,3}[:=]?[ \t]{0,3})(\d{1,4})\b/g, "$1$2n$3")
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, " uuid ")
      .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, " ip ")
      .replace(/\b(?:sha256:)?[0-9a-f]{12,}\b/g, " hexid ")
      .replace(/\b(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d)){1,4}\b/g, " dur ")
      .replace(/\b[x#]?\d+(?:\.\d+)*\b/g, "num");
  }
  function tokens(text) {
    var found = {}, whole = canonical(text).match(TOKEN) || [];
    whole.forEach(function (token) {
      found[token] = true;
      if (!/^[a-z0-9]+$/.test(token)) {
        token.split(/[./:]/).forEach(function (piece) {
          found[piece] = true;
          piece.split(/[-_']/).forEach(function (word) { found[word] = true; });
        });
      }
    });
    return found;
  }
  function symptomScore(symptom, have) {
    var matched = 0, mass = 0;
    symptom.forEach(function (token) {
      var weight = data.weights[token] || 0;
      mass += weight;
      if (have[token]) { matched += weight; }
    });
    if (matched <= 0 || mass <= 0) { return 0; }
    var coverage = matched / mass;
    return coverage * Math.min(1, matched / data.full_mass) * (0.7 + 0.3 * coverage);
  }
  function segments(text) {
    var lines = text.replace(/```/g, "\n").split(/\r?\n/).map(function (l) { return l.trim(); })
      .filter(function (l) { return l.length > 0; }).slice(0, MAX_LINES);
    var out = lines.slice();
    for (var i = 0; i + 1 < lines.length; i++) { out.push(lines.slice(i, i + 3).join(" ")); }
    return out;
  }
  function scoreEntry(entry, parts, text) {
    var best = 0;
    parts.forEach(function (part) {
      if (best >= 1 || entry.ex.some(function (rx) { return rx.test(part); })) { return; }
      if (entry.rx.some(function (rx) { return rx.test(part); })) { best = 1; return; }
      var have = tokens(part);
      entry.symptoms.forEach(function (symptom) { best = Math.max(best, symptomScore(symptom, have)); });
    });
    if (entry.rq.length && !entry.rq.some(function (rx) { return rx.test(text); })) { best = Math.min(best, 0.45); }
    var words = text.trim().toLowerCase();
    if (words.length > 1 && words.indexOf("\n") < 0 && entry.words.indexOf(words) >= 0) { best = Math.max(best, 0.6); }
    return best;
  }
  // A one-word query ("crashloop") names an entry: entries whose id, then whose title, holds
  // the word come first, whatever text of other entries the word also matches.
  function named(entry, text) {
    var word = text.trim().toLowerCase();
    if (word.length < 2 || /\s/.test(word)) { return 0; }
    return entry.id.indexOf(word) >= 0 ? 2 : entry.titleWords.indexOf(word) >= 0 ? 1 : 0;
  }
  function label(score) { return score >= HIGH ? "high" : score >= MEDIUM ? "medium" : "low"; }

  function show(text) {
    if (!text.trim()) {
      order.forEach(function (id) { items[id].hidden = false; list.appendChild(items[id]); badge(items[id], null); });
      status.textContent = order.length + " entries";
      return;
    }
    var parts = segments(text);
    var ranked = data.entries.map(function (entry) {
      return [scoreEntry(entry, parts, text), entry.id, named(entry, text)];
    }).sort(function (a, b) { return b[2] - a[2] || b[0] - a[0] || (a[1] < b[1] ? -1 : 1); });
    var shown = 0;
    ranked.forEach(function (pair) {
      var li = items[pair[1]];
      li.hidden = pair[0] < SHOWN;
      if (!li.hidden) { shown += 1; }
      badge(li, li.hidden ? null : pair[0]);
      list.appendChild(li);
    });
    var top = ranked[0];
    status.textContent = shown === 0 ? "No entry matches this text." :
      "Best match: " + top[1] + " (" + label(top[0]) + " confidence); " + shown + " shown.";
  }
  function badge(li, score) {
    var span = li.querySelector(".badge");
    if (score === null) { span.textContent = ""; span.className = "badge"; span.hidden = true; return; }
    span.hidden = false;
    span.className = "badge " + label(score);
    span.textContent = label(score) + " " + score.toFixed(2);
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 120);
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); }
  show(input.value);
  window.kubemedicSearch = function (text) {   // for tests and the console: ids, best first
    input.value = text;
    show(text);
    return Array.prototype.filter.call(list.children, function (li) { return !li.hidden; })
      .map(function (li) { return li.getAttribute("data-id"); });
  };
})();
