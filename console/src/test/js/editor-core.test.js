// Unit tests of the code editor's logic (js/editor-core.js), run by Node's own test runner from the
// Maven build (the console's test phase): node --test console/src/test/js/*.test.js
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const core = require("../../main/resources/static/js/editor-core.js");

const vocab = core.vocabulary({
  keywords: ["rule", "stream", "pattern", "where", "within", "alert", "and"],
  streams: {
    payments: ["cardId", "amount", "currency", "status"],
    logins: ["userId", "country", "status"],
  },
});

const RULE = [
  "rule card_testing",
  "  pattern",
  "    tiny: payments(amount < 2.00) within 10m",
  '  alert "Card {cardId}" # comment',
].join("\n");

function kinds(text) {
  return core.tokenize(text, vocab).map((t) => [text.slice(t.start, t.end), t.kind]);
}

test("keywords, streams, fields, numbers, durations, strings and comments get their kinds", () => {
  assert.deepEqual(kinds(RULE), [
    ["rule", "keyword"],
    ["card_testing", "ident"],
    ["pattern", "keyword"],
    ["tiny", "ident"],
    ["payments", "stream"],
    ["amount", "field"],
    ["2.00", "number"],
    ["within", "keyword"],
    ["10m", "number"],
    ["alert", "keyword"],
    ['"Card {cardId}"', "string"],
    ["# comment", "comment"],
  ]);
});

test("an unterminated string runs to the end of its line and the next line is lexed again", () => {
  assert.deepEqual(kinds('alert "open\nrule'), [
    ["alert", "keyword"],
    ['"open', "string"],
    ["rule", "keyword"],
  ]);
});

test("a name that only looks like an object property is not taken for a field", () => {
  assert.deepEqual(kinds("constructor toString"), [
    ["constructor", "ident"],
    ["toString", "ident"],
  ]);
});

test("a number glued to letters is not a number", () => {
  assert.deepEqual(kinds("10mx 5s"), [
    ["mx", "ident"],
    ["5s", "number"],
  ]);
});

test("line and column (1-based) give the offset, clamped to the text", () => {
  const text = "ab\ncde\nf";
  assert.equal(core.offsetOf(text, 1, 1), 0);
  assert.equal(core.offsetOf(text, 2, 2), 4);
  assert.equal(core.offsetOf(text, 3, 1), 7);
  assert.equal(core.offsetOf(text, 3, 9), text.length);
  assert.equal(core.offsetOf(text, 9, 1), text.length);
});

test("findings become ordered marks over the reported span", () => {
  const text = "rule x\n  pattern a: payments(amout < 2)";
  const marks = core.marks(text, [
    { line: 2, column: 23, length: 5, warning: false },
    { line: 1, column: 6, length: 1, warning: true },
  ]);
  assert.deepEqual(marks, [
    { start: 5, end: 6, warning: true },
    { start: 29, end: 34, warning: false },
  ]);
  assert.equal(text.slice(marks[1].start, marks[1].end), "amout");
});

test("a finding without a length, or past the end of the text, still marks one character", () => {
  const text = "rule";
  assert.deepEqual(core.marks(text, [{ line: 1, column: 2, length: 0 }]), [
    { start: 1, end: 2, warning: false },
  ]);
  // At the very end (an unexpected end of input): the mark starts at the end, one wide.
  assert.deepEqual(core.marks(text, [{ line: 1, column: 5, length: 3 }]), [
    { start: 4, end: 5, warning: false },
  ]);
});

test("the word before the caret includes dots and stops at other characters", () => {
  assert.deepEqual(core.wordBefore("a: big.am", 9), { start: 3, end: 9, prefix: "big.am" });
  assert.deepEqual(core.wordBefore("x (", 3), { start: 3, end: 3, prefix: "" });
});

test("the stream whose parentheses hold the caret comes first, then the others the rule reads", () => {
  const text = "a: logins(country == 'x') then b: payments(am";
  assert.deepEqual(core.streamsInScope(text, text.length, vocab), ["payments", "logins"]);
  const inLogins = text.indexOf("country") + 3;
  assert.deepEqual(core.streamsInScope(text, inLogins, vocab), ["logins", "payments"]);
  assert.deepEqual(core.streamsInScope("rule x", 6, vocab), ["payments", "logins"]);
});

test("completion offers the fields of the stream in scope before stream names and keywords", () => {
  const text = "p: payments(s";
  const offer = core.completion(text, text.length, vocab, false);
  assert.deepEqual(offer.word, { start: 12, end: 13, prefix: "s" });
  assert.deepEqual(
    offer.items.map((i) => [i.label, i.kind, i.detail]),
    [
      ["status", "field", "payments"],
      ["stream", "keyword", "keyword"],
    ]
  );
});

test("a field after a stage name and a dot completes the part after the dot", () => {
  const text = "big: payments(amount > 1) alert big.cur";
  const offer = core.completion(text, text.length, vocab, false);
  assert.deepEqual(offer.word, { start: text.length - 3, end: text.length, prefix: "cur" });
  assert.deepEqual(offer.items.map((i) => i.label), ["currency"]);
});

test("asked for with nothing typed it lists everything; unasked it waits for a character", () => {
  const text = "rule x\n";
  assert.equal(core.completion(text, text.length, vocab, false), null);
  const all = core.completion(text, text.length, vocab, true).items.map((i) => i.label);
  assert.ok(all.includes("cardId") && all.includes("payments") && all.includes("within"));
  assert.equal(new Set(all).size, all.length, "each label once");
});

test("a word that is already complete, or matches nothing, offers no list", () => {
  assert.equal(core.completion("within", 6, vocab, true), null);
  assert.equal(core.completion("zzz", 3, vocab, true), null);
});

test("at most 30 candidates are offered", () => {
  const many = {};
  for (let i = 0; i < 40; i++) {
    many["s" + i] = ["f" + i];
  }
  const offer = core.completion("s", 1, core.vocabulary({ streams: many }), false);
  assert.equal(offer.items.length, 30);
});

test("the list opens while typing only after a word character was inserted", () => {
  assert.equal(core.typedWordCharacter("insertText", "a"), true);
  assert.equal(core.typedWordCharacter("insertText", "."), true);
  assert.equal(core.typedWordCharacter("insertText", " "), false);
  assert.equal(core.typedWordCharacter("deleteContentBackward", null), false);
  assert.equal(core.typedWordCharacter("insertFromPaste", "x(1)"), false);
  assert.equal(core.typedWordCharacter(undefined, "a"), false);
});
