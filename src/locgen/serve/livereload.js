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
    if (state.session !== session || !state.complete) return true;
    return state.changes.some(function (change) {
      var number = change[0], paths = change[1], everything = change[2];
      if (number <= build) return false;
      if (everything || path === "*") return true;
      return paths.some(function (changed) {
        return changed === path || !/\.html$/.test(changed);
      });
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

  function handle(state) {
    window.locgenLive = state; // the latest state, for tests and the curious
    if (state.error) {
      showError(state.error);
      return;
    }
    hideError();
    if (state.build !== build && affected(state)) {
      location.reload();
    }
  }

  // Browsers allow few connections per host, so only the top page listens to
  // the server; it passes each state on to its frames (the comparison view).
  var framed = false;
  try {
    framed = window.parent !== window && window.parent.location.origin === location.origin;
  } catch (error) {
    framed = false;
  }
  if (framed) {
    window.addEventListener("message", function (event) {
      if (event.origin === location.origin && event.data && event.data.locgen) {
        handle(event.data.locgen);
      }
    });
    window.parent.postMessage({ locgenHello: true }, location.origin);
    return;
  }

  var latest = null;
  function relay(target) {
    if (latest !== null) target.postMessage({ locgen: latest }, location.origin);
  }
  window.addEventListener("message", function (event) {
    if (event.origin === location.origin && event.data && event.data.locgenHello) {
      relay(event.source);
    }
  });
  var source = new EventSource(script.dataset.events + "?since=" + build);
  source.onmessage = function (event) {
    latest = JSON.parse(event.data);
    Array.prototype.forEach.call(document.querySelectorAll("iframe"), function (frame) {
      if (frame.contentWindow) relay(frame.contentWindow);
    });
    handle(latest);
  };
})();
