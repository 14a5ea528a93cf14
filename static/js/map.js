/* Data side of our folium maps (territories/maps.py): folium writes the Leaflet map and its layers, and this file
 * turns the compact rows it embeds into GeoJSON features, styles them, and binds tooltips and popups built from text
 * nodes (nothing from the data goes through innerHTML). Contours travel as Google encoded polylines (integer deltas
 * at 10^-precision degree) to keep pages light. Colours match static/css/territories.css (legend).
 *
 * A map costs bandwidth and time on a phone (Leaflet: 38 KB; a région: 4 000 communes to decode, draw and make
 * interactive), so nothing of it delays the page's text, and none of it runs in one long task:
 * - this file is the only map script of the page (deferred); Leaflet (data-leaflet on this file's tag) and, for a
 *   large map, the map's own script file (data-script) are loaded only once the map is near the viewport
 *   (whenShown), after the first paint: a profile whose map is far down the page loads none of it until the reader
 *   scrolls; static/js/dashboard.js uses whenShown too;
 * - folium's script (inline, or the data-script file) hands its map to build(), run once Leaflet is there;
 * - each layer is filled a few features at a time (fill), in slices of at most SLICE_MS, each slice its own task
 *   (later): the page stays responsive to taps and scrolling meanwhile, and the features appear in order (communes,
 *   then places of help, then the outline of the commune, each drawn above the previous ones). */
(function () {
  "use strict";

  // French texts for Leaflet's controls, set before folium's script builds the map (zoom: as in dashboard.js).
  function frenchControls(L) {
    L.Control.Zoom.mergeOptions({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" });
    L.Control.Scale.mergeOptions({ imperial: false });
    L.Control.Attribution.mergeOptions({
      prefix: '<a href="https://leafletjs.com" title="Bibliothèque JavaScript de cartes interactives">Leaflet</a>'
    });
    var layersLayout = L.Control.Layers.prototype._initLayout;
    L.Control.Layers.include({
      _initLayout: function () {
        layersLayout.call(this);
        this._layersLink.textContent = "Couches"; // a visible label instead of layers.png (site.css)
        this._layersLink.title = "Couches de la carte";
        this._layersLink.setAttribute("aria-label", "Couches de la carte");
      }
    });
    var popupLayout = L.Popup.prototype._initLayout;
    L.Popup.include({
      _initLayout: function () {
        popupLayout.call(this);
        if (this._closeButton) { this._closeButton.setAttribute("aria-label", "Fermer"); }
      }
    });
  }

  // No shape is a Tab stop (Chromium makes an SVG shape focusable when it has focus listeners, as Leaflet 1.9 adds
  // for a tooltip bound to the shape itself): keyboard users get the map container and the table instead. On every
  // "layeradd" of the map: a layer-control toggle re-creates the SVG paths.
  function notInTabOrder(event) {
    var element = event.layer.getElement && event.layer.getElement();
    if (element) { element.setAttribute("tabindex", "-1"); }
  }

  // --- Time slices -----------------------------------------------------------------------------------------
  // A queue of jobs run in order; a job does a small piece of work and returns true while it has more to do, or
  // PAUSE when it has more to do after a long step (the slice ends there).
  // 4 ms a slice: a task stays under 50 ms on a phone four times slower than a desktop (Lighthouse's mobile profile).
  var SLICE_MS = 4;
  // Shapes go into a new SVG every 400: a frame repaints only the SVG that changed (one SVG of 4 000 paths, or a
  // canvas, cost 15-25 ms a frame while a région map filled). site.css lets pointer events through the SVGs.
  var SHAPES_PER_SVG = 400;
  var PAUSE = "pause";
  var jobs = [];
  var pending = false;

  function clock() {
    return window.performance && window.performance.now ? window.performance.now() : Date.now();
  }

  function runJobs() {
    pending = false;
    var started = clock();
    while (jobs.length && clock() - started < SLICE_MS) {
      var more = jobs[0]();
      if (!more) { jobs.shift(); }
      if (more === PAUSE) { break; }
    }
    if (jobs.length) { wake(); }
  }

  // A message to ourselves is the next task without setTimeout's 4 ms wait after a few nested calls.
  var channel = window.MessageChannel ? new window.MessageChannel() : null;
  if (channel) { channel.port1.onmessage = runJobs; }

  function wake() {
    if (!pending) {
      pending = true;
      if (channel) { channel.port2.postMessage(null); } else { window.setTimeout(runJobs, 0); }
    }
  }

  function later(job) {
    jobs.push(job);
    wake();
  }

  // Adds the features of `source` (communes(...) or places(...)) to a folium GeoJson layer, one per step; styled by
  // their own properties (folium's setStyle only styles the features a layer already has). Tooltips, popups and
  // hovering are bound once to the whole layer (source.prepare), their contents built when they open. A feature
  // keeps its properties, not its geometry: the shape has its own copy (fewer objects for the garbage collector).
  function fill(layer, source) {
    var index = 0;
    var count = -1;
    layer.options.style = function (feature) { return feature.properties.style; };
    source.prepare(layer);
    later(function () {
      if (count < 0) {
        count = source.size(); // may build the source's data: a step of its own
        return PAUSE;
      }
      if (source.load && source.load(index)) { // the next part of the data, likewise
        return PAUSE;
      }
      if (index < count) {
        if (index % SHAPES_PER_SVG === 0) { layer.options.renderer = window.L.svg(); }
        var feature = source.feature(index);
        layer.addData(feature);
        feature.geometry = null;
        index += 1;
      }
      return index < count;
    });
  }

  // --- Loading -----------------------------------------------------------------------------------------------
  var tag = document.currentScript;
  var scripts = []; // folium's scripts waiting for Leaflet
  var ready = false;

  // Runs folium's script (it creates the map and its empty layers, and calls fill) once Leaflet is loaded.
  function build(script) {
    scripts.push(script);
    if (ready) { flush(); }
  }

  function flush() {
    scripts.splice(0).forEach(function (script) {
      later(function () { script(); });
    });
  }

  function load(url, then) {
    var element = document.createElement("script");
    element.src = url;
    element.onload = then;
    document.head.appendChild(element);
  }

  // Leaflet (the URL in data-leaflet on this file's tag), loaded once; `then` runs when it is there.
  var leafletWaiting = null;

  function withLeaflet(then) {
    if (window.L) {
      then();
    } else if (leafletWaiting) {
      leafletWaiting.push(then);
    } else {
      leafletWaiting = [then];
      load(tag.getAttribute("data-leaflet"), function () {
        frenchControls(window.L);
        window.L.Map.addInitHook(function () { this.on("layeradd", notInTabOrder); });
        leafletWaiting.splice(0).forEach(function (waiting) { waiting(); });
      });
    }
  }

  // Runs `then` once `element` is near the viewport and Leaflet is loaded (the dashboard's map, every folium map).
  function whenShown(element, then) {
    whenNear(element, function () { withLeaflet(then); });
  }

  function start() {
    var file = tag.getAttribute("data-script");
    if (file) {
      load(file, function () {}); // it calls build()
    }
    ready = true;
    flush();
  }

  // Calls `then` once, when `element` comes within a screen's height of the viewport (above or below: a jump to
  // the end of the page may pass it): an IntersectionObserver's first answer comes after the page's first layout,
  // so even a map at the top of the page starts after it.
  function whenNear(element, then) {
    if (!window.IntersectionObserver) {
      window.setTimeout(then, 0);
      return;
    }
    var observer = new window.IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        then();
      }
    }, { rootMargin: "100% 0px" });
    observer.observe(element);
  }

  // --- Data ------------------------------------------------------------------------------------------------

  // [lon, lat] pairs, or what point(lon, lat) makes of each.
  function decodeRing(text, factor, point) {
    var coords = [];
    var index = 0;
    var x = 0;
    var y = 0;
    function next() {
      var result = 0;
      var shift = 0;
      var byte;
      do {
        byte = text.charCodeAt(index++) - 63;
        result |= (byte & 0x1f) << shift;
        shift += 5;
      } while (byte >= 0x20);
      return result & 1 ? ~(result >> 1) : result >> 1;
    }
    while (index < text.length) {
      x += next();
      y += next();
      coords.push(point ? point(x / factor, y / factor) : [x / factor, y / factor]);
    }
    return coords;
  }

  function multiPolygon(polygons, factor, point) {
    return {
      type: "MultiPolygon",
      coordinates: polygons.map(function (rings) {
        return rings.map(function (ring) { return decodeRing(ring, factor, point); });
      })
    };
  }

  // Communes' contours are decoded straight into Leaflet's LatLng (the layer's coordsToLatLng keeps them as they are).
  function latLng(lon, lat) { return new window.L.LatLng(lat, lon); }
  function sameLatLng(latlng) { return latlng; }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  // rows: [insee, name, total text or null, class 0..5]; shapes: encoded polygons of each row, in the same order;
  // url: profile URL of "00000"; colours: by class (0 = missing); labels: names of classes 1..5.
  // A source for fill(): its features are decoded one at a time, as they are added. The rows come as a function
  // returning them, the shapes as functions returning 500 at a time: folium's script, which creates the map, does not
  // build the data too, and each part is built in a step of its own (4 000 communes on a région map: one task of
  // 30 ms on a desktop otherwise).
  function communes(rows, shapeParts, precision, url, colours, labels) {
    var factor = Math.pow(10, precision);
    var shapes = [];
    var parts = 0;
    return {
      size: function () {
        if (typeof rows === "function") { rows = rows(); }
        return rows.length;
      },
      load: function (index) {
        if (index < shapes.length || parts === shapeParts.length) { return false; }
        Array.prototype.push.apply(shapes, shapeParts[parts]());
        parts += 1;
        return true;
      },
      prepare: prepareCommunes,
      feature: function (index) {
        var row = rows[index];
        return {
          type: "Feature",
          id: row[0],
          properties: {
            name: row[1],
            total: row[2],
            label: row[3] ? labels[row[3] - 1] : "donnée absente",
            url: url.replace("00000", row[0]),
            style: { fillColor: colours[row[3]], fillOpacity: 0.85, color: "#555555", weight: 0.6 }
          },
          geometry: multiPolygon(shapes[index], factor, latLng)
        };
      }
    };
  }

  function communeBox(p, withLink) {
    var box = el("div");
    box.appendChild(el("strong", p.name));
    box.appendChild(el("div", p.total ? "Indice " + p.total + " sur 10 (" + p.label + ")" : "Indice : donnée absente"));
    if (withLink) {
      var link = el("a", "Voir la fiche de la commune");
      link.href = p.url;
      box.appendChild(link);
    }
    return box;
  }

  var HOVER = { weight: 2.5, color: "#000000" };

  function prepareCommunes(layer) {
    layer.options.coordsToLatLng = sameLatLng;
    layer.bindTooltip(function (shape) { return communeBox(shape.feature.properties, false); }, { sticky: true });
    layer.bindPopup(function (shape) { return communeBox(shape.feature.properties, true); });
    layer.on("mouseover", function (event) { event.layer.setStyle(HOVER); });
    layer.on("mouseout", function (event) { event.layer.setStyle(event.layer.feature.properties.style); });
  }

  function outline(shapes, precision) {
    var factor = Math.pow(10, precision);
    return {
      type: "FeatureCollection",
      features: Object.keys(shapes).map(function (insee) {
        return {
          type: "Feature",
          id: insee,
          properties: { style: { fill: false, color: "#000000", weight: 4 } },
          geometry: multiPolygon(shapes[insee], factor)
        };
      })
    };
  }

  // rows: [lon, lat, name, address, phone, approximate]; a source for fill(), like communes().
  function places(rows, kindLabel, colour) {
    return {
      size: function () { return rows.length; },
      prepare: bindPlaces,
      feature: function (index) {
        var row = rows[index];
        return {
          type: "Feature",
          id: index,
          properties: {
            kind: kindLabel, name: row[2], address: row[3], phone: row[4], approximate: row[5] === 1,
            style: { color: "#ffffff", weight: 1.5, fillColor: colour, fillOpacity: 1, radius: 6 }
          },
          geometry: { type: "Point", coordinates: [row[0], row[1]] }
        };
      }
    };
  }

  function placeBox(p) {
    var box = el("div");
    box.appendChild(el("strong", p.name));
    box.appendChild(el("div", p.kind));
    if (p.address) { box.appendChild(el("div", p.address)); }
    if (p.phone) { box.appendChild(el("div", "Tél. " + p.phone)); }
    if (p.approximate) { box.appendChild(el("div", "Position approximative (centre de la commune)", "map-note")); }
    return box;
  }

  function bindPlaces(layer) {
    layer.bindPopup(function (marker) { return placeBox(marker.feature.properties); });
    layer.bindTooltip(function (marker) { return el("span", marker.feature.properties.name); });
  }

  window.inclusionMap = {
    build: build,
    fill: fill,
    later: later,
    whenShown: whenShown,
    communes: communes,
    outline: outline,
    places: places,
    decodeRing: decodeRing
  };

  // A folium map (public maps, profiles, plans): started when shown. The dashboard calls whenShown itself.
  var mapElement = document.querySelector(".folium-map");
  if (mapElement) {
    whenShown(mapElement, start);
  }
})();
