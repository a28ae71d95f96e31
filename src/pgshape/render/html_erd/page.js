// pgshape ERD page: pan/zoom, search, selection with a side panel, theme toggle.
// Everything it needs is in this file, the inline SVG and the JSON block: no network.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pgshape-data").textContent);
  var tables = data.tables;
  var viewport = document.getElementById("viewport");
  var svg = viewport.querySelector("svg");
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var search = document.getElementById("search");
  var results = document.getElementById("results");
  var full = svg.viewBox.baseVal;
  var world = { width: full.width, height: full.height };
  var view = { x: 0, y: 0, scale: 1 };  // scale: screen pixels per SVG unit
  var selected = null;

  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.setAttribute("preserveAspectRatio", "xMinYMin meet");

  // View --------------------------------------------------------------------------------------
  function apply() {
    var w = viewport.clientWidth || 1, h = viewport.clientHeight || 1;
    svg.setAttribute("viewBox", [view.x, view.y, w / view.scale, h / view.scale].join(" "));
    svg.dataset.scale = view.scale.toFixed(4);
  }
  function clampScale(s) { return Math.min(8, Math.max(0.02, s)); }
  function fit() {
    var w = viewport.clientWidth || 1, h = viewport.clientHeight || 1;
    view.scale = clampScale(Math.min(w / world.width, h / world.height) * 0.98);
    view.x = -(w / view.scale - world.width) / 2;
    view.y = -(h / view.scale - world.height) / 2;
    apply();
  }
  function zoomAt(factor, sx, sy) {
    var s = clampScale(view.scale * factor);
    view.x += sx / view.scale - sx / s;
    view.y += sy / view.scale - sy / s;
    view.scale = s;
    apply();
  }
  function centerOn(box, minScale) {
    var w = viewport.clientWidth || 1, h = viewport.clientHeight || 1;
    var wanted = Math.min(w / (box.width + 80), h / (box.height + 80));
    view.scale = clampScale(Math.max(Math.min(view.scale, wanted), Math.min(minScale, wanted)));
    view.x = box.x + box.width / 2 - w / view.scale / 2;
    view.y = box.y + box.height / 2 - h / view.scale / 2;
    apply();
  }
  viewport.addEventListener("wheel", function (event) {
    event.preventDefault();
    var r = viewport.getBoundingClientRect();
    var step = event.deltaMode === 1 ? 0.05 : 0.0015;
    zoomAt(Math.exp(-event.deltaY * step), event.clientX - r.left, event.clientY - r.top);
  }, { passive: false });

  var drag = null;
  viewport.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false, id: event.pointerId };
  });
  viewport.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 4) {
      drag.moved = true;
      viewport.classList.add("dragging");
      try { viewport.setPointerCapture(drag.id); } catch (e) { /* pointer already gone */ }
    }
    if (drag.moved) {
      view.x = drag.vx - dx / view.scale;
      view.y = drag.vy - dy / view.scale;
      apply();
    }
  });
  function endDrag(event) {
    if (!drag) return;
    var wasClick = !drag.moved;
    drag = null;
    viewport.classList.remove("dragging");
    if (wasClick && event.type === "pointerup") {
      var target = event.target.closest ? event.target.closest(".erd-table") : null;
      if (target) select(target.id, null, false); else clear();
    }
  }
  viewport.addEventListener("pointerup", endDrag);
  viewport.addEventListener("pointercancel", endDrag);

  // Selection and the side panel --------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function link(id) {
    var a = el("a", { "data-table-link": id, text: tables[id] ? tables[id].name : id });
    a.addEventListener("click", function () { select(id, null, true); });
    return a;
  }
  function section(title, items, render) {
    if (!items.length) return null;
    return el("section", {}, [el("h3", { text: title + " (" + items.length + ")" }), render(items)]);
  }
  function rows(items, cells) {
    return el("table", {}, [el("tbody", {}, items.map(function (item) { return el("tr", {}, cells(item)); }))]);
  }
  function showPanel(id, column) {
    var t = tables[id];
    panelBody.textContent = "";
    panelBody.appendChild(el("h2", { id: "panel-title", "data-table": t.name, text: t.name }));
    if (t.comment) panelBody.appendChild(el("p", { class: "comment", text: t.comment }));
    var parts = [
      section("Columns", t.columns, function (cols) {
        var table = rows(cols, function (c) {
          var detail = [el("code", { text: c.type })];
          if (!c.nullable) detail.push(el("span", { class: "muted", text: " not null" }));
          if (c.default !== null) detail.push(el("span", { class: "muted", text: " = " + c.default }));
          return [
            el("td", { class: "mark", text: c.markers.join(" ") }),
            el("td", { class: "name" }, [el("code", { text: c.name })].concat(c.comment ? [el("div", { class: "muted", text: c.comment })] : [])),
            el("td", {}, detail)
          ];
        });
        table.setAttribute("id", "panel-columns");
        Array.prototype.forEach.call(table.querySelectorAll("tr"), function (tr, i) {
          tr.dataset.column = cols[i].name;
          if (cols[i].name === column) tr.classList.add("hit");
        });
        return table;
      }),
      section("Indexes", t.indexes, function (items) {
        return rows(items, function (i) { return [el("td", {}, [el("code", { text: i.name })]), el("td", {}, [el("code", { text: i.text })])]; });
      }),
      section("Constraints", t.constraints, function (items) {
        return rows(items, function (c) {
          return [el("td", { class: "muted kind", text: c.kind }), el("td", {}, [el("code", { text: c.name }), el("div", {}, [el("code", { text: c.text })])])];
        });
      }),
      section("References", t.references, function (items) {
        return el("ul", {}, items.map(function (r) { return el("li", {}, [link(r.table), " (" + r.columns.join(", ") + ")" + (r.via ? " via " + r.via : "")]); }));
      }),
      section("Referenced by", t.referenced_by, function (items) {
        return el("ul", {}, items.map(function (r) { return el("li", {}, [link(r.table), " (" + r.columns.join(", ") + ")" + (r.via ? " via " + r.via : "")]); }));
      }),
      section("Findings", t.findings, function (items) {
        return el("ul", { id: "panel-findings" }, items.map(function (f) {
          return el("li", {}, [el("span", { class: "sev sev-" + f.severity, text: f.severity }), " ", el("code", { text: f.code + " " + f.name }), " " + f.message, el("div", { class: "muted", text: f.path })]);
        }));
      })
    ];
    parts.forEach(function (p) { if (p) panelBody.appendChild(p); });
    panel.hidden = false;
  }
  function clear() {
    selected = null;
    svg.classList.remove("erd-dim");
    Array.prototype.forEach.call(svg.querySelectorAll(".erd-hot, .erd-selected, .erd-neighbour, .erd-hit"), function (n) {
      n.classList.remove("erd-hot", "erd-selected", "erd-neighbour", "erd-hit");
    });
    panel.hidden = true;
  }
  function select(id, column, focus) {
    if (!tables[id]) return;
    clear();
    selected = id;
    var group = document.getElementById(id);
    group.classList.add("erd-selected", "erd-hot");
    tables[id].neighbours.forEach(function (n) {
      var g = document.getElementById(n);
      if (g) g.classList.add("erd-neighbour", "erd-hot");
    });
    Array.prototype.forEach.call(svg.querySelectorAll(".erd-edge"), function (edge) {
      if (edge.dataset.fromId === id || edge.dataset.toId === id) edge.classList.add("erd-hot");
    });
    if (column) {
      Array.prototype.forEach.call(group.querySelectorAll(".erd-column"), function (c) {
        if (c.dataset.column === column) c.classList.add("erd-hit");
      });
    }
    svg.classList.add("erd-dim");
    showPanel(id, column);
    if (focus) {
      var box = group.querySelector(".erd-box");
      centerOn({ x: box.x.baseVal.value, y: box.y.baseVal.value, width: box.width.baseVal.value, height: box.height.baseVal.value }, 0.9);
    }
  }
  document.getElementById("close").addEventListener("click", clear);

  // Search ------------------------------------------------------------------------------------
  var index = [];
  Object.keys(tables).forEach(function (id) {
    var t = tables[id];
    index.push({ id: id, column: null, label: t.name, key: t.name.toLowerCase(), short: t.table.toLowerCase() });
    t.columns.forEach(function (c) {
      index.push({ id: id, column: c.name, label: t.name + "." + c.name, key: c.name.toLowerCase(), short: c.name.toLowerCase() });
    });
  });
  var hits = [], active = 0;
  function rank(entry, q) {
    if (entry.short === q || entry.key === q) return 0;
    if (entry.short.indexOf(q) === 0 || entry.key.indexOf(q) === 0) return 1;
    if (entry.key.indexOf(q) >= 0) return 2;
    return -1;
  }
  function find(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var found = [];
    index.forEach(function (entry) {
      var r = rank(entry, q);
      if (r >= 0) found.push({ entry: entry, score: r * 2 + (entry.column ? 1 : 0) });
    });
    found.sort(function (a, b) { return a.score - b.score || (a.entry.label < b.entry.label ? -1 : a.entry.label > b.entry.label ? 1 : 0); });
    return found.slice(0, 50).map(function (f) { return f.entry; });
  }
  function showResults() {
    hits = find(search.value);
    active = 0;
    results.textContent = "";
    if (!search.value.trim()) { results.hidden = true; return; }
    if (!hits.length) {
      results.appendChild(el("li", { class: "none", text: "No table or column matches" }));
    }
    hits.forEach(function (entry, i) {
      var li = el("li", { role: "option", "data-table": entry.id, "data-column": entry.column || "", "aria-selected": i === 0 ? "true" : "false" },
        [el("span", { class: "kind", text: entry.column ? "column" : "table" }), el("span", { text: entry.label })]);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      results.appendChild(li);
    });
    results.hidden = false;
  }
  function choose(i) {
    var entry = hits[i];
    if (!entry) return;
    results.hidden = true;
    select(entry.id, entry.column, true);
  }
  function mark(i) {
    var items = results.querySelectorAll("li[role=option]");
    if (!items.length) return;
    active = (i + items.length) % items.length;
    Array.prototype.forEach.call(items, function (li, k) { li.setAttribute("aria-selected", k === active ? "true" : "false"); });
    items[active].scrollIntoView({ block: "nearest" });
  }
  search.addEventListener("input", showResults);
  search.addEventListener("focus", function () { if (search.value.trim()) showResults(); });
  search.addEventListener("blur", function () { results.hidden = true; });
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); mark(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); mark(active - 1); }
    else if (event.key === "Enter") { event.preventDefault(); if (!hits.length) showResults(); choose(active); }
    else if (event.key === "Escape") { results.hidden = true; search.blur(); }
  });

  // Theme -------------------------------------------------------------------------------------
  var root = document.documentElement;
  function currentTheme() {
    if (root.dataset.theme) return root.dataset.theme;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function setTheme(theme) {
    root.dataset.theme = theme;
    svg.setAttribute("data-theme", theme);
    try { window.localStorage.setItem("pgshape-erd-theme", theme); } catch (e) { /* storage unavailable */ }
  }
  try {
    var saved = window.localStorage.getItem("pgshape-erd-theme");
    if (saved === "dark" || saved === "light") setTheme(saved);
  } catch (e) { /* storage unavailable (local files in some browsers) */ }
  document.getElementById("theme").addEventListener("click", function () {
    setTheme(currentTheme() === "dark" ? "light" : "dark");
  });

  // Buttons and keys --------------------------------------------------------------------------
  function zoomCenter(factor) { zoomAt(factor, viewport.clientWidth / 2, viewport.clientHeight / 2); }
  document.getElementById("zoom-in").addEventListener("click", function () { zoomCenter(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomCenter(0.8); });
  document.getElementById("fit").addEventListener("click", fit);
  document.addEventListener("keydown", function (event) {
    if (event.target === search) return;
    if (event.key === "/") { event.preventDefault(); search.focus(); search.select(); }
    else if (event.key === "+" || event.key === "=") zoomCenter(1.25);
    else if (event.key === "-") zoomCenter(0.8);
    else if (event.key === "0") fit();
    else if (event.key === "Escape") clear();
  });
  window.addEventListener("resize", apply);

  // For scripts and tests: the same actions the page offers.
  window.pgshapeErd = {
    select: function (name, focus) {
      var id = Object.keys(tables).filter(function (k) { return tables[k].name === name; })[0];
      if (id) select(id, null, focus !== false);
      return id || null;
    },
    selected: function () { return selected ? tables[selected].name : null; },
    theme: currentTheme,
    view: function () { return { x: view.x, y: view.y, scale: view.scale }; },
    fit: fit
  };
  fit();
})();
