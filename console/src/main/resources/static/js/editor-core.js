// Vigil console: what the code editor computes, without the page — tokens for highlighting, the
// live check's findings as marks in the text, and completion. js/editor.js draws it; the same file
// loads in Node for the unit tests (src/test/js), so nothing here touches the DOM.
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.VigilEditor = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var IDENT = /[A-Za-z_][A-Za-z_0-9]*/y;
  var NUMBER = /[0-9]+(?:\.[0-9]+|ms|s|m|h|d)?(?![A-Za-z_0-9])/y;
  var STRING = /"(?:\\[^\r\n]|[^"\\\r\n])*"?/y;
  var COMMENT = /(?:#|\/\/)[^\r\n]*/y;
  var WORD_CHAR = /[A-Za-z_0-9.]/;
  var MAX_CANDIDATES = 30;

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  // The page's vocabulary ({keywords: [...], streams: {name: [field, ...]}}) ready for lookups.
  function vocabulary(words) {
    var w = words || {};
    var streams = w.streams || {};
    var fields = {};
    Object.keys(streams).forEach(function (s) {
      (streams[s] || []).forEach(function (f) { fields[f] = true; });
    });
    return { keywords: new Set(w.keywords || []), streams: streams, fields: fields };
  }

  // Tokens of the text as the lexer sees them: {start, end, kind}; kind is the CSS class suffix
  // (keyword, stream, field, string, number, comment; "ident" for other names).
  function tokenize(text, vocab) {
    var tokens = [];
    var at = 0;
    function take(regex, kind) {
      regex.lastIndex = at;
      var m = regex.exec(text);
      if (!m || m[0].length === 0) { return false; }
      var k = kind;
      if (kind === "ident") {
        if (vocab.keywords.has(m[0])) { k = "keyword"; }
        else if (has(vocab.streams, m[0])) { k = "stream"; }
        else if (vocab.fields[m[0]] === true) { k = "field"; }
      }
      tokens.push({ start: at, end: at + m[0].length, kind: k });
      at += m[0].length;
      return true;
    }
    while (at < text.length) {
      if (take(COMMENT, "comment") || take(STRING, "string") || take(NUMBER, "number")
          || take(IDENT, "ident")) {
        continue;
      }
      at++;
    }
    return tokens;
  }

  // Offset of 1-based line:column in the text (clamped to the text).
  function offsetOf(text, line, column) {
    var offset = 0;
    for (var l = 1; l < line; l++) {
      var next = text.indexOf("\n", offset);
      if (next < 0) { return text.length; }
      offset = next + 1;
    }
    return Math.min(text.length, offset + Math.max(1, column) - 1);
  }

  // The check's findings ({line, column, length, warning}) as spans of the text to underline,
  // in order: at least one character each, so that an error at the end of the text still shows.
  function marks(text, findings) {
    var spans = findings.map(function (f) {
      var start = offsetOf(text, f.line, f.column);
      var end = Math.min(text.length, start + Math.max(1, f.length || 0));
      return { start: start, end: Math.max(end, start + 1), warning: f.warning === true };
    });
    spans.sort(function (a, b) { return a.start - b.start; });
    return spans;
  }

  // The word being typed before the caret (letters, digits, _ and the dots of a.b).
  function wordBefore(text, caret) {
    var start = caret;
    while (start > 0 && WORD_CHAR.test(text.charAt(start - 1))) { start--; }
    return { start: start, end: caret, prefix: text.slice(start, caret) };
  }

  // Streams the rule reads ("name: stream(" in its pattern); the stream whose parentheses hold the
  // caret comes first. None used yet: every declared stream.
  function streamsInScope(text, caret, vocab) {
    var known = vocab.streams;
    var used = [];
    var stage = /\b([A-Za-z_][A-Za-z_0-9]*)\s*\(/g;
    var m;
    var inside = null;
    while ((m = stage.exec(text)) !== null) {
      if (!has(known, m[1])) { continue; }
      if (used.indexOf(m[1]) < 0) { used.push(m[1]); }
      var open = m.index + m[0].length;
      if (open <= caret) {
        var depth = 1;
        for (var i = open; i < caret && depth > 0; i++) {
          var c = text.charAt(i);
          if (c === "(") { depth++; } else if (c === ")") { depth--; }
        }
        if (depth > 0) { inside = m[1]; }
      }
    }
    if (used.length === 0) { used = Object.keys(known); }
    if (inside) { used = [inside].concat(used.filter(function (s) { return s !== inside; })); }
    return used;
  }

  // What may follow the prefix: fields of the streams in scope, then stream names, then keywords
  // ({label, kind, detail}); at most 30, none equal to the prefix.
  function candidates(text, caret, prefix, vocab) {
    var seen = {};
    var out = [];
    function add(label, kind, detail) {
      if (seen[label] || label.indexOf(prefix) !== 0 || label === prefix) { return; }
      seen[label] = true;
      out.push({ label: label, kind: kind, detail: detail });
    }
    streamsInScope(text, caret, vocab).forEach(function (s) {
      (vocab.streams[s] || []).forEach(function (f) { add(f, "field", s); });
    });
    Object.keys(vocab.streams).forEach(function (s) { add(s, "stream", "stream"); });
    Array.from(vocab.keywords).forEach(function (k) { add(k, "keyword", "keyword"); });
    return out.slice(0, MAX_CANDIDATES);
  }

  // The completion list at the caret: {word, items}, word being the text the chosen item replaces;
  // null when there is nothing to offer. Unasked (while typing) it needs at least one character.
  // "big.am" completes the field after the dot (big.amount) when the whole word matches nothing.
  function completion(text, caret, vocab, explicit) {
    var word = wordBefore(text, caret);
    if (!explicit && word.prefix.length < 1) { return null; }
    var items = candidates(text, caret, word.prefix, vocab);
    var dot = word.prefix.lastIndexOf(".");
    if (items.length === 0 && dot >= 0) {
      word = { start: word.start + dot + 1, end: word.end, prefix: word.prefix.slice(dot + 1) };
      items = candidates(text, caret, word.prefix, vocab);
    }
    return items.length === 0 ? null : { word: word, items: items };
  }

  // Whether an input event typed a word character (then the list opens as a suggestion).
  function typedWordCharacter(inputType, data) {
    return typeof inputType === "string" && inputType.indexOf("insert") === 0
        && typeof data === "string" && /[A-Za-z_0-9.]$/.test(data);
  }

  return {
    vocabulary: vocabulary,
    tokenize: tokenize,
    offsetOf: offsetOf,
    marks: marks,
    wordBefore: wordBefore,
    streamsInScope: streamsInScope,
    candidates: candidates,
    completion: completion,
    typedWordCharacter: typedWordCharacter
  };
});
