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
  var separator = /[\s\u200b]+/;
  var pending = null;
  var HAN = /\p{sc=Han}/u;
  var NOTHING = "+itsmsnomatch";

  function learn(setup) {
    vocabulary = new Set();
    try { separator = new RegExp(setup.config.separator, "u"); } catch (e) { /* keep */ }
    (setup.docs || []).forEach(function (doc) {
      [doc.title || "", doc.text || ""].forEach(function (field) {
        field.replace(/<[^>]*>/g, " ").split(separator).forEach(function (word) {
          if (word) { vocabulary.add(word.toLowerCase()); }
        });
      });
    });
  }

  function cutHan(run) {
    var words = [];
    for (var i = 0; i < run.length;) {
      var end = 0;
      for (var j = Math.min(run.length, i + 16); j > i; j--) {
        if (vocabulary.has(run.slice(i, j))) { end = j; break; }
      }
      if (!end) { return null; }
      words.push(run.slice(i, end));
      i = end;
    }
    return words;
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
          terms.push(run);
        }
      }
    }
    if (!terms.length) { return null; }
    return terms.map(function (w, n) {
      var prefix = w.length > 1 || n === terms.length - 1;
      return "+" + escape(w) + (prefix ? "*" : "");
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
