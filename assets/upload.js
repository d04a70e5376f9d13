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

  /* The owner's secret (answered by the first upload, sent with the next ones) and the tables this
   * browser uploaded: kept in this browser's storage, never in a link. Removing or keeping a table
   * needs the secret; a link's recipient does not have it. */
  /* The secret is the local dcc.Store "upload-owner" (layouts/upload_panel.py), so callbacks that
   * change a table (callbacks/reconcile.py) send it too; an older page kept it elsewhere. */
  var OWNER = "upload-owner", OWNED = "policy-atlas-owned", OLD_OWNER = "policy-atlas-owner";
  function load(key, fallback) {
    try { var v = window.localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); }
    catch (err) { return fallback; }
  }
  function keep(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (err) { /* private mode */ }
    if (key === OWNER) setProps(OWNER, {data: value});
  }
  function setProps(id, props) { // Dash's documented way for scripts to change a component
    var dc = window.dash_clientside;
    if (dc && dc.set_props) dc.set_props(id, props);
  }
  if (load(OWNER, null) === null && load(OLD_OWNER, null) !== null) {
    try { window.localStorage.setItem(OWNER, JSON.stringify(load(OLD_OWNER, null))); } catch (err) { /* */ }
  }
  function owned(id) { return id && load(OWNED, []).indexOf(id) >= 0; }
  function own(id, yes) {
    var ids = load(OWNED, []).filter(function (x) { return x !== id; });
    if (yes) ids.push(id);
    keep(OWNED, ids);
  }
  function currentId() { return new URLSearchParams(window.location.search).get("data"); }

  /* Every POST carries a token from this app (a page on another site cannot read it). */
  function post(url, body, headers, done) {
    var tk = new XMLHttpRequest();
    tk.open("GET", route("upload/token"));
    tk.onerror = function () { done(null); };
    tk.onload = function () {
      var token = "";
      try { token = JSON.parse(tk.responseText).token || ""; } catch (err) { token = ""; }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRF-Token", token);
      var secret = load(OWNER, "");
      if (secret) xhr.setRequestHeader("X-Owner", secret);
      Object.keys(headers || {}).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
      done(xhr);
      xhr.send(body);
    };
    tk.send();
  }
  function answer(xhr) {
    try { return JSON.parse(xhr.responseText) || {}; } catch (err) { return {}; }
  }

  /* Navigate within the Dash app: the page's dcc.Location ("url") given its new search, which
   * pushes the address and runs the callbacks that read it. */
  function go(params) {
    var search = params.toString();
    window.dash_clientside.set_props("url", {search: search ? "?" + search : ""});
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
    post(url, file, {"Content-Type": "application/octet-stream"}, function (xhr) {
    if (!xhr) { progress(null); status(msg("interrupted"), true); return; }
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
        if (body.owner) keep(OWNER, body.owner);
        own(body.id, true);
        status(msg("loaded", {rows: body.rows}));
        go(viewOf(body.id));
        return;
      }
      if (xhr.status === 202 && body.job) { // received: a job parses it (callbacks/upload.parse_job)
        if (body.owner) keep(OWNER, body.owner);
        own(body.id, true);
        status(msg("queued"));
        waiting[body.job] = file;
        setProps("upload-job", {data: {job: body.job, id: body.id}});
        return;
      }
      if (xhr.status === 503) { status(msg("unreachable"), true); return; }
      if (xhr.status === 403) { status(msg("refused"), true); return; }
      if (!body.error) { status(msg("interrupted"), true); return; }
      status(msg("error") + body.error, true);
      if (body.columns && body.columns.length) mappingStep(file, body);
    };
    });
  }

  /* How a parse job ended (callbacks/upload.parse_job, through the "upload-job-end" store): the
   * table opened (the job put its id in the URL), or why not, as a synchronous upload said it. */
  var waiting = {};
  function ended(end) {
    var file = waiting[end.job];
    delete waiting[end.job];
    if (end.lost) { status(msg("job_lost"), true); return; }
    if (end.status === 503) { status(msg("unreachable"), true); return; }
    if (end.id && !end.error) {
      status(msg("loaded", {rows: end.rows}));
      if (end.search !== undefined) window.dash_clientside.set_props("url", {search: end.search});
      return;
    }
    status(msg("error") + (end.error || msg("interrupted")), true);
    if (file && end.columns && end.columns.length) mappingStep(file, end);
  }
  window.policyAtlasUpload = {ended: ended};

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

  /* What an owner action answered: 403 is "not yours" or "not from this page". */
  function refused(xhr) {
    if (xhr.status === 503) { status(msg("unreachable"), true); return true; }
    if (xhr.status === 403) {
      status(msg(answer(xhr).outcome === "forbidden" ? "not_owner" : "refused"), true);
      return true;
    }
    return false;
  }

  function remove() {
    var id = currentId();
    if (!id) return;
    if (!owned(id)) { status(msg("not_owner"), true); return; }
    post(route("upload/" + id + "/remove"), null, {}, function (xhr) {
      if (!xhr) { status(msg("unreachable"), true); return; }
      xhr.onload = function () {
        // 503: the store did not answer; the table is still there, so nothing is said removed
        if (refused(xhr)) return;
        own(id, false);
        status(msg("removed"));
        go(viewOf(null));
      };
    });
  }

  function pin() {
    var id = currentId();
    if (!id || !owned(id)) { status(msg("not_owner"), true); return; }
    var pinned = load("policy-atlas-pinned", []);
    var on = pinned.indexOf(id) < 0;
    post(route("upload/" + id + "/pin") + "?on=" + (on ? 1 : 0), null, {}, function (xhr) {
      if (!xhr) { status(msg("unreachable"), true); return; }
      xhr.onload = function () {
        if (refused(xhr)) return;
        keep("policy-atlas-pinned", pinned.filter(function (x) { return x !== id; }).concat(on ? [id] : []));
        status(msg(on ? "pinned" : "unpinned"));
        sync();
      };
    });
  }

  /* Only the tables this browser uploaded offer "remove" and "keep"; a link's recipient sees
   * neither (the server refuses them anyway). */
  function sync() {
    var rm = document.getElementById("upload-remove");
    if (!rm) return;
    var mine = owned(currentId());
    if (!mine && !rm.hidden) rm.hidden = true;
    var btn = document.getElementById("upload-pin");
    if (!btn) {
      btn = document.createElement("button");
      btn.id = "upload-pin";
      btn.type = "button";
      btn.className = rm.className;
      rm.parentNode.insertBefore(btn, rm.nextSibling);
    }
    var label = msg("pin");
    var on = load("policy-atlas-pinned", []).indexOf(currentId()) >= 0;
    btn.setAttribute("aria-pressed", on ? "true" : "false");
    if (btn.textContent !== label) btn.textContent = label;
    if (btn.hidden !== rm.hidden) btn.hidden = rm.hidden;
  }
  new MutationObserver(sync).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["hidden"],
  });

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
    var id = currentId();
    var says = panel.querySelector(".colpanel-status");
    if (!id) return;
    says.className = "colpanel-status";
    says.textContent = msg("rereading");
    function failed(text) {
      restore(panel);
      says.className = "colpanel-status error";
      says.textContent = text;
    }
    post(route("upload/" + id + "/reread"), JSON.stringify(choices(panel)),
         {"Content-Type": "application/json"}, function (xhr) {
      if (!xhr) { failed(msg("interrupted")); return; }
      xhr.onerror = function () { failed(msg("interrupted")); };
      xhr.onload = function () {
        var body = answer(xhr);
        if (xhr.status === 200 && body.id) {
          if (body.owner) keep(OWNER, body.owner);
          own(body.id, true); // a new reading belongs to whoever made it
          says.textContent = msg("loaded", {rows: body.rows});
          if (body.id !== id) go(viewOf(body.id));
          return;
        }
        failed(msg("reread_refused") + (body.error || msg("interrupted")));
      };
    });
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
    if (t.closest && t.closest("#upload-cancel")) { waiting = {}; status(msg("cancelled")); return; }
    if (t.closest && t.closest("#upload-pin")) { pin(); return; }
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
