/* Your own table (layouts/upload_panel.py, callbacks/upload.py): the file goes up as the raw body
 * of an XMLHttpRequest to the `upload` route (progress events; no base64 through a Dash callback),
 * then the page's URL gets `data=<id>` and Dash redraws every view for that table. Listeners are
 * on the document, so they work whenever Dash renders the card. */
(function () {
  "use strict";

  function lang() {
    var root = document.getElementById("root");
    return root && root.className.indexOf("lang-en") >= 0 ? "en" : "zh";
  }
  function drop() { return document.getElementById("upload-drop"); }
  function msg(key, fmt) {
    var z = drop();
    var all = z ? JSON.parse(z.getAttribute("data-msg-" + lang()) || "{}") : {};
    var text = all[key] || key;
    Object.keys(fmt || {}).forEach(function (k) { text = text.split("{" + k + "}").join(fmt[k]); });
    return text;
  }
  function status(text, isError) {
    var el = document.getElementById("upload-status");
    if (!el) return;
    el.textContent = text;
    el.className = "upload-status" + (isError ? " error" : "");
  }
  function progress(pct) {
    var bar = document.getElementById("upload-progress");
    if (!bar) return;
    bar.hidden = pct === null;
    if (pct === undefined) bar.removeAttribute("value"); // indeterminate: the server is reading
    else if (pct !== null) bar.value = pct;
  }
  function route(path) { return new URL(path, document.baseURI).toString(); }

  /* Navigate within the Dash app (dcc.Location listens to this event). */
  function go(params) {
    var search = params.toString();
    window.history.pushState({}, "", search ? "?" + search : window.location.pathname);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  }
  function viewOf(id) {
    var p = new URLSearchParams();
    var cur = new URLSearchParams(window.location.search);
    if (cur.get("lang")) p.set("lang", cur.get("lang"));
    if (id) p.set("data", id);
    return p;
  }

  function send(file, mapping) {
    var z = drop();
    var maxMb = Number(z ? z.getAttribute("data-max-mb") : 50);
    document.getElementById("upload-mapping").innerHTML = "";
    if (file.size > maxMb * 1048576) {
      status(msg("too_big", {name: file.name, size: (file.size / 1048576).toFixed(1), mb: maxMb}), true);
      return;
    }
    var url = route("upload") + "?name=" + encodeURIComponent(file.name);
    if (mapping) url += "&map=" + encodeURIComponent(JSON.stringify(mapping));
    var gcj = document.querySelector("#upload-gcj02 input[type=checkbox]");
    if (gcj && gcj.checked) url += "&datum=gcj02";
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((100 * e.loaded) / e.total);
      progress(pct);
      status(msg("uploading", {pct: pct}));
    };
    xhr.upload.onload = function () { progress(undefined); status(msg("reading")); };
    xhr.onerror = xhr.onabort = function () { progress(null); status(msg("interrupted"), true); };
    xhr.onload = function () {
      progress(null);
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      if (xhr.status === 200 && body.id) {
        status(msg("loaded", {rows: body.rows}));
        go(viewOf(body.id));
        return;
      }
      if (xhr.status === 503) { status(msg("unreachable"), true); return; }
      if (!body.error) { status(msg("interrupted"), true); return; }
      status(msg("error") + body.error, true);
      if (body.columns && body.columns.length) mappingStep(file, body);
    };
    xhr.send(file);
  }

  /* A required column was not recognised: ask which column holds it, then send again. */
  function mappingStep(file, body) {
    var box = document.getElementById("upload-mapping");
    var selects = [];
    function ask(label, fields) {
      var row = document.createElement("label");
      row.textContent = label + " ";
      var sel = document.createElement("select");
      sel.setAttribute("data-fields", fields.join(","));
      [""].concat(body.columns).forEach(function (c) {
        var o = document.createElement("option");
        o.value = c; o.textContent = c || "—"; sel.appendChild(o);
      });
      var kind = document.createElement("select");
      fields.forEach(function (f) {
        var o = document.createElement("option"); o.value = f; o.textContent = f; kind.appendChild(o);
      });
      row.appendChild(sel);
      if (fields.length > 1) row.appendChild(kind);
      selects.push([sel, kind]);
      box.appendChild(row);
    }
    if (body.missing.indexOf("title") >= 0) ask(msg("map_title"), ["title_zh", "title_en"]);
    if (body.missing.indexOf("where_when") >= 0) ask(msg("map_where"), ["date", "place", "province", "city"]);
    var btn = document.createElement("button");
    btn.className = "button";
    btn.textContent = msg("map_go");
    btn.onclick = function () {
      var mapping = {};
      selects.forEach(function (pair) { if (pair[0].value) mapping[pair[1].value] = pair[0].value; });
      send(file, mapping);
    };
    box.appendChild(btn);
  }

  function pick() {
    var input = document.createElement("input");
    input.type = "file";
    input.accept = drop().getAttribute("data-accept");
    input.hidden = true;
    input.addEventListener("change", function () {
      if (input.files && input.files[0]) send(input.files[0]);
      input.remove();
    });
    document.body.appendChild(input);
    input.click();
  }

  function remove() {
    var id = new URLSearchParams(window.location.search).get("data");
    if (!id) return;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", route("upload/" + id + "/remove"));
    xhr.onload = function () {
      // 503: the store did not answer; the table is still there, so nothing is said removed
      if (xhr.status === 503) { status(msg("unreachable"), true); return; }
      status(msg("removed"));
      go(viewOf(null));
    };
    xhr.send();
  }

  /* The column panel (layouts/upload_panel.column_panel): every change re-reads the stored
   * original with the panel's choices (upload/<id>/reread) and opens the new reading; a choice
   * that makes no sense is refused with its reason and the panel goes back to the reading shown. */
  function choices(panel) {
    var byRole = {};
    var unused = [];
    panel.querySelectorAll("select[data-column]").forEach(function (sel) {
      var col = sel.getAttribute("data-column");
      if (!sel.value) { unused.push(col); return; }
      (byRole[sel.value] = byRole[sel.value] || []).push(col);
    });
    var columns = Object.keys(byRole).map(function (role) { return [role, byRole[role].join("+")]; });
    if (unused.length) columns.push(["unused", unused.join("+")]);
    var out = {columns: columns};
    panel.querySelectorAll("[name=date_order], [name=whole_marker], [name=topic]").forEach(function (el) {
      out[el.name] = el.value || null;
    });
    return out;
  }
  function restore(panel) { // the reading shown (layouts/upload_panel: data-initial)
    panel.querySelectorAll("select[data-initial]").forEach(function (sel) {
      sel.value = sel.getAttribute("data-initial");
    });
  }
  function reread(panel) {
    var id = new URLSearchParams(window.location.search).get("data");
    var says = panel.querySelector(".colpanel-status");
    if (!id) return;
    says.className = "colpanel-status";
    says.textContent = msg("rereading");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", route("upload/" + id + "/reread"));
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.onerror = function () { says.textContent = msg("interrupted"); says.className = "colpanel-status error"; };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      if (xhr.status === 200 && body.id) {
        says.textContent = msg("loaded", {rows: body.rows});
        if (body.id !== id) go(viewOf(body.id));
        return;
      }
      restore(panel);
      says.className = "colpanel-status error";
      says.textContent = msg("reread_refused") + (body.error || msg("interrupted"));
    };
    xhr.send(JSON.stringify(choices(panel)));
  }
  var JOINABLE = ["", "title", "summary"]; // roles several columns may share (joined)
  document.addEventListener("change", function (e) {
    var panel = e.target.closest && e.target.closest("#upload-columns");
    if (!panel) return;
    var role = e.target.getAttribute("data-column") !== null ? e.target.value : "";
    if (JOINABLE.indexOf(role) < 0) { // one column per role: the one just picked
      panel.querySelectorAll("select[data-column]").forEach(function (sel) {
        if (sel !== e.target && sel.value === role) sel.value = "";
      });
    }
    reread(panel);
  });

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.closest && t.closest("#upload-drop")) { pick(); return; }
    if (t.closest && t.closest("#upload-remove")) { remove(); return; }
    if (t.closest && t.closest(".upload-see")) {
      var panel = document.getElementById("upload-problems");
      if (panel) panel.open = true;
    }
  });
  document.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === " ") && e.target.id === "upload-drop") { e.preventDefault(); pick(); }
  });
  document.addEventListener("dragover", function (e) {
    if (e.target.closest && e.target.closest("#upload-drop")) { e.preventDefault(); drop().classList.add("over"); }
  });
  document.addEventListener("dragleave", function (e) {
    if (e.target.closest && e.target.closest("#upload-drop")) drop().classList.remove("over");
  });
  document.addEventListener("drop", function (e) {
    if (!(e.target.closest && e.target.closest("#upload-drop"))) return;
    e.preventDefault();
    drop().classList.remove("over");
    if (e.dataTransfer.files && e.dataTransfer.files[0]) send(e.dataTransfer.files[0]);
  });
})();
