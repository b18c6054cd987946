// kubemedic catalog search: ranks the entries against a pasted error, in the page, with no server.
// The index (search-index JSON in index.html) holds what the matcher knows: each symptom's tokens
// after its normalisation, their weights, and the entry regexes the site proved fast for a
// backtracking engine (responses/site_patterns.py; the others are left out, the symptoms still
// count). Every keystroke ranks in bounded time: lines are read in windows of at most WINDOW
// characters (as the matcher does), symptoms are reached through a token index, and regexes stop
// once the keystroke has spent BUDGET_MS (the ranking then rests on words). Plain JavaScript.
// Served by the bot (<main data-search-url>), the page then asks the bot to rank the same text with
// its own matcher (bot/catalog_search.py) and shows that order: the first entry `kubemedic match`
// names. Alone (opened from disk, a static copy), or when the bot is busy, the page's ranking stays.
"use strict";
(function () {
  var HIGH = 0.72, MEDIUM = 0.5, SHOWN = 0.3, MAX_LINES = 400, WINDOW = 400, STEP = 300, BUDGET_MS = 40;
  var ASK_AFTER_MS = 250, MAX_ASK = 40000;
  var searchUrl = document.querySelector("main").getAttribute("data-search-url");
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
      try {
        var regex = new RegExp(pair[0], pair[1]);
        regex.test("warm up");  // compiled now, not on the first keystroke
        out.push(regex);
      } catch (e) { /* Python-only syntax: symptoms still count */ }
    });
    return out;
  }
  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  // symptoms by number, and for each token the symptoms holding it
  var symptomEntry = [], symptomMass = [], postings = {};
  data.entries.forEach(function (entry, number) {
    entry.rx = compile(entry.patterns);
    entry.ex = compile(entry.excludes);
    entry.rq = compile(entry.requires);
    entry.words = (entry.id + " " + entry.title + " " + entry.tags.join(" ")).toLowerCase();
    entry.titleWords = entry.title.toLowerCase();
    entry.symptoms.forEach(function (symptom) {
      var id = symptomEntry.length, mass = 0;
      symptomEntry.push(number);
      symptom.forEach(function (token) {
        mass += own(data.weights, token) ? data.weights[token] : 0;
        if (!own(postings, token)) { postings[token] = []; }
        postings[token].push(id);
      });
      symptomMass.push(mass);
    });
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
  function symptomScore(matched, mass) {
    if (matched <= 0 || mass <= 0) { return 0; }
    var coverage = matched / mass;
    return coverage * Math.min(1, matched / data.full_mass) * (0.7 + 0.3 * coverage);
  }
  // Lines longer than WINDOW are read in overlapping windows, as the matcher reads them.
  function windows(line) {
    if (line.length <= WINDOW) { return [line]; }
    var out = [];
    for (var start = 0; start < line.length; start += STEP) {
      out.push(line.slice(start, start + WINDOW));
      if (start + WINDOW >= line.length) { break; }
    }
    return out;
  }
  // Each line, and each run of three lines (its words: the three lines' words), with its
  // regex pieces and its best symptom score per entry; a line repeated in a log is scored once.
  function segments(text) {
    var lines = [];
    text.replace(/```/g, "\n").split(/\r?\n/).some(function (raw) {
      var line = raw.trim();
      if (line.length > 0) { lines.push.apply(lines, windows(line)); }
      return lines.length >= MAX_LINES;
    });
    lines = lines.slice(0, MAX_LINES);
    var seen = new Map(), read = new Map(), words = lines.map(function (line) {
      if (!read.has(line)) { read.set(line, tokens(line)); }
      return read.get(line);
    });
    function part(joined, have) {
      if (!seen.has(joined)) { seen.set(joined, {pieces: windows(joined), best: wordScores(have())}); }
      return seen.get(joined);
    }
    var out = lines.map(function (line, i) { return part(line, function () { return words[i]; }); });
    for (var i = 0; i + 1 < lines.length; i++) {
      out.push(part(lines.slice(i, i + 3).join(" "), function () {
        return Object.assign({}, words[i], words[i + 1], words[i + 2] || {});
      }));
    }
    return out;
  }
  // each entry's best symptom score on a piece of text with these words, by entry number
  var matched = new Float64Array(symptomEntry.length);
  function wordScores(have) {
    var touched = [], best = new Float64Array(data.entries.length);
    Object.keys(have).forEach(function (token) {
      var weight = own(data.weights, token) ? data.weights[token] : 0;
      if (weight <= 0 || !own(postings, token)) { return; }
      var posting = postings[token];
      for (var i = 0; i < posting.length; i++) {
        if (matched[posting[i]] === 0) { touched.push(posting[i]); }
        matched[posting[i]] += weight;
      }
    });
    for (var t = 0; t < touched.length; t++) {
      var symptom = touched[t], entry = symptomEntry[symptom];
      best[entry] = Math.max(best[entry], symptomScore(matched[symptom], symptomMass[symptom]));
      matched[symptom] = 0;
    }
    return best;
  }
  // Runs regexes until the keystroke's budget is spent; after that every test answers `null`.
  function Clock() {
    var deadline = performance.now() + BUDGET_MS, calls = 0, self = this;
    this.spent = false;
    this.test = function (regexes, pieces) {
      if (self.spent) { return null; }
      for (var r = 0; r < regexes.length; r++) {
        for (var p = 0; p < pieces.length; p++) {
          if ((++calls & 15) === 0 && performance.now() > deadline) { self.spent = true; return null; }
          if (regexes[r].test(pieces[p])) { return true; }
        }
      }
      return false;
    };
  }
  function scoreEntry(entry, number, parts, text, clock) {
    var best = 0;
    parts.forEach(function (part) {
      if (best >= 1 || clock.test(entry.ex, part.pieces)) { return; }
      if (clock.test(entry.rx, part.pieces)) { best = 1; return; }
      best = Math.max(best, part.best[number]);
    });
    var unmet = entry.rq.length ? clock.test(entry.rq, windows(text)) !== true : entry.requires_left_out > 0;
    if (unmet) { best = Math.min(best, 0.45); }
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

  // [score, id, named] best first, and whether the time budget cut the regexes short.
  function rank(text) {
    var clock = new Clock(), parts = segments(text);
    var ranked = data.entries.map(function (entry, number) {
      return [scoreEntry(entry, number, parts, text, clock), entry.id, named(entry, text)];
    }).sort(function (a, b) { return b[2] - a[2] || b[0] - a[0] || (a[1] < b[1] ? -1 : 1); });
    return {ranked: ranked, cut: clock.spent};
  }

  function show(text) {
    if (!text.trim()) {
      order.forEach(function (id) { items[id].hidden = false; list.appendChild(items[id]); badge(items[id], null); });
      status.textContent = order.length + " entries";
      return;
    }
    var result = rank(text), shown = 0;
    result.ranked.forEach(function (pair) {
      var li = items[pair[1]];
      li.hidden = pair[0] < SHOWN;
      if (!li.hidden) { shown += 1; }
      badge(li, li.hidden ? null : pair[0], null);
      list.appendChild(li);
    });
    var top = result.ranked[0];
    var note = result.cut ? " Long text: ranked on its words past the time budget." : "";
    status.textContent = (shown === 0 ? "No entry matches this text." :
      "Best match: " + top[1] + " (" + label(top[0]) + " confidence); " + shown + " shown.") + note;
  }
  // The bot's own order: its matches first, as `kubemedic match` lists them; no other entry is shown.
  function showRanked(answer) {
    var seen = {};
    answer.matches.forEach(function (match) {
      if (!own(items, match.id)) { return; }
      seen[match.id] = true;
      items[match.id].hidden = false;
      badge(items[match.id], match.score, match.confidence);
      list.appendChild(items[match.id]);
    });
    order.forEach(function (id) {
      if (seen[id]) { return; }
      items[id].hidden = true;
      badge(items[id], null, null);
      list.appendChild(items[id]);
    });
    var shown = Object.keys(seen).length, top = answer.matches[0];
    status.textContent = shown === 0 ? "No entry matches this text." :
      (answer.answer ? "Best match: " : "Closest: ") + top.id + " (" + top.confidence + " confidence" +
      (answer.answer ? "" : ": the bot would not answer this") + "); " + shown + " shown, ranked by the bot's matcher.";
  }
  function badge(li, score, confidence) {
    var span = li.querySelector(".badge");
    if (score === null) { span.textContent = ""; span.className = "badge"; span.hidden = true; return; }
    var named = confidence || label(score);
    span.hidden = false;
    span.className = "badge " + named;
    span.textContent = named + " " + score.toFixed(2);
  }

  // A word names an entry (its id or title): only text with a space in it goes to the bot.
  function asksBot(text) { return Boolean(searchUrl) && /\S\s+\S/.test(text.trim()) && text.length <= MAX_ASK; }
  var asked = 0, pending = null;
  // Resolves once the text is ranked: by the bot when the page is served by it, else in the page.
  function search(text) {
    show(text);
    var mine = ++asked;
    if (pending) { pending.abort(); pending = null; }
    if (!asksBot(text)) { return Promise.resolve(); }
    pending = new AbortController();
    return fetch(searchUrl, {method: "POST", body: text, signal: pending.signal, credentials: "same-origin",
                             headers: {"Content-Type": "text/plain; charset=utf-8"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status === 429 || response.status === 503 ? "busy" : "failed"); }
        return response.json();
      })
      .then(function (answer) { if (mine === asked) { showRanked(answer); } })
      .catch(function (error) {
        if (mine === asked && error.name !== "AbortError") {
          status.textContent += " Ranked in the page: the bot's search " + (error.message === "busy" ?
            "is busy." : "did not answer.");
        }
      });
  }

  var timer = null, askTimer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    clearTimeout(askTimer);
    timer = setTimeout(function () { show(input.value); }, 120);
    if (asksBot(input.value)) { askTimer = setTimeout(function () { search(input.value); }, ASK_AFTER_MS); }
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); }
  search(input.value);
  function shownIds() {
    return Array.prototype.filter.call(list.children, function (li) { return !li.hidden; })
      .map(function (li) { return li.getAttribute("data-id"); });
  }
  window.kubemedicSearch = function (text) {   // for tests and the console: the page's own ranking, ids best first
    input.value = text;
    show(text);
    return shownIds();
  };
  window.kubemedicRank = function (text) {     // the ranking a person sees: the bot's when it serves the page
    input.value = text;
    return search(text).then(shownIds);
  };
})();
