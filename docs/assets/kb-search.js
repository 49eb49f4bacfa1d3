// Search with Pagefind: one index per language, fetched in small pieces as a query needs them.
// The page's <html lang> picks the index. Pagefind stems Polish and English itself and matches
// every query word as a prefix of the indexed words; it has no Ukrainian stemmer, so Ukrainian
// query words are cut to their stem here ("громадах" → "громад", which then matches громада,
// громади, громадою...). Two places use this: the box in the header (results as you type) and
// the search page (all results, facets). Without JavaScript the header box is a plain form that
// opens the search page, which then lists the catalogues.
(function () {
  "use strict";

  // ---- Query preparation (pure) --------------------------------------------------------------

  // Inflectional endings of Ukrainian nouns, adjectives, participles and verbs, longest first.
  var UK_ENDINGS = [
    "ування", "ювання", "ованих", "ованої", "ованою", "ованим", "ованій", "ований", "ована", "оване", "овані",
    "ами", "ями", "ого", "ому", "ими", "іми", "ові", "еві", "єві", "ати", "яти", "ити", "іти", "ють", "ять",
    "ать", "ить", "ують", "ння",
    "ах", "ях", "ам", "ям", "ів", "їв", "ей", "ом", "ем", "єм", "ою", "ею", "єю", "ій", "ий", "ої", "ім", "им",
    "их", "ла", "ли", "ло",
    "а", "я", "о", "е", "є", "и", "і", "ї", "у", "ю", "ь", "й"
  ].sort(function (a, b) { return b.length - a.length; });
  // Forms whose stem changes its vowel, so that no shared prefix exists (о/і alternation).
  var UK_IRREGULAR = { "осіб": "особ", "шкіл": "школ", "сіл": "сел", "років": "рок", "рік": "рок" };
  var MIN_STEM = 4;

  function stemUk(word) {
    if (UK_IRREGULAR[word]) return UK_IRREGULAR[word];
    if (word.length <= MIN_STEM) return word;
    if (/(ся|сь)$/.test(word) && word.length - 2 >= MIN_STEM + 1) word = word.slice(0, -2);  // reflexive verbs
    for (var i = 0; i < UK_ENDINGS.length; i++) {
      var ending = UK_ENDINGS[i];
      if (word.length - ending.length >= MIN_STEM - 1 && word.slice(-ending.length) === ending) {
        var stem = word.slice(0, -ending.length);
        // Consonant change before -і: послуга → послузі, практика → практиці, рух → русі.
        if (ending === "і" && /[зцс]$/.test(stem) && stem.length > MIN_STEM) stem = stem.slice(0, -1);
        return stem;
      }
    }
    return word;
  }

  // Words that say nothing about a page's subject, and those of a question ("how", "should"):
  // dropped unless the query has nothing else.
  var STOPWORDS = {
    pl: ("a i o u w z we ze na do od po za dla przy przez nad pod oraz lub czy jak to się jest są być " +
         "kto co jaki jaka jakie który która które może można ma mają powinien powinna powinny należy").split(" "),
    uk: ("а і й о у в з із зі та на до від по за для при через над під про що як це є чи або бути " +
         "хто який яка які котрий може можна має мають повинен повинна повинні слід треба").split(" "),
    en: ("a an the of in on at to for by with from and or as is are be it its this that " +
         "how what which who whether can could should must may do does").split(" ")
  };

  function words(text) {
    return (text || "").toLowerCase().replace(/[’ʼ`]/g, "'").split(/[^\p{L}\p{N}'_-]+/u).filter(Boolean);
  }

  // The words of what the reader typed that are searched, each on its own (queriesFor).
  function prepareQuery(text, lang) {
    var list = words(text);
    var stop = STOPWORDS[lang] || [];
    var meaningful = list.filter(function (word) { return stop.indexOf(word) < 0; });
    if (meaningful.length) list = meaningful;
    return list.filter(function (word, index) { return list.indexOf(word) === index; });
  }

  // ---- Pagefind ---------------------------------------------------------------------------------

  var engine = null;

  function pagefindUrl() {
    var form = document.querySelector("[data-pagefind]");
    return form ? new URL(form.getAttribute("data-pagefind"), document.baseURI).href : null;
  }

  // What kb-search writes beside Pagefind's bundle (scripts/kb/search_words.py).
  function aidUrl(path) {
    return new URL("../kb-search/" + path, pagefindUrl()).href;
  }

  var fetched = {};
  function fetchJson(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url).then(function (response) { return response.ok ? response.json() : {}; })
        .catch(function () { return {}; });
    }
    return fetched[url];
  }

  function startEngine(url) {
    return import(url).then(function (pagefind) {
      var base = new URL("..", url).pathname;  // the site's root, wherever it is deployed
      return pagefind.options({ baseUrl: base, excerptLength: 26 }).then(function () {
        return pagefind.init();
      }).then(function () { return pagefind; });
    });
  }

  // A Pagefind searching another language's index too. Pagefind 1.5 takes an instance's own
  // language from <html lang> and refuses to merge the bundle it already uses; the same
  // bundle under another spelling of its address ("/./pagefind/") merges in that language.
  function otherEngine(language) {
    var url = pagefindUrl();
    return startEngine(url + "?lang=" + language).then(function (pagefind) {
      var same = new URL(".", url).pathname.replace(/^\//, "/./");
      return pagefind.mergeIndex(same, { language: language, baseUrl: new URL("..", url).pathname }).then(function () {
        return pagefind;
      });
    });
  }

  function loadEngine() {
    if (!engine) {
      engine = startEngine(pagefindUrl());
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function lang() {
    return (document.documentElement.getAttribute("lang") || "pl").slice(0, 2);
  }

  // ---- From the reader's words to Pagefind queries ----------------------------------------------

  function chunkKey(word) {
    return Array.from(word).slice(0, 2).map(function (ch) { return ch.codePointAt(0).toString(16); }).join("-");
  }

  // The Pagefind queries whose pages contain `word` in some form. Ukrainian: the forms of the
  // word's lemma the site uses, each searched exactly ("громад" must not find громадський); a
  // word the tables do not know is cut to its stem and searched as a prefix.
  function queriesFor(word, language) {
    if (language !== "uk") return Promise.resolve([word]);
    return fetchJson(aidUrl("lemmas/uk/" + chunkKey(word) + ".json")).then(function (table) {
      var forms = table[word];
      if (forms) return forms.map(function (form) { return '"' + form + '"'; });
      var stem = stemUk(word);
      return stem === word ? [word] : ['"' + word + '"', stem];
    });
  }

  // Loose comparison of a synonym's word with a query word: an abbreviation exactly, a longer
  // word by its beginning (ośrodka ~ ośrodek, громади ~ громада).
  function sameWord(a, b) {
    if (a === b) return true;
    if (a.length <= 4 || b.length <= 4) return false;
    var length = Math.max(4, Math.min(a.length, b.length) - 2);
    return a.slice(0, length) === b.slice(0, length);
  }

  // The query and its variants with a synonym in place of a term of synonyms.yml, as lists of
  // units (a unit is one query word, or a synonym's words, all of which a page must hold):
  // [{units, via: null | {matched, term}}], the query itself first.
  function variants(list, language) {
    return fetchJson(aidUrl("synonyms.json")).then(function (synonyms) {
      var found = [{ units: list.map(function (word) { return [word]; }), via: null }];
      (synonyms[language] || []).forEach(function (group) {
        group.forEach(function (member) {
          var memberWords = words(member);
          for (var at = 0; at + memberWords.length <= list.length; at++) {
            var all = memberWords.every(function (word, i) { return sameWord(word, list[at + i]); });
            if (!all) continue;
            group.forEach(function (other) {
              if (other === member) return;
              var units = list.slice(0, at).map(function (word) { return [word]; }).concat(
                [words(other)], list.slice(at + memberWords.length).map(function (word) { return [word]; }));
              found.push({ units: units, via: { matched: list.slice(at, at + memberWords.length).join(" "), term: other } });
            });
          }
        });
      });
      return found.slice(0, 8);
    });
  }

  // Letters a word Pagefind matched must share with the query's word: all of a word of up to
  // three letters, else half of it but at least three (a stem may be that short: cities → citi).
  function enough(word) {
    var length = Array.from(word).length;
    return length <= 3 ? length : Math.max(3, Math.floor(length / 2));
  }

  // Lower case, without diacritics and punctuation: how Pagefind compares words.
  function folded(word) {
    return word.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/ł/g, "l").replace(/[^\p{L}\p{N}]/gu, "");
  }

  function sharedLength(a, b) {
    var length = 0;
    while (length < a.length && a[length] === b[length]) length++;
    return length;
  }

  // Pagefind answers a word that no indexed word begins with by the longest indexed word that
  // begins it ("zzzqxy" finds the Polish preposition "z"): such an answer is no match. Pagefind
  // puts that one word in place of the query's, so the words matched on one result tell.
  function searchPrefix(pagefind, query) {
    return pagefind.search(query).then(function (found) {
      if (query.charAt(0) === '"' || !found.results.length) return found.results;  // exact: never replaced
      var first = found.results.filter(function (result) { return result.words.length; })[0] || found.results[0];
      return first.data().then(function (data) {
        var text = (data.raw_content || data.content || "").split(/[\r\n\s]+/g);
        var matched = first.words.length ? first.words.map(function (at) { return text[at] || ""; })
          : words((data.meta && data.meta.title) || "");
        var wanted = folded(query);
        var real = matched.some(function (word) {  // "(OZPS)", "git-absorb": the word or a part of it
          return word.split(/[^\p{L}\p{N}\p{M}]+/u).concat([word]).some(function (part) {
            return sharedLength(folded(part), wanted) >= enough(wanted);
          });
        });
        return real ? found.results : [];
      });
    });
  }

  // Pagefind returns only pages that contain every query word, so a single word in a form the
  // page does not use would hide it. Each word is therefore searched on its own (in all its
  // forms) and the pages are ranked by the share of the words they hold within one passage, then
  // by Pagefind's summed scores. A word that finds nothing (a typo) is tried again as its first half.
  function searchWord(pagefind, word, language) {
    return queriesFor(word, language).then(function (queries) {
      return Promise.all(queries.map(function (query) { return searchPrefix(pagefind, query); }));
    }).then(function (answers) {
      // A page's score for the word: its forms' scores summed (more forms, more about it); where
      // on the page they are: all its forms' places (word positions).
      var pages = {};
      answers.forEach(function (results) {
        results.forEach(function (result) {
          // data() through the result itself: Pagefind releases a result's data once the result is collected.
          var page = pages[result.id] || (pages[result.id] = { id: result.id, score: 0, words: [], data: function () { return result.data(); } });
          page.score += result.score;
          page.words = page.words.concat(result.words);
        });
      });
      var results = Object.keys(pages).map(function (id) { return pages[id]; });
      if (results.length || word.length < 6) return results;
      return searchPrefix(pagefind, word.slice(0, Math.max(4, Math.floor(word.length / 2))));
    });
  }

  function searchUnit(pagefind, unit, language) {
    return Promise.all(unit.map(function (word) { return searchWord(pagefind, word, language); })).then(function (perWord) {
      if (perWord.length === 1) return perWord[0];
      return perWord[0].filter(function (result) {  // a phrase: pages holding all its words
        return perWord.every(function (results) { return results.some(function (other) { return other.id === result.id; }); });
      });
    });
  }

  // Measured with kb search-eval (README: Search): the query's words count where they occur
  // together, within PASSAGE words of each other, as in one section. A long page (a method's
  // guide, the about page) holds most words somewhere; a page about the query holds them together.
  var PASSAGE = 40;

  // The share of the query's units found within one passage of the page: places are [word
  // position, unit], for every place Pagefind reports a unit's words at (an exact search, as for
  // a Ukrainian word form, reports only the form's first place).
  function passageShare(places, units) {
    places.sort(function (a, b) { return a[0] - b[0]; });
    var inside = {}, distinct = 0, best = 0, start = 0;
    places.forEach(function (place) {
      if (!inside[place[1]]) distinct += 1;
      inside[place[1]] = (inside[place[1]] || 0) + 1;
      for (; place[0] - places[start][0] > PASSAGE; start++) {
        inside[places[start][1]] -= 1;
        if (!inside[places[start][1]]) distinct -= 1;
      }
      best = Math.max(best, distinct);
    });
    return best / units;
  }

  function searchVariant(pagefind, variant, language) {
    return Promise.all(variant.units.map(function (unit) { return searchUnit(pagefind, unit, language); })).then(function (perUnit) {
      var pages = {};
      perUnit.forEach(function (results, unit) {
        results.forEach(function (result) {
          var page = pages[result.id] || (pages[result.id] = { result: result, matched: 0, score: 0, via: variant.via, places: [] });
          page.matched += 1;
          page.score += result.score;
          result.words.forEach(function (at) { page.places.push([at, unit]); });
        });
      });
      var needed = perUnit.length <= 2 ? 1 : Math.ceil(perUnit.length / 2);
      return Object.keys(pages).map(function (id) { pages[id].share = passageShare(pages[id].places, perUnit.length); return pages[id]; })
        .filter(function (page) { return page.matched >= needed; });
    });
  }

  // Measured with kb search-eval: a page may miss at most a third of the words the best pages
  // hold together, and must score at least 0.3 of the best of those.
  var SHARE_CUT = 0.34;
  var SCORE_CUT = 0.3;

  // Hand-written pages (about, the editors' guide) touch on every subject briefly, in many word
  // forms: at the same share of the query's words a record ranks above them (kb search-eval:
  // rank 1 and MRR up, P@5 the same or up; the benchmark's "громадах" records first).
  var HAND_WRITTEN_WEIGHT = 0.5;

  var WEIGHED = 10;  // the first results, whose fragments (their kind) are fetched: most are shown

  function better(a, b) { return (b.share - a.share) || (b.score - a.score); }

  // A filter-only search for the hand-written pages would fetch every index chunk, so their kind
  // is read from the fragments of the first results, which is where they would crowd records.
  function weighHandWritten(ranked) {
    var pageKind = document.querySelector("[data-pagefind]").getAttribute("data-page-kind");
    return Promise.all(ranked.slice(0, WEIGHED).map(function (page) {
      return page.result.data().then(function (data) {
        if (((data.filters || {}).kind || []).indexOf(pageKind) >= 0) page.score *= HAND_WRITTEN_WEIGHT;
      });
    })).then(function () { return ranked.sort(better); });
  }

  // Every page any variant found, ranked; a page found by the query itself and by a synonym
  // keeps the better of the two (and says "via" only if the synonym found it better).
  function rank(pagefind, text, language) {
    var list = prepareQuery(text, language);
    if (!list.length) return Promise.resolve(null);
    return variants(list, language).then(function (all) {
      return Promise.all(all.map(function (variant) { return searchVariant(pagefind, variant, language); }));
    }).then(function (perVariant) {
      var best = {};
      perVariant.forEach(function (pages) {
        pages.forEach(function (page) {
          var known = best[page.result.id];  // a synonym replaces the query's own match only if it matches more of it
          if (!known || (page.via ? page.share > known.share : better(page, known) < 0)) best[page.result.id] = page;
        });
      });
      return weighHandWritten(Object.keys(best).map(function (id) { return best[id]; }).sort(better));
    }).then(function (ranked) {
      // Precision: pages holding clearly fewer of the query's words than the best ones, or
      // scoring far below the best of them, are noise.
      var top = ranked.length ? ranked[0].share : 0;
      var topScore = Math.max.apply(null, [0].concat(ranked.filter(function (page) { return page.share === top; })
        .map(function (page) { return page.score; })));
      return ranked.filter(function (page) {
        return page.share >= top - SHARE_CUT && page.score >= SCORE_CUT * topScore;
      }).map(function (page) {
        page.result.via = page.via;
        return page.result;
      });
    });
  }

  // ---- Facets: which pages carry each value (filter-only searches: no fragments loaded) ----------

  var facetPages = {};
  function pagesWith(pagefind, name, value) {
    var key = name + "\u0000" + value;
    if (!facetPages[key]) {
      var filter = {};
      filter[name] = value;
      facetPages[key] = pagefind.search(null, { filters: filter }).then(function (found) {
        var ids = {};
        found.results.forEach(function (result) { ids[result.id] = true; });
        return ids;
      });
    }
    return facetPages[key];
  }

  // `filters` maps a facet to the ticked values: any of them within a facet, every facet.
  function keep(pagefind, results, filters) {
    var names = Object.keys(filters).filter(function (name) { return filters[name].length; });
    return Promise.all(names.map(function (name) {
      return Promise.all(filters[name].map(function (value) { return pagesWith(pagefind, name, value); }));
    })).then(function (perFacet) {
      return results.filter(function (result) {
        return perFacet.every(function (sets) { return sets.some(function (ids) { return ids[result.id]; }); });
      });
    });
  }

  // How many of the results each facet value would leave, given the values ticked in the other
  // facets (the catalogues count the same way): {name: {value: count}}.
  function facetCounts(results, filters, options) {
    return loadEngine().then(function (pagefind) {
      var counts = {};
      return Promise.all(Object.keys(options).map(function (name) {
        var others = {};
        Object.keys(filters).forEach(function (other) { if (other !== name) others[other] = filters[other]; });
        return keep(pagefind, results, others).then(function (left) {
          counts[name] = {};
          return Promise.all(options[name].map(function (value) {
            return pagesWith(pagefind, name, value).then(function (ids) {
              counts[name][value] = left.filter(function (result) { return ids[result.id]; }).length;
            });
          }));
        });
      })).then(function () { return counts; });
    });
  }

  // One search: {total, results: [lazy loaders], unfiltered: results before the facets, empty}.
  function search(text, filters) {
    filters = filters || {};
    var ticked = Object.keys(filters).some(function (name) { return filters[name].length; });
    if (!prepareQuery(text, lang()).length && !ticked) {
      return Promise.resolve({ total: 0, results: [], unfiltered: [], empty: true });
    }
    return loadEngine().then(function (pagefind) {
      return rank(pagefind, text, lang()).then(function (ranked) {
        if (ranked) return ranked;
        return pagefind.search(null).then(function (found) { return found.results; });  // facets alone: every page
      }).then(function (ranked) {
        return keep(pagefind, ranked, filters).then(function (results) {
          return { total: results.length, results: results, unfiltered: ranked, empty: false };
        });
      });
    });
  }

  // The other languages' results for a query that found nothing in the reader's language:
  // [{lang, results: [described]}], languages without results left out.
  var elsewhere = {};
  function searchElsewhere(text, limit) {
    var others = ["pl", "uk", "en"].filter(function (other) { return other !== lang(); });
    return Promise.all(others.map(function (other) {
      if (!elsewhere[other]) elsewhere[other] = otherEngine(other);
      return elsewhere[other].then(function (pagefind) {
        return rank(pagefind, text, other);
      }).then(function (ranked) {
        return Promise.all((ranked || []).slice(0, 20).map(describe));
      }).then(function (described) {
        var theirs = described.filter(function (result) { return result.lang === other; });  // not the reader's index
        return { lang: other, results: theirs.slice(0, limit || 5) };
      });
    })).then(function (perLanguage) { return perLanguage.filter(function (found) { return found.results.length; }); });
  }

  // Title, kind, and the section whose words matched best, with that section's own excerpt:
  // the section named is always the one the excerpt comes from (none for the page's opening).
  function describe(result) {
    return result.data().then(function (data) {
      var title = (data.meta && data.meta.title) || data.url;
      var best = null;
      (data.sub_results || []).forEach(function (sub) {
        if (!best || (sub.locations || []).length > (best.locations || []).length) best = sub;
      });
      var section = best && best.url !== data.url && best.url.indexOf("#") > 0 && best.title !== title;
      return {
        url: data.url, title: title, kind: (data.meta && data.meta.kind) || "", lang: data.meta && data.meta.lang,
        excerpt: (best && best.excerpt) || data.excerpt || "",
        section: section ? { url: best.url, title: best.title } : null,
        via: result.via || null
      };
    });
  }

  // For tests and the evaluation script: the first `limit` results, as the UI ranks them.
  function top(text, filters, limit) {
    return search(text, filters).then(function (found) {
      return Promise.all(found.results.slice(0, limit || 5).map(describe));
    });
  }

  // ---- Rendering ------------------------------------------------------------------------------

  // Pagefind's excerpt is text with <mark> around matched words: keep exactly that, nothing else.
  function excerptNodes(excerpt) {
    var template = document.createElement("template");
    template.innerHTML = excerpt;  // inert: nothing in a template runs or loads
    var fragment = document.createDocumentFragment();
    template.content.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE) fragment.appendChild(document.createTextNode(node.textContent));
      else if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.appendChild(mark);
      } else fragment.appendChild(document.createTextNode(node.textContent));
    });
    return fragment;
  }

  window.kbSearch = { stemUk: stemUk, prepareQuery: prepareQuery, search: search, top: top, excerptNodes: excerptNodes,
                      facetCounts: facetCounts, searchElsewhere: searchElsewhere };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function resultItem(result, strings) {
    var item = element("li", "kb-result");
    var link = element("a", "kb-result__title", result.title);
    link.href = result.url;
    item.appendChild(link);
    if (result.kind) item.appendChild(element("span", "kb-result__kind", result.kind));
    if (result.excerpt) {
      var excerpt = element("p", "kb-result__excerpt");
      excerpt.appendChild(excerptNodes(result.excerpt));
      item.appendChild(excerpt);
    }
    if (result.section) {
      var section = element("p", "kb-result__section", strings.section + ": ");
      var sectionLink = element("a", "", result.section.title);
      sectionLink.href = result.section.url;
      section.appendChild(sectionLink);
      item.appendChild(section);
    }
    if (result.via && strings.via) {  // found through synonyms.yml: say which term matched
      item.appendChild(element("p", "kb-result__via", strings.via.replace("{term}", result.via.term).replace("{matched}", result.via.matched)));
    }
    return item;
  }

  function countText(strings, total) {
    if (total === 0) return strings.none;
    if (total === 1) return strings.one;
    return strings.other.replace("#", String(total));
  }

  // Reads the interface strings the header form carries (in the page's language).
  function stringsFrom(form) {
    var data = form.dataset;
    return { none: data.none, one: data.one, other: data.other, placeholder: data.placeholder,
             section: data.section, all: data.all, unavailable: data.unavailable };
  }

  // Runs searches in order: an answer to an older query never replaces a newer one.
  function latestOnly(run) {
    var sequence = 0;
    return function () {
      var mine = ++sequence;
      return run.apply(null, arguments).then(function (value) {
        if (mine !== sequence) throw new Error("superseded");
        return value;
      });
    };
  }

  function debounce(fn, delay) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, delay);
    };
  }

  // ---- The header box: the first results as you type ------------------------------------------

  var HEADER_RESULTS = 5;

  function mountHeader(form) {
    var input = form.querySelector("input[name=q]");
    var strings = stringsFrom(form);
    var panel = element("div", "kb-header-results");
    panel.id = "kb-header-results";
    panel.hidden = true;
    var status = element("p", "kb-header-results__status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var list = element("ol", "kb-search__results");
    var all = element("a", "kb-header-results__all");
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(all);
    form.appendChild(panel);
    input.setAttribute("aria-controls", panel.id);
    var run = latestOnly(function (text) {
      return search(text, {}).then(function (found) {
        return Promise.all(found.results.slice(0, HEADER_RESULTS).map(describe)).then(function (shown) {
          return { found: found, shown: shown };
        });
      });
    });

    var closes = 0;  // a search still running when the reader closes the panel must not reopen it
    function close() {
      closes += 1;
      panel.hidden = true;
    }

    var update = debounce(function () {
      var text = input.value.trim();
      if (!text) { close(); status.textContent = ""; return; }
      var asked = closes;
      run(text).then(function (answer) {
        if (closes !== asked) return;
        list.replaceChildren.apply(list, answer.shown.map(function (r) { return resultItem(r, strings); }));
        status.textContent = countText(strings, answer.found.total);
        all.textContent = strings.all;
        all.href = form.action + "?q=" + encodeURIComponent(text);
        all.hidden = answer.found.total === 0;
        panel.hidden = false;
      }, function (error) {
        if (error.message === "superseded" || closes !== asked) return;
        status.textContent = strings.unavailable;
        panel.hidden = false;
      });
    }, 150);

    input.addEventListener("input", update);
    input.addEventListener("focus", loadEngine, { once: true });  // fetch the engine while the reader types
    form.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(panel.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        var wasOpen = !panel.hidden;
        close();  // also when a search is still on its way
        if (wasOpen) { input.focus(); event.preventDefault(); }
      } else if (event.key === "ArrowDown" && !panel.hidden && links.length) {
        links[Math.min(at + 1, links.length - 1)].focus();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && at >= 0) {
        (at === 0 ? input : links[at - 1]).focus();
        event.preventDefault();
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  }

  // ---- The search page: all results, facets, a shareable address ------------------------------

  var PAGE_SIZE = 10;

  function mountPage(container, headerForm) {
    var form = container.querySelector("form");
    var input = form.querySelector("input[name=q]");
    var status = container.querySelector("#kb-search-status");
    var list = container.querySelector("#kb-search-results");
    var more = container.querySelector(".kb-search__more");
    var elsewhereBox = container.querySelector(".kb-search__elsewhere");
    var strings = stringsFrom(headerForm);
    strings.via = elsewhereBox.dataset.via;
    form.hidden = false;  // it needs this script: hidden in the page as written
    var options = {};  // facet → its values, as the page lists them
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      (options[box.name] = options[box.name] || []).push(box.value);
    });
    var found = null;
    var shown = 0;

    // The form's state is the address: ?q=...&kind=practice&theme=ozps
    var params = window.kb.params(location.search);
    input.value = params.get("q") || "";
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = params.getAll(box.name).indexOf(box.value) >= 0;
      if (box.checked) container.querySelector(".kb-search__facets").open = true;
    });

    function filters() {
      var selected = {};
      form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        selected[box.name] = selected[box.name] || [];
        if (box.checked) selected[box.name].push(box.value);
      });
      return selected;
    }

    function showMore() {
      var next = found.results.slice(shown, shown + PAGE_SIZE);
      shown += next.length;
      more.hidden = shown >= found.total;  // hidden in the page as written: it needs this script
      return Promise.all(next.map(describe)).then(function (described) {
        described.forEach(function (r) { list.appendChild(resultItem(r, strings)); });
      });
    }

    var run = latestOnly(search);
    var counting = latestOnly(facetCounts);
    var looking = latestOnly(searchElsewhere);

    function showCounts(answer, selected) {
      counting(answer.unfiltered, selected, options).then(function (counts) {
        form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
          box.parentNode.querySelector(".kb-facet__count").textContent = "(" + counts[box.name][box.value] + ")";
        });
      }).catch(function () {});
    }

    // Nothing in the reader's language: the other languages' results, each under its language's name.
    function showElsewhere(text) {
      var sections = elsewhereBox.querySelectorAll(".kb-search__language");
      looking(text, 5).then(function (found) {
        sections.forEach(function (section) {
          var theirs = found.filter(function (entry) { return entry.lang === section.dataset.lang; })[0];
          section.replaceChildren();
          section.hidden = !theirs;
          if (!theirs) return;
          section.setAttribute("aria-label", elsewhereBox.dataset.resultsIn.replace("{language}", section.dataset.name));
          section.appendChild(element("h2", "kb-search__language-name", elsewhereBox.dataset.resultsIn.replace("{language}", section.dataset.name)));
          var items = element("ol", "kb-search__results");
          items.setAttribute("lang", theirs.lang);
          theirs.results.forEach(function (r) { items.appendChild(resultItem(r, strings)); });
          section.appendChild(items);
        });
        elsewhereBox.hidden = !found.length;
      }).catch(function () {});
    }

    function update() {
      var selected = filters();
      var address = new URLSearchParams();
      if (input.value.trim()) address.set("q", input.value.trim());
      Object.keys(selected).forEach(function (name) {
        selected[name].forEach(function (value) { address.append(name, value); });
      });
      history.replaceState(null, "", "?" + address.toString());
      run(input.value, selected).then(function (answer) {
        found = answer;
        shown = 0;
        list.replaceChildren();
        status.textContent = answer.empty ? strings.placeholder : countText(strings, answer.total);
        elsewhereBox.hidden = true;
        if (!answer.empty) showCounts(answer, selected);
        if (!answer.empty && answer.total === 0 && input.value.trim()) showElsewhere(input.value);
        return showMore();
      }).catch(function (error) {
        if (error.message === "superseded") return;
        container.querySelector(".kb-search__unavailable").hidden = false;
        status.textContent = strings.unavailable;
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
    });
    input.addEventListener("input", debounce(update, 200));
    form.addEventListener("change", update);
    more.addEventListener("click", function () {
      var first = shown;
      showMore().then(function () {
        var next = list.children[first] && list.children[first].querySelector("a");
        if (next) next.focus();  // keyboard and screen-reader users land on the first new result
      });
    });
    update();
    if (!input.value) input.focus();
  }

  function start() {
    var headerForm = document.querySelector("form[data-kb-search=header]");
    if (!headerForm) return;
    var page = document.querySelector("[data-kb-search=page]");
    if (page) {
      mountPage(page, headerForm);  // the header box stays a plain form here: it reloads this page
    } else {
      mountHeader(headerForm);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
