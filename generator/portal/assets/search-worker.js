/* itsms: put in front of Material's search worker when the site is built.
 *
 * Material cuts a Chinese query into pieces it finds in the index, drops what it
 * cannot place and looks up every piece as a prefix, any one of them enough: 请假,
 * a word in no document, became 请* and found every 请求. Here the query is cut
 * into the index's own words (jieba's, written at build time), longest first;
 * every word must be present, and a query with a character no word holds finds
 * nothing. */
(function () {
  "use strict";
  var vocabulary = null;
  var prefixes = new Set();
  var separator = /[\s\u200b]+/;
  var pending = null;
  var HAN = /\p{sc=Han}/u;
  var NOTHING = "+itsmsnomatch";

  function learn(setup) {
    vocabulary = new Set();
    prefixes = new Set();
    try { separator = new RegExp(setup.config.separator, "u"); } catch (e) { /* keep */ }
    (setup.docs || []).forEach(function (doc) {
      [doc.title || "", doc.text || ""].forEach(function (field) {
        field.replace(/<[^>]*>/g, " ").split(separator).forEach(function (word) {
          if (!word) { return; }
          word = word.toLowerCase();
          vocabulary.add(word);
          for (var n = 1; n < Math.min(word.length, 12); n++) { prefixes.add(word.slice(0, n)); }
        });
      });
    });
  }

  /* The run as indexed words, longest first, going back to a shorter word where the
   * longest leaves a character no word holds (内表头字段: 内表 then 头 fits nothing;
   * 内 表头 字 段 does); what is left at the end may be the beginning of a word
   * (管理评 -> 管理, 评…); null when the run cannot be cut so. */
  function cutHan(run) {
    var failed = new Set();  /* places from which the rest cannot be cut */
    function from(i) {
      if (i === run.length) { return []; }
      if (failed.has(i)) { return null; }
      for (var j = Math.min(run.length, i + 16); j > i; j--) {
        if (!vocabulary.has(run.slice(i, j))) { continue; }
        var rest = from(j);
        if (rest !== null) { return [{ word: run.slice(i, j), open: false }].concat(rest); }
      }
      var tail = run.slice(i);
      if (prefixes.has(tail)) { return [{ word: tail, open: true }]; }
      failed.add(i);
      return null;
    }
    return from(0);
  }

  function escape(word) { return word.replace(/[:^~+\-*\\]/g, "\\$&"); }

  function rewrite(query) {
    var terms = [];
    var parts = query.toLowerCase().split(separator);
    for (var p = 0; p < parts.length; p++) {
      var runs = parts[p].match(/\p{sc=Han}+|[^\p{sc=Han}]+/gu) || [];
      for (var r = 0; r < runs.length; r++) {
        var run = runs[r].replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
        if (!run) { continue; }
        if (HAN.test(run)) {
          var words = cutHan(run);
          if (words === null) { return NOTHING; }
          terms = terms.concat(words);
        } else {
          terms.push({ word: run, open: true });
        }
      }
    }
    if (!terms.length) { return null; }
    /* every word required; a word of two or more characters, or an unfinished one,
     * also finds the longer words it begins (管理 -> 管理者) */
    return terms.map(function (t) {
      return "+" + escape(t.word) + (t.open || t.word.length > 1 ? "*" : "");
    }).join(" ");
  }

  function patchLunr() {
    var lunr = self.lunr;
    if (!lunr || lunr.Index.prototype.itsms) { return; }
    var search = lunr.Index.prototype.search;
    lunr.Index.prototype.search = function (query) {
      return search.call(this, pending !== null ? pending : query);
    };
    lunr.Index.prototype.itsms = true;
  }

  var add = self.addEventListener.bind(self);
  self.addEventListener = function (type, listener, options) {
    if (type !== "message") { return add(type, listener, options); }
    return add(type, function (ev) {
      var message = ev.data || {};
      if (message.data && Array.isArray(message.data.docs)) { learn(message.data); }
      if (typeof message.data === "string" && vocabulary) {
        patchLunr();
        pending = rewrite(message.data);
        try { return listener.call(this, ev); } finally { pending = null; }
      }
      return listener.call(this, ev);
    }, options);
  };
})();
