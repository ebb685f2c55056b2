/* The course's website: copy buttons, keyboard navigation and search. Our own few lines,
   no library; nothing is fetched (the search index is a script the search page loads,
   since a page opened from file:// may not fetch a file). Without JavaScript every page
   still reads; only copying and searching need it. */
(function () {
  "use strict";

  /* Copy buttons: a shell session copies its commands without their prompts or output
     (each command line says how much of it is prompt: data-cut); other code, as shown. */
  function codeText(figure) {
    var lines = Array.prototype.slice.call(figure.querySelectorAll(".line"));
    if (figure.classList.contains("code-console") && figure.querySelector(".line[data-cut]")) {
      lines = lines.filter(function (line) { return line.hasAttribute("data-cut"); });
      return lines.map(function (line) {
        return line.textContent.slice(Number(line.getAttribute("data-cut"))).replace(/\s+$/, "");
      }).join("\n");
    }
    return lines.map(function (line) { return line.textContent.replace(/\s+$/, ""); }).join("\n");
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { copyWithSelection(text); });
    }
    copyWithSelection(text);
    return Promise.resolve();
  }

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (error) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(codeText(button.closest("figure"))).then(function () {
        button.textContent = button.getAttribute("data-done");
        window.setTimeout(function () { button.textContent = label; }, 1500);
      });
    });
  });

  /* Keyboard: ← and → go to the previous and next chapter, / to the search field.
     Not while typing, nor with a modifier, nor where arrows scroll (code, tables). */
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable], pre, .table-wrap")) return;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      var link = document.querySelector(event.key === "ArrowLeft" ? "link[rel=prev]" : "link[rel=next]");
      if (link) {
        event.preventDefault();
        window.location.href = link.href;
      }
    } else if (event.key === "/") {
      var field = document.querySelector("input[type=search]");
      if (field) {
        event.preventDefault();
        field.focus();
      }
    }
  });

  /* Search: every word must appear in a section (accents and case aside); a word in its
     title weighs more, and the whole phrase, as typed, more still: `docker run -p` finds
     the sections that show that command before those that only have "Docker" in a title. */
  var results = document.getElementById("search-results");
  if (!results || !window.AULA_SEARCH) return;
  var status = document.getElementById("search-status");
  var field = document.getElementById("q");

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var entries = window.AULA_SEARCH.map(function (entry) {
    return { entry: entry, title: fold(entry.t), text: fold(entry.x) };
  });

  function search(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var phrase = words.join(" ");
    var found = [];
    entries.forEach(function (item, order) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var inTitle = item.title.indexOf(words[i]) >= 0;
        var inText = item.text.indexOf(words[i]) >= 0;
        if (!inTitle && !inText) return;
        score += (inTitle ? 10 : 0) + (inText ? 1 : 0);
      }
      if (item.title.indexOf(phrase) >= 0 || item.text.indexOf(phrase) >= 0) score += 10 * words.length;
      found.push({ item: item, score: score, order: order, words: words });
    });
    found.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return found;
  }

  /* A piece of the section's text around the first word found, the words marked.
     Built as text nodes: nothing of the course is ever read as HTML. */
  function snippet(result) {
    var text = result.item.entry.x;
    var folded = result.item.text;
    if (folded.length !== text.length) text = folded;  // a rare letter that folds to two
    var at = -1;
    result.words.forEach(function (word) {
      var where = folded.indexOf(word);
      if (where >= 0 && (at < 0 || where < at)) at = where;
    });
    var start = Math.max(0, at - 60);
    var end = Math.min(text.length, start + 200);
    var piece = text.slice(start, end);
    var foldedPiece = folded.slice(start, end);
    var paragraph = document.createElement("p");
    paragraph.className = "search-snippet";
    if (start > 0) paragraph.appendChild(document.createTextNode("…"));
    var position = 0;
    while (position < piece.length) {
      var next = -1, length = 0;
      result.words.forEach(function (word) {
        var where = foldedPiece.indexOf(word, position);
        if (where >= 0 && (next < 0 || where < next)) { next = where; length = word.length; }
      });
      if (next < 0) break;
      paragraph.appendChild(document.createTextNode(piece.slice(position, next)));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(next, next + length);
      paragraph.appendChild(mark);
      position = next + length;
    }
    paragraph.appendChild(document.createTextNode(piece.slice(position) + (end < text.length ? "…" : "")));
    return paragraph;
  }

  function show(query) {
    var found = search(query);
    results.textContent = "";
    found.slice(0, 50).forEach(function (result) {
      var entry = result.item.entry;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.u;
      link.textContent = entry.t;
      var chapter = document.createElement("span");
      chapter.className = "search-chapter";
      chapter.textContent = entry.n + ". " + entry.c;
      item.appendChild(chapter);
      item.appendChild(link);
      item.appendChild(snippet(result));
      results.appendChild(item);
    });
    if (!query.trim()) {
      status.textContent = "";
    } else {
      var message = status.getAttribute(found.length ? "data-found" : "data-none");
      status.textContent = message.replace("{n}", String(found.length)).replace("{q}", query.trim());
    }
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  field.value = query;
  show(query);
  field.addEventListener("input", function () {
    show(field.value);
    try {
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(field.value));
    } catch (error) { /* some browsers refuse it on file:// pages: the results are shown anyway */ }
  });
})();
