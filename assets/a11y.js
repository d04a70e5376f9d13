// Accessibility repairs that hold for every control on the page, whoever adds it (served from
// assets/, no CDN). Dash renders the markup of its components itself; what they leave unnamed or
// mislabelled is corrected here, after every render. Documented ways come first: the dropdown's
// search text is cleared through its `search_value` prop (dash_clientside.set_props), the page's
// own markup carries its ARIA in layouts/page.py. What stays is DOM the components render
// without a prop for it; each repair names the upstream issue it works around, and each one
// only sets an attribute when it differs (a component that fixes it upstream makes it a no-op):
// - <html lang> follows the language the page is in (#root.lang-zh / .lang-en): Dash has no
//   option for the <html> tag's attributes (plotly/dash#2562);
// - a control is named by its label's id, "<control id>-label" (layouts/page.py `named`): dcc
//   components take no aria-* props (plotly/dash#2782) nor a label (plotly/dash-core-components#665);
// - radio groups and checklists are groups of native inputs, not listboxes of "options" holding
//   inputs (nested-interactive); the dropdown's focus stop is not hidden from screen readers
//   (Dash 4's dropdown focus target, plotly/dash#3673);
// - the date picker's wrapper has no dangling ARIA, its clear control is a named button, the
//   slider's thumb and the calendar's buttons are named in the page's language (no props for
//   them: plotly/dash#2782);
// - the header menu button (phones) opens and closes the header actions;
// - Enter on a focused grid row opens its details, as a click does;
// - a pick in a dropdown clears its search text;
// - Copy link (a real button) copies the address; Esc closes a policy's details and returns the
//   focus to its row; each chart's mode-bar is out of the Tab order, opened by one "chart menu"
//   button per chart (issue 21; plotly.js's mode-bar has no keyboard access: plotly/plotly.js#6940).
(function () {
  "use strict";
  var LANGS = { zh: "zh-CN", en: "en" };
  // English names Dash's widgets give their buttons, and their Chinese
  var ARIA_ZH = {
    "Clear search": "清除搜索", "Clear selection": "清除选择", "Clear Dates": "清除日期",
    "Increase value": "增加", "Decrease value": "减少",
  };

  function set(el, name, value) {
    if (value === null) { if (el.hasAttribute(name)) el.removeAttribute(name); }
    else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  function labelFor(id) {
    return id && document.getElementById(id + "-label") ? id + "-label" : null;
  }

  function pageLang() {
    var root = document.getElementById("root");
    return root && root.classList.contains("lang-en") ? "en" : "zh";
  }

  // The date picker names months and days with window.dateFns.locale, chosen by the browser's
  // language; keep only the page language's locale there (assets/vendor/date-fns-locale-*).
  var dateLocales = null;
  function dateLocale(lang) {
    var dfn = window.dateFns;
    if (!dfn || !dfn.locale) return;
    if (!dateLocales) dateLocales = { zh: dfn.locale.zhCN, en: dfn.locale.enUS };
    var key = lang === "zh" ? "zhCN" : "enUS";
    if (!dateLocales[lang] || dfn.locale[key] && Object.keys(dfn.locale).length === 1) return;
    var only = {};
    only[key] = dateLocales[lang];
    dfn.locale = only;
  }

  function repair() {
    var lang = pageLang();
    set(document.documentElement, "lang", LANGS[lang]);
    dateLocale(lang);
    // a slider's thumb (role=slider) is named in the page's language (the time player's period)
    document.querySelectorAll(".dash-slider-thumb").forEach(function (thumb) {
      set(thumb, "aria-label", lang === "zh" ? "时期" : "Period");
    });
    document.querySelectorAll(".dash-options-list").forEach(function (list) {
      var radio = list.classList.contains("dash-radioitems");
      set(list, "role", radio ? "radiogroup" : "group");
      var label = labelFor(list.id);
      if (label) set(list, "aria-labelledby", label);
      list.querySelectorAll(".dash-options-list-option").forEach(function (opt) {
        set(opt, "role", null);
        set(opt, "aria-selected", null);
      });
    });
    var words = lang === "zh"
      ? { month: "月份", year: "年份", dates: "选择日期", options: "选项" }
      : { month: "Month", year: "Year", dates: "Choose dates", options: "Options" };
    document.querySelectorAll(".dash-dropdown-wrapper").forEach(function (wrap, i) {
      var button = wrap.querySelector("button.dash-dropdown");
      var focus = wrap.querySelector(".dash-dropdown-focus-target");
      if (!button || !focus) return;
      set(focus, "aria-hidden", null);
      set(focus, "role", "button");
      set(focus, "aria-haspopup", "listbox");
      set(focus, "aria-expanded", button.getAttribute("aria-expanded") || "false");
      if (button.id) {
        var names = [labelFor(button.id), button.id + "-value"].filter(Boolean);
        set(focus, "aria-labelledby", names.join(" "));
      } else {
        // the date picker's month and year menus have no id: named by their place
        var menus = wrap.parentElement ? wrap.parentElement.querySelectorAll(".dash-dropdown-wrapper") : [];
        var index = Array.prototype.indexOf.call(menus, wrap);
        set(focus, "aria-labelledby", null);
        set(focus, "aria-label", index === 1 ? words.year : words.month);
      }
      var popup = button.getAttribute("aria-controls");
      var dialog = popup && document.getElementById(popup);
      if (dialog) {
        var label = button.id && labelFor(button.id);
        if (label) set(dialog, "aria-labelledby", label);
        else set(dialog, "aria-label", words.options);
      }
    });
    // the calendar's year box and the English names Dash gives its buttons
    document.querySelectorAll(".dash-datepicker-content input[type=number]").forEach(function (input) {
      set(input, "aria-label", words.year);
    });
    document.querySelectorAll(".dash-datepicker-month-nav").forEach(function (b, i) {
      var nav = lang === "zh" ? ["上个月", "下个月"] : ["Previous month", "Next month"];
      set(b, "aria-label", nav[i] || nav[0]);
    });
    document.querySelectorAll("[aria-label]").forEach(function (el) {
      var known = ARIA_ZH[el.getAttribute("data-aria-en") || el.getAttribute("aria-label")];
      if (!known) return;
      if (!el.hasAttribute("data-aria-en")) el.setAttribute("data-aria-en", el.getAttribute("aria-label"));
      set(el, "aria-label", lang === "zh" ? known : el.getAttribute("data-aria-en"));
    });
    // any other popup dialog (the date picker's calendar) gets a name
    document.querySelectorAll("[role=dialog]").forEach(function (dialog) {
      if (dialog.hasAttribute("aria-labelledby") || dialog.hasAttribute("aria-label")) return;
      set(dialog, "aria-label", dialog.querySelector(".dash-dropdown-search") ? words.options : words.dates);
    });
    document.querySelectorAll(".dash-datepicker-input-wrapper").forEach(function (wrap) {
      var id = (wrap.id || "").replace(/-wrapper$/, "");
      set(wrap, "role", "group");
      set(wrap, "type", null);
      set(wrap, "aria-haspopup", null);
      set(wrap, "aria-expanded", null);
      set(wrap, "aria-disabled", null);
      set(wrap, "aria-labelledby", labelFor(id));
      wrap.querySelectorAll("input").forEach(function (input, i) {
        var ends = lang === "zh" ? ["开始日期", "结束日期"] : ["Start date", "End date"];
        set(input, "aria-label", ends[i] || ends[0]);
      });
      wrap.querySelectorAll(".dash-datepicker-clear").forEach(function (a) {
        set(a, "role", "button");
        set(a, "tabindex", "0");
        set(a, "aria-label", lang === "zh" ? "清除日期" : "Clear dates");
      });
    });
  }

  // One "chart menu" button per chart; the mode-bar's own buttons leave the Tab order until it
  // is opened (Tab then walks them; Esc closes the menu and returns to its button).
  function chartMenus(lang) {
    document.querySelectorAll(".dash-graph").forEach(function (graph) {
      var open = graph.classList.contains("chart-menu-open");
      graph.querySelectorAll(".modebar-btn, .modebar button, .modebar a").forEach(function (b) {
        set(b, "tabindex", open ? "0" : "-1");
      });
      var hasBar = !!graph.querySelector(".modebar");
      var button = graph.previousElementSibling;
      if (!button || !button.classList.contains("chart-menu")) {
        if (!hasBar || !graph.parentElement) return;
        button = document.createElement("button");
        button.type = "button";
        button.className = "chart-menu";
        button.textContent = "\u22ef";
        graph.parentElement.insertBefore(button, graph);
      }
      var title = graph.querySelector(".gtitle");
      var name = lang === "zh" ? "图表菜单" : "Chart menu";
      set(button, "aria-label", name + (title ? " · " + title.textContent.slice(0, 60) : ""));
      set(button, "aria-expanded", open ? "true" : "false");
      set(button, "aria-controls", graph.id || null);
    });
  }

  function toggleMenu(button, open) {
    var graph = button.nextElementSibling;
    if (!graph || !graph.classList.contains("dash-graph")) return;
    graph.classList.toggle("chart-menu-open", open);
    chartMenus(pageLang());
    var first = graph.querySelector(".modebar-btn");
    if (open && first) first.focus();
    if (!open) button.focus();
  }

  function copyLink(button) {
    var link = window.location.href;
    var status = document.getElementById("copy-status");
    var done = function () {
      if (status) status.textContent = pageLang() === "zh" ? "已复制链接" : "Link copied";
      button.classList.add("copied");
      window.setTimeout(function () { button.classList.remove("copied"); }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link).then(done, function () { fallbackCopy(link, done); });
    } else {
      fallbackCopy(link, done);
    }
  }

  function fallbackCopy(text, done) {  // no clipboard API (plain http): a selected textarea
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { if (document.execCommand("copy")) done(); } finally { area.remove(); }
  }

  var lastRow = null;  // the grid cell that opened the details (focus goes back there)
  document.addEventListener("focusin", function (e) {
    var cell = e.target.closest && e.target.closest("#table .ag-cell");
    if (cell) lastRow = cell;
  });

  var queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      repair();
      chartMenus(pageLang());
    });
  }

  function start() {
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ["class", "aria-hidden", "role", "aria-expanded", "aria-labelledby"],
    });
    schedule();
  }

  document.addEventListener("click", function (e) {
    var copy = e.target.closest && e.target.closest("#copy-link");
    if (copy) copyLink(copy);
    var chartMenu = e.target.closest && e.target.closest(".chart-menu");
    if (chartMenu) {
      var graph = chartMenu.nextElementSibling;
      toggleMenu(chartMenu, !(graph && graph.classList.contains("chart-menu-open")));
    }
    var toggle = e.target.closest && e.target.closest(".menu-toggle");
    var menu = document.getElementById("header-actions");
    if (!menu) return;
    if (toggle) {
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      var openGraph = e.target.closest && e.target.closest(".dash-graph.chart-menu-open");
      if (openGraph && openGraph.previousElementSibling) {
        toggleMenu(openGraph.previousElementSibling, false);
        return;
      }
      var detail = document.getElementById("detail");
      var inPopup = e.target.closest && e.target.closest(".dash-dropdown-content, .dash-datepicker-content");
      if (detail && !detail.hidden && !inPopup) {
        var close = document.getElementById("detail-close");
        if (close) close.click();
        if (lastRow && document.body.contains(lastRow)) lastRow.focus();
        return;
      }
      var menu = document.getElementById("header-actions");
      var toggle = document.querySelector(".menu-toggle");
      if (menu && menu.classList.contains("open")) {
        menu.classList.remove("open");
        if (toggle) { toggle.setAttribute("aria-expanded", "false"); toggle.focus(); }
      }
    }
    if (e.key === "Enter" && e.target.closest) {
      var cell = e.target.closest(".ag-cell");
      if (cell && cell.closest(".row-details-grid")) {
        e.preventDefault();
        cell.click();
      }
    }
  });

  // A pick in a dropdown clears its search box, so the next search starts afresh: the open
  // dropdown's `search_value` prop is set to "" through Dash's documented clientside setter
  // (dash_clientside.set_props; the input shows that prop). A pick is a click on an option's
  // checkbox or Enter in the search box (the keyboard path: without this the next name was typed
  // after the first, "GuangdongZhejiang", and found nothing). Without set_props the search text
  // simply stays.
  function clearSearch() {
    window.setTimeout(function () {
      var search = document.querySelector(".dash-dropdown-content .dash-dropdown-search");
      var open = document.querySelector("button.dash-dropdown[aria-expanded=true][id]");
      var dc = window.dash_clientside;
      if (!search || !search.value || !open || !dc || typeof dc.set_props !== "function") return;
      var id = open.id;
      if (id.charAt(0) === "{") {  // a pattern-matching id, rendered as its JSON
        try { id = JSON.parse(id); } catch (err) { return; }
      }
      dc.set_props(id, { search_value: "" });
    }, 0);
  }
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (!t || !t.closest || !t.closest(".dash-dropdown-content") || t.type !== "checkbox") return;
    clearSearch();
  }, true);
  document.addEventListener("keyup", function (e) {
    var t = e.target;
    if (e.key !== "Enter" || !t || !t.classList || !t.classList.contains("dash-dropdown-search")) return;
    clearSearch();
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
