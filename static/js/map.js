/* Data side of our folium maps (territories/maps.py): folium writes the Leaflet map and its layers, and this file
 * turns the compact rows it embeds into GeoJSON features, styles them, and binds tooltips and popups built from text
 * nodes (nothing from the data goes through innerHTML). Contours travel as Google encoded polylines (integer deltas
 * at 10^-precision degree) to keep pages light. Colours match static/css/territories.css (legend).
 *
 * Building a map costs time on a phone (a région: 4 000 communes to decode, draw and make interactive), so it never
 * runs in one long task: the map starts after the page's first paint (build), and each layer is filled a few features
 * at a time, in slices of at most SLICE_MS, each slice its own task (fill, later). The page stays responsive to taps
 * and scrolling meanwhile, and the features appear in order: communes first, then places of help, then the outline of
 * the commune, each drawn above the previous ones. */
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

  // Leaflet 1.9 makes every shape with a tooltip a Tab stop (~400 per map): keyboard users get the map container
  // and the table instead. On every "add": a layer-control toggle re-creates the SVG paths.
  function notInTabOrder(event) {
    var element = event.target.getElement && event.target.getElement();
    if (element) { element.setAttribute("tabindex", "-1"); }
  }

  // --- Time slices -----------------------------------------------------------------------------------------
  // A queue of jobs run in order; a job does a small piece of work and returns true while it has more to do.
  var SLICE_MS = 6;
  var jobs = [];
  var pending = false;

  function clock() {
    return window.performance && window.performance.now ? window.performance.now() : Date.now();
  }

  function runJobs() {
    pending = false;
    var started = clock();
    while (jobs.length && clock() - started < SLICE_MS) {
      if (!jobs[0]()) { jobs.shift(); }
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
  // their own properties (folium's setStyle only styles the features a layer already has).
  function fill(layer, source) {
    var index = 0;
    layer.options.style = function (feature) { return feature.properties.style; };
    later(function () {
      if (index < source.length) {
        layer.addData(source.feature(index));
        index += 1;
      }
      return index < source.length;
    });
  }

  // Runs folium's script (it creates the map and its empty layers, and calls fill) once the page has painted: the
  // page's text shows first, the map's work comes after.
  function build(script) {
    if (!window.L) { return; }
    var start = function () { later(function () { script(); }); };
    if (window.requestAnimationFrame) {
      window.requestAnimationFrame(start);
    } else {
      start();
    }
  }

  // --- Data ------------------------------------------------------------------------------------------------

  function decodeRing(text, factor) {
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
      coords.push([x / factor, y / factor]);
    }
    return coords;
  }

  function multiPolygon(polygons, factor) {
    return {
      type: "MultiPolygon",
      coordinates: polygons.map(function (rings) {
        return rings.map(function (ring) { return decodeRing(ring, factor); });
      })
    };
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  // rows: [insee, name, total text or null, class 0..5]; shapes: encoded polygons of each row, in the same order;
  // url: profile URL of "00000"; colours: by class (0 = missing); labels: names of classes 1..5.
  // A source for fill(): its features are decoded one at a time, as they are added.
  function communes(rows, shapes, precision, url, colours, labels) {
    var factor = Math.pow(10, precision);
    return {
      length: rows.length,
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
          geometry: multiPolygon(shapes[index], factor)
        };
      }
    };
  }

  function communeFeature(feature, layer) {
    var p = feature.properties;
    var value = p.total ? "Indice " + p.total + " sur 10 (" + p.label + ")" : "Indice : donnée absente";
    var tip = el("div");
    tip.appendChild(el("strong", p.name));
    tip.appendChild(el("div", value));
    layer.bindTooltip(tip, { sticky: true });
    var popup = el("div");
    popup.appendChild(el("strong", p.name));
    popup.appendChild(el("div", value));
    var link = el("a", "Voir la fiche de la commune");
    link.href = p.url;
    popup.appendChild(link);
    layer.bindPopup(popup);
    layer.on("mouseover", function () { layer.setStyle({ weight: 2.5, color: "#000000" }); });
    layer.on("mouseout", function () { layer.setStyle(p.style); });
    layer.on("add", notInTabOrder);
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
      length: rows.length,
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

  function placeFeature(feature, layer) {
    var p = feature.properties;
    var box = el("div");
    box.appendChild(el("strong", p.name));
    box.appendChild(el("div", p.kind));
    if (p.address) { box.appendChild(el("div", p.address)); }
    if (p.phone) { box.appendChild(el("div", "Tél. " + p.phone)); }
    if (p.approximate) { box.appendChild(el("div", "Position approximative (centre de la commune)", "map-note")); }
    layer.bindPopup(box);
    layer.bindTooltip(p.name);
    layer.on("add", notInTabOrder);
  }

  if (window.L) { frenchControls(window.L); }

  window.inclusionMap = {
    build: build,
    fill: fill,
    later: later,
    communes: communes,
    communeFeature: communeFeature,
    outline: outline,
    places: places,
    placeFeature: placeFeature,
    decodeRing: decodeRing
  };
})();
