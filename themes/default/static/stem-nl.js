/* Dutch stemmer for search queries: Snowball's "dutch" algorithm (Snowball
 * 3, after Kraaij and Pohlmann), ported by hand for words already folded to
 * lower case without diacritics. twn builds its index with the Rust crate
 * snowball_stemmers_rs; a browser test checks that both give the same stem
 * for thousands of words. Snowball: BSD licence, https://snowballstem.org/. */
(function () {
  "use strict";

  var VOWELS = "aeiouy";
  function isVowel(ch) {
    return ch !== undefined && VOWELS.indexOf(ch) >= 0;
  }
  function among(set, ch) {
    return ch !== undefined && set.indexOf(ch) >= 0;
  }

  function stem(word) {
    var s = Array.from(word);
    var c = 0, lb = 0, bra = 0, ket = 0, p1 = 0, p2 = 0;
    var limit = function () { return s.length; };

    // Moving backwards over the word.
    function inBack(set) {
      if (c > lb && among(set, s[c - 1])) { c--; return true; }
      return false;
    }
    function outBack(set) {
      if (c > lb && !among(set, s[c - 1])) { c--; return true; }
      return false;
    }
    function vowelBack() { return inBack(VOWELS); }
    function eqBack(text) {
      var t = Array.from(text);
      if (c - lb < t.length) return false;
      for (var i = 0; i < t.length; i++) if (s[c - t.length + i] !== t[i]) return false;
      c -= t.length;
      return true;
    }
    // The longest of `suffixes` ending at the cursor: its number, or 0.
    function suffix(suffixes) {
      var best = 0, bestLength = -1;
      for (var key in suffixes) {
        var t = Array.from(key);
        if (t.length <= bestLength || c - lb < t.length) continue;
        var ok = true;
        for (var i = 0; i < t.length; i++) if (s[c - t.length + i] !== t[i]) { ok = false; break; }
        if (ok) { best = suffixes[key]; bestLength = t.length; }
      }
      if (best) c -= bestLength;
      return best;
    }
    // Forward.
    function eqForward(text) {
      var t = Array.from(text);
      if (c >= limit()) return false;
      for (var i = 0; i < t.length; i++) if (s[c + i] !== t[i]) return false;
      c += t.length;
      return true;
    }
    function vowelOrIjForward() {
      if (eqForward("ij")) return true;
      if (c < limit() && isVowel(s[c])) { c++; return true; }
      return false;
    }

    function replace(from, to, text) {
      var t = Array.from(text);
      var adjustment = t.length - (to - from);
      s.splice.apply(s, [from, to - from].concat(t));
      if (c >= to) c += adjustment;
      else if (c > from) c = from;
      return adjustment;
    }
    function sliceFrom(text) {
      replace(bra, ket, text);
      ket = bra + Array.from(text).length;
    }
    function sliceDel() { sliceFrom(""); }
    // Inserts at the cursor, leaving the cursor after the text (Snowball's
    // `attach`) or, with `stay`, before it (`insert`).
    function insert(text, stay) {
      var at = c;
      var adjustment = replace(at, at, text);
      if (at <= bra) bra += adjustment;
      if (at <= ket) ket += adjustment;
      if (stay) c = at;
    }
    function fromEnd() { return limit() - c; }
    function toEnd(saved) { c = limit() - saved; }

    function V() {
      var saved = fromEnd();
      var ok = vowelBack() || eqBack("ij");
      toEnd(saved);
      return ok;
    }
    function C() {
      var saved = fromEnd();
      if (eqBack("ij")) { toEnd(saved); return false; }
      var ok = outBack(VOWELS);
      toEnd(saved);
      return ok;
    }
    function R1() { return p1 <= c; }
    function R2() { return p2 <= c; }

    // Doubles the vowel of a final consonant-vowel-consonant: man → maan.
    function lengthenV() {
      var saved = fromEnd();
      (function () {
        if (!outBack("aeiouywx")) return;
        ket = c;
        var n = suffix({ a: 1, o: 1, u: 1, e: 2 });
        if (!n) return;
        bra = c;
        var atBra = fromEnd();
        if (!(outBack("aeiou") || c <= lb)) return;
        if (n === 2) {
          var probe = fromEnd();
          if (inBack("aiou")) return;
          if (inBack("e") && c <= lb) return;
          toEnd(probe);
          if (c > lb) {
            c--;
            if (inBack("aiou") && outBack("aeiou")) return;
          }
        }
        toEnd(atBra);
        insert(s.slice(bra, ket).join(""), true);
      })();
      toEnd(saved);
    }

    function measure() {
      p1 = limit();
      p2 = limit();
      var saved = c;
      (function () {
        while (c < limit() && !isVowel(s[c])) c++;
        var count = 0;
        while (vowelOrIjForward()) count++;
        if (count < 1) return;
        if (!(c < limit() && !isVowel(s[c]))) return;
        c++;
        p1 = c;
        while (c < limit() && !isVowel(s[c])) c++;
        count = 0;
        while (vowelOrIjForward()) count++;
        if (count < 1) return;
        if (!(c < limit() && !isVowel(s[c]))) return;
        c++;
        p2 = c;
      })();
      c = saved;
    }

    function step1() {
      ket = c;
      var n = suffix({ nde: 8, en: 7, s: 2, "'s": 1, es: 4, ies: 3, aus: 6 });
      if (!n) return false;
      bra = c;
      var saved;
      switch (n) {
        case 1: sliceDel(); return true;
        case 2:
          if (!R1()) return false;
          saved = fromEnd();
          if (eqBack("t") && R1()) return false;
          toEnd(saved);
          if (!C()) return false;
          sliceDel();
          return true;
        case 3:
          if (!R1()) return false;
          sliceFrom("ie");
          return true;
        case 4:
          saved = fromEnd();
          if (eqBack("ar") && R1() && C()) { toEnd(saved); sliceDel(); lengthenV(); return true; }
          toEnd(saved);
          if (eqBack("er") && R1() && C()) { toEnd(saved); sliceDel(); return true; }
          toEnd(saved);
          if (!R1() || !C()) return false;
          sliceFrom("e");
          return true;
        case 6:
          if (!R1() || !V()) return false;
          sliceFrom("au");
          return true;
        case 7:
          saved = fromEnd();
          if (eqBack("hed") && R1()) { bra = c; sliceFrom("heid"); return true; }
          toEnd(saved);
          if (eqBack("nd")) { sliceDel(); return true; }
          toEnd(saved);
          if (eqBack("d") && R1() && C()) { bra = c; sliceDel(); return true; }
          toEnd(saved);
          if ((eqBack("i") || eqBack("j")) && V()) { sliceDel(); return true; }
          toEnd(saved);
          if (!R1() || !C()) return false;
          sliceDel();
          lengthenV();
          return true;
        case 8:
          sliceFrom("nd");
          return true;
      }
      return false;
    }

    function step2() {
      ket = c;
      var n = suffix({ de: 5, ge: 2, ische: 4, je: 1, lijke: 3, le: 9, ene: 10, re: 8, se: 7, te: 6, ieve: 11 });
      if (!n) return false;
      bra = c;
      switch (n) {
        case 1:
          var saved = fromEnd();
          if (eqBack("'t")) { bra = c; sliceDel(); return true; }
          toEnd(saved);
          if (eqBack("et")) { bra = c; if (R1() && C()) { sliceDel(); return true; } }
          toEnd(saved);
          if (eqBack("rnt")) { bra = c; sliceFrom("rn"); return true; }
          toEnd(saved);
          if (eqBack("t")) {
            bra = c;
            if (R1() && c > lb) {
              var probe = fromEnd();
              c--;
              if (vowelBack() || eqBack("ij")) { toEnd(probe); sliceDel(); return true; }
            }
          }
          toEnd(saved);
          if (eqBack("ink")) { bra = c; sliceFrom("ing"); return true; }
          toEnd(saved);
          if (eqBack("mp")) { bra = c; sliceFrom("m"); return true; }
          toEnd(saved);
          if (eqBack("'")) { bra = c; if (R1()) { sliceDel(); return true; } }
          toEnd(saved);
          bra = c;
          if (!R1() || !C()) return false;
          sliceDel();
          return true;
        case 2: if (!R1()) return false; sliceFrom("g"); return true;
        case 3: if (!R1()) return false; sliceFrom("lijk"); return true;
        case 4: if (!R1()) return false; sliceFrom("isch"); return true;
        case 5: if (!R1() || !C()) return false; sliceDel(); return true;
        case 6: if (!R1()) return false; sliceFrom("t"); return true;
        case 7: if (!R1()) return false; sliceFrom("s"); return true;
        case 8: if (!R1()) return false; sliceFrom("r"); return true;
        case 9: if (!R1()) return false; sliceDel(); insert("l"); lengthenV(); return true;
        case 10: if (!R1() || !C()) return false; sliceDel(); insert("en"); lengthenV(); return true;
        case 11: if (!R1() || !C()) return false; sliceFrom("ief"); return true;
      }
      return false;
    }

    function step3() {
      ket = c;
      var n = suffix({
        heid: 3, fie: 7, gie: 8, atie: 1, isme: 5, ing: 5, arij: 6, erij: 5,
        sel: 3, rder: 4, ster: 3, iteit: 2, dst: 10, tst: 9
      });
      if (!n) return false;
      bra = c;
      switch (n) {
        case 1: if (!R1()) return false; sliceFrom("eer"); return true;
        case 2: if (!R1()) return false; sliceDel(); lengthenV(); return true;
        case 3: if (!R1()) return false; sliceDel(); return true;
        case 4: sliceFrom("r"); return true;
        case 5:
          var saved = fromEnd();
          if (eqBack("ild")) { sliceFrom("er"); return true; }
          toEnd(saved);
          if (!R1()) return false;
          sliceDel();
          lengthenV();
          return true;
        case 6: if (!R1() || !C()) return false; sliceFrom("aar"); return true;
        case 7: if (!R2()) return false; sliceDel(); insert("f"); lengthenV(); return true;
        case 8: if (!R2()) return false; sliceDel(); insert("g"); lengthenV(); return true;
        case 9: if (!R1() || !C()) return false; sliceFrom("t"); return true;
        case 10: if (!R1() || !C()) return false; sliceFrom("d"); return true;
      }
      return false;
    }

    function step4() {
      var saved = fromEnd();
      ket = c;
      var n = suffix({
        end: 9, atief: 2, erig: 9, achtiger: 3, ioneel: 1, baar: 3, laar: 5, naar: 4,
        raar: 6, eriger: 9, achtigst: 3, lijker: 8, tant: 7, erigst: 9, achtig: 3, lijkst: 8
      });
      if (n) {
        bra = c;
        var done = (function () {
          switch (n) {
            case 1: if (!R1()) return false; sliceFrom("ie"); return true;
            case 2: if (!R1()) return false; sliceFrom("eer"); return true;
            case 3: if (!R1()) return false; sliceDel(); return true;
            case 4: if (!R1() || !V()) return false; sliceFrom("n"); return true;
            case 5: if (!R1() || !V()) return false; sliceFrom("l"); return true;
            case 6: if (!R1() || !V()) return false; sliceFrom("r"); return true;
            case 7: if (!R1()) return false; sliceFrom("teer"); return true;
            case 8: if (!R1()) return false; sliceFrom("lijk"); return true;
            case 9: if (!R1() || !C()) return false; sliceDel(); lengthenV(); return true;
          }
          return false;
        })();
        if (done) return true;
      }
      toEnd(saved);
      ket = c;
      if (!suffix({ ig: 1, iger: 1, igst: 1 })) return false;
      bra = c;
      if (!R1()) return false;
      var probe = fromEnd();
      if (eqBack("inn") && c <= lb) return false;
      toEnd(probe);
      if (!C()) return false;
      sliceDel();
      lengthenV();
      return true;
    }

    function step1c() {
      ket = c;
      var n = suffix({ d: 1, t: 2 });
      if (!n) return;
      bra = c;
      if (!R1() || !C()) return;
      var saved = fromEnd();
      if (n === 1) {
        if (eqBack("n") && R1()) return;
        toEnd(saved);
        if (eqBack("in") && c <= lb) { toEnd(saved); sliceFrom("n"); return; }
        toEnd(saved);
        sliceDel();
      } else {
        if (eqBack("h") && R1()) return;
        toEnd(saved);
        if (eqBack("en") && c <= lb) return;
        toEnd(saved);
        sliceDel();
      }
    }

    // A "ge" with at least one vowel after it and more letters after that.
    function vowelsFollow() {
      var start = c;
      if (start + 3 > limit()) return false;
      while (true) {
        var here = c;
        if (vowelOrIjForward()) break;
        c = here;
        if (c >= limit()) return false;
        c++;
      }
      while (vowelOrIjForward()) { /* the whole run */ }
      var ok = c < limit();
      c = start;
      return ok;
    }

    function losePrefix() {
      c = 0;
      bra = c;
      if (!eqForward("ge")) return false;
      ket = c;
      if (!vowelsFollow()) return false;
      var rest = s.slice(c).join("");
      if (/^(eft|val(?!i)|vaa|vare)/.test(rest)) return false;
      replace(bra, ket, "");
      return true;
    }

    function loseInfix() {
      c = 0;
      if (c >= limit()) return false;
      c++;
      while (true) {
        bra = c;
        if (eqForward("ge")) { ket = c; break; }
        if (c >= limit()) return false;
        c++;
      }
      if (!vowelsFollow()) return false;
      replace(bra, ket, "");
      return true;
    }

    var stemmed = false;
    measure();
    lb = c;
    c = limit();
    var tail;
    tail = fromEnd(); if (step1()) stemmed = true; toEnd(tail);
    tail = fromEnd(); if (step2()) stemmed = true; toEnd(tail);
    tail = fromEnd(); if (step3()) stemmed = true; toEnd(tail);
    tail = fromEnd(); if (step4()) stemmed = true; toEnd(tail);
    // After a "ge" is gone, the regions are measured again and a final
    // d or t may go too.
    function afterGeRemoved() {
      c = 0;
      measure();
      lb = 0;
      c = limit();
      stemmed = true;
      step1c();
    }
    c = lb;
    if (losePrefix()) afterGeRemoved();
    c = 0;
    lb = 0;
    if (loseInfix()) afterGeRemoved();
    lb = 0;
    c = limit();
    tail = fromEnd();
    ket = c;
    var n7 = suffix({ kt: 1, ft: 2, pt: 3 });
    if (n7) {
      bra = c;
      sliceFrom(["", "k", "f", "p"][n7]);
      stemmed = true;
    }
    toEnd(tail);
    if (stemmed) {
      ket = c;
      var doubled = suffix({
        bb: "b", cc: "c", dd: "d", ff: "f", gg: "g", hh: "h", jj: "j", kk: "k", ll: "l",
        mm: "m", nn: "n", pp: "p", qq: "q", rr: "r", ss: "s", tt: "t", v: "f", vv: "v",
        ww: "w", xx: "x", z: "s", zz: "z"
      });
      if (doubled) {
        bra = c;
        var probe = fromEnd();
        if (!(doubled === "n" && eqBack("i") && c <= lb)) {
          toEnd(probe);
          sliceFrom(doubled);
        }
      }
    }
    return s.join("");
  }

  globalThis.twnStemmers = globalThis.twnStemmers || {};
  globalThis.twnStemmers.nl = stem;
})();
