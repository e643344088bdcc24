/* The explorer page (#aigov-explorer: map, date slider, forum highlight, detail panel, matrix)
   and the hover maps of the chapters (.aigov-hovermap). The page's data is the JSON in
   script#explorer-data, written by aigov.chapters.explorer; every text from it is set with
   textContent, never as markup. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function explorer(root) {
    const data = JSON.parse(document.getElementById("explorer-data").textContent);
    const slider = root.querySelector("#explorer-date");
    const dateLabel = root.querySelector("#explorer-date-label");
    const select = root.querySelector("#explorer-forum");
    const table = root.querySelector("#explorer-matrix");
    const tbody = table.tBodies[0];
    const detail = root.querySelector("#explorer-detail");
    const shapes = Array.from(root.querySelectorAll("#explorer-map [data-iso3]"));
    const headers = Array.from(table.querySelectorAll("thead th[data-forum]"));
    const forumIndex = new Map(data.forums.map((f, i) => [f.id, i]));
    const state = { step: data.start, forum: "", country: "" };
    let live = new Map(); // iso3 -> array (per forum) of the row in force, or undefined

    shapes.forEach((s) => s.querySelector("title") && s.querySelector("title").remove());

    function compute() {
      live = new Map();
      for (const r of data.rows) {
        if (r[2] <= state.step && state.step < r[3]) {
          const iso3 = data.states[r[0]].iso3;
          if (!live.has(iso3)) live.set(iso3, new Array(data.forums.length));
          const cells = live.get(iso3);
          if (!cells[r[1]]) cells[r[1]] = r; // rows come earliest first
        }
      }
    }

    function count(iso3) {
      const cells = live.get(iso3);
      return cells ? cells.filter(Boolean).length : 0;
    }

    function isMember(iso3) {
      const cells = live.get(iso3);
      return Boolean(state.forum && cells && cells[forumIndex.get(state.forum)]);
    }

    function drawMap() {
      for (const s of shapes) {
        const n = count(s.dataset.iso3);
        s.style.fill = n ? data.colors[Math.min(n, data.colors.length - 1)] : "";
        s.classList.toggle("is-none", !n);
        s.classList.toggle("is-member", isMember(s.dataset.iso3));
        s.classList.toggle("is-dimmed", Boolean(state.forum) && !isMember(s.dataset.iso3));
        s.classList.toggle("is-current", s.dataset.iso3 === state.country);
      }
    }

    function drawMatrix() {
      const order = data.states.slice().sort((a, b) => count(b.iso3) - count(a.iso3) || a.name.localeCompare(b.name));
      const body = document.createDocumentFragment();
      for (const s of order) {
        const tr = el("tr", { "data-iso3": s.iso3, tabindex: "0" });
        tr.appendChild(el("th", { scope: "row" }, s.name));
        tr.appendChild(el("td", { class: "explorer-count" }, String(count(s.iso3))));
        const cells = live.get(s.iso3) || [];
        data.forums.forEach((f, j) => {
          const td = el("td", { "data-forum": f.id });
          const r = cells[j];
          if (r) {
            td.className = "is-in grade-" + r[5];
            td.title = f.short + ": " + (r[4] || "\u2014") + ", " + data.grades[r[5]];
            td.textContent = r[5] === "secondary" ? "\u25cb" : "\u25cf";
          }
          tr.appendChild(td);
        });
        if (state.forum) {
          tr.classList.add(isMember(s.iso3) ? "is-member" : "is-dimmed");
        }
        tr.classList.toggle("is-current", s.iso3 === state.country);
        body.appendChild(tr);
      }
      tbody.replaceChildren(body);
      headers.forEach((th) => th.classList.toggle("is-selected", th.dataset.forum === state.forum));
    }

    function drawDetail() {
      detail.replaceChildren();
      const s = data.states.find((x) => x.iso3 === state.country);
      if (!s) {
        detail.appendChild(el("p", { class: "explorer-hint" }, "Hover over or tap a country for its forums."));
        return;
      }
      const n = count(s.iso3);
      const head = el("p");
      head.appendChild(el("strong", {}, s.name));
      head.appendChild(document.createTextNode(
        " \u2014 " + n + " forum" + (n === 1 ? "" : "s") + " on " + data.labels[state.step]));
      detail.appendChild(head);
      const cells = live.get(s.iso3) || [];
      if (!n) return;
      const list = el("ul");
      data.forums.forEach((f, j) => {
        const r = cells[j];
        if (!r) return;
        const li = el("li");
        li.appendChild(el("span", { class: "explorer-forum-name", title: f.name }, f.short));
        li.appendChild(document.createTextNode(
          ": joined " + (r[4] || "(date not recorded)") + "; " + data.grades[r[5]] + " ("));
        li.appendChild(el("a", { href: r[6], rel: "noopener" }, "source"));
        li.appendChild(document.createTextNode(")"));
        list.appendChild(li);
      });
      detail.appendChild(list);
    }

    function draw() {
      compute();
      dateLabel.textContent = data.labels[state.step];
      root.dataset.date = data.dates[state.step];
      root.dataset.nStates = String(Array.from(live.keys()).filter((k) => count(k) > 0).length);
      if (state.forum) {
        root.dataset.forum = state.forum;
        root.dataset.nMembers = String(data.states.filter((s) => isMember(s.iso3)).length);
      } else {
        delete root.dataset.forum;
        delete root.dataset.nMembers;
      }
      drawMap();
      drawMatrix();
      drawDetail();
    }

    function show(iso3) {
      if (!iso3 || iso3 === state.country) return;
      state.country = iso3;
      shapes.forEach((s) => s.classList.toggle("is-current", s.dataset.iso3 === iso3));
      Array.from(tbody.rows).forEach((tr) => tr.classList.toggle("is-current", tr.dataset.iso3 === iso3));
      drawDetail();
    }

    function pick(forum) {
      state.forum = forum;
      select.value = forum;
      draw();
    }

    slider.addEventListener("input", () => { state.step = Number(slider.value); draw(); });
    select.addEventListener("change", () => pick(select.value));
    headers.forEach((th) => {
      const toggle = () => pick(state.forum === th.dataset.forum ? "" : th.dataset.forum);
      th.addEventListener("click", toggle);
      th.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); }
      });
    });
    const fromRow = (e) => { const tr = e.target.closest("tr[data-iso3]"); if (tr) show(tr.dataset.iso3); };
    ["mouseover", "click", "focusin"].forEach((t) => tbody.addEventListener(t, fromRow));
    const map = root.querySelector("#explorer-map");
    const fromShape = (e) => { const s = e.target.closest("[data-iso3]"); if (s && data.states.some((x) => x.iso3 === s.dataset.iso3)) show(s.dataset.iso3); };
    ["mouseover", "click"].forEach((t) => map.addEventListener(t, fromShape));

    root.querySelectorAll("[hidden]").forEach((n) => n.removeAttribute("hidden"));
    root.classList.add("is-live");
    draw();
    root.dataset.ready = "1";
  }

  function hoverMap(wrap) {
    const tip = el("div", { class: "aigov-tip", role: "status" });
    tip.hidden = true;
    wrap.appendChild(tip);
    wrap.querySelectorAll(".aigov-overlay path").forEach((p) => {
      const title = p.querySelector("title");
      if (title) { p.dataset.label = title.textContent; title.remove(); }
    });
    const move = (e) => {
      const p = e.target.closest("path[data-label]");
      if (!p) { tip.hidden = true; return; }
      const box = wrap.getBoundingClientRect();
      tip.textContent = p.dataset.label;
      tip.hidden = false;
      const x = Math.min(e.clientX - box.left + 12, box.width - tip.offsetWidth - 4);
      tip.style.left = Math.max(4, x) + "px";
      tip.style.top = Math.max(4, e.clientY - box.top - tip.offsetHeight - 8) + "px";
    };
    wrap.addEventListener("pointermove", move);
    wrap.addEventListener("click", move);
    wrap.addEventListener("pointerleave", () => { tip.hidden = true; });
  }

  function init() {
    const root = document.getElementById("aigov-explorer");
    if (root && !root.dataset.ready) explorer(root);
    document.querySelectorAll(".aigov-hovermap").forEach(hoverMap);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
