// locgen serve: reloads this tab after a rebuild that changed it, and shows
// build errors over the page. Added to pages by the dev server only; never
// part of `locgen build` output.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = Number(script.dataset.build);
  var session = script.dataset.session;
  var path = script.dataset.path;
  var host = null;

  function affected(state) {
    if (state.session !== session || state.all) return true;
    if (path === "*") return true;
    return state.changed.some(function (changed) {
      return changed === path || !/\.html$/.test(changed);
    });
  }

  function line(parent, tag, className, text) {
    var element = document.createElement(tag);
    element.className = className;
    element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  function showError(error) {
    hideError();
    host = document.createElement("locgen-error");
    host.id = "locgen-error";
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent =
      ":host{all:initial}" +
      ".panel{position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,24,.92);color:#f5f5f5;padding:2rem;" +
      "font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;direction:ltr;text-align:left}" +
      ".title{color:#ff8a80;font-size:1.2rem;font-weight:bold;margin:0 0 1rem}" +
      ".where{color:#82b1ff;margin:0 0 .5rem}" +
      ".message{white-space:pre-wrap;margin:0 0 1rem}" +
      ".hint{color:#b9f6ca;margin:0 0 1rem}" +
      ".note{color:#bbb;font-size:.85rem}";
    root.appendChild(style);
    var panel = document.createElement("div");
    panel.className = "panel";
    panel.setAttribute("role", "alert");
    line(panel, "p", "title", "Build failed");
    if (error.where) line(panel, "p", "where", error.where);
    line(panel, "p", "message", error.message);
    if (error.hint) line(panel, "p", "hint", "hint: " + error.hint);
    line(panel, "p", "note", "Still showing the last good build. Save the fixed file and this page updates.");
    root.appendChild(panel);
    document.documentElement.appendChild(host);
  }

  function hideError() {
    if (host !== null) {
      host.remove();
      host = null;
    }
  }

  var source = new EventSource(script.dataset.events + "?since=" + build + "&session=" + session);
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    window.locgenLive = state; // the latest state, for tests and the curious
    if (state.error) {
      showError(state.error);
      return;
    }
    hideError();
    if (state.build !== build && affected(state)) {
      source.close();
      location.reload();
    }
  };
})();
