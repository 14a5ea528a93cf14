/* htmx only once the reader starts using what it enhances, on pages that are mostly read (the plan, the dashboard):
 * their forms and links with hx-get / hx-post work without htmx (a full page load), and htmx (15 KB) only makes them
 * smoother, so a reader who prints the plan or reads the dashboard does not download it.
 * - The first focus, touch or pointer on such an element (or inside one) starts the download; htmx, once there,
 *   processes the page as if it had been loaded with it.
 * - A submit, a change or a link click on such an element while htmx is on its way is held (the last one per
 *   element) and handed to htmx when it arrives; if the download fails, a held submit or click is done the plain way
 *   (the form is submitted, the link followed), as without JavaScript.
 * - htmx 2.0 sets itself up only when it arrives before DOMContentLoaded or once the document is complete: it is
 *   added after the window's load event. */
(function () {
  "use strict";

  var tag = document.currentScript;
  var SELECTOR = "[hx-get], [hx-post]";
  var state = "idle"; // idle, waiting (for the load event), loading, ready, failed
  var held = []; // [element, event type], the last event per element

  function enhanced(target) {
    return target && target.closest ? target.closest(SELECTOR) : null;
  }

  function handOver() {
    state = "ready";
    held.splice(0).forEach(function (item) { window.htmx.trigger(item[0], item[1]); });
  }

  function plainWay() {
    state = "failed";
    held.splice(0).forEach(function (item) {
      if (item[1] === "submit") { item[0].submit(); }
      if (item[1] === "click") { window.location.assign(item[0].href); }
    });
  }

  function inject() {
    state = "loading";
    var script = document.createElement("script");
    script.src = tag.getAttribute("data-htmx");
    script.onload = function () { if (window.htmx) { handOver(); } else { plainWay(); } };
    script.onerror = plainWay;
    document.head.appendChild(script);
  }

  function start(event) {
    if (state !== "idle" || !enhanced(event.target)) { return; }
    if (document.readyState === "complete") {
      inject();
    } else {
      state = "waiting";
      window.addEventListener("load", inject);
    }
  }

  function hold(event) {
    if (state === "ready" || state === "failed") { return; }
    var element = enhanced(event.target);
    if (!element) { return; }
    if (event.type === "click") {
      // Only a plain click on a link (a click on a button ends in a submit; ctrl-click opens a new tab).
      if (element.tagName !== "A" || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
    } else if (event.type === "submit") {
      event.preventDefault();
    }
    start(event);
    held = held.filter(function (item) { return item[0] !== element; });
    held.push([element, event.type]);
  }

  ["focusin", "mouseover", "pointerdown", "touchstart"].forEach(function (type) {
    document.addEventListener(type, start, { capture: true, passive: true });
  });
  ["submit", "click", "change"].forEach(function (type) {
    document.addEventListener(type, hold, true);
  });
})();
