/* Hub dashboard map: one département's communes coloured by IFN class, with a mark for each commune's diagnostic
 * status. Data come from the JSON block #dashboard-map-data (diagnostic/dashboard/selectors.map_data): rows
 * [insee, name, IFN text, class 0..5, status, lat, lon, matches the filters 0/1] (lat and lon null for a commune
 * without a status mark) and the encoded contours of territories/maps.py
 * (Google encoded polylines, integer deltas at 10^-precision degree). Re-drawn after every htmx swap.
 * Like the public maps (static/js/map.js, loaded before this file): Leaflet is loaded when the map comes near the
 * viewport (inclusionMap.whenShown), and the communes and marks are added a few at a time (inclusionMap.later), so
 * that no long task holds the page. */
(function () {
  "use strict";

  var map = null;
  var drawing = 0; // the render in progress: a newer one (htmx swap) stops the older one's pending steps

  // French titles for Leaflet's zoom buttons, the only control of this map (same strings as static/js/map.js).
  function frenchControls(L) {
    L.Control.Zoom.mergeOptions({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" });
  }

  // Leaflet 1.9 listens to focus on every layer with a tooltip, and Chromium then puts each SVG shape in the Tab
  // order (one stop per commune). Keyboard users have the map container and the table below instead.
  function notInTabOrder(event) {
    if (event.layer instanceof window.L.Path && event.layer.getElement()) {
      event.layer.getElement().setAttribute("tabindex", "-1");
    }
  }

  // Contours are decoded by static/js/map.js (loaded before this file), shared with the public maps.
  function decodeRing(text, factor) {
    return window.inclusionMap.decodeRing(text, factor);
  }

  function tooltip(row, statuses) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = row[1];
    box.appendChild(name);
    var lines = [["IFN : ", row[2]], ["Diagnostic : ", statuses[row[4]] || ""]];
    if (!row[7]) {
      lines.push(["", "(hors des filtres du tableau)"]);
    }
    lines.forEach(function (pair) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(pair[0] + pair[1]));
    });
    return box;
  }

  function render() {
    var element = document.getElementById("dashboard-map");
    var source = document.getElementById("dashboard-map-data");
    drawing += 1;
    if (map) {
      map.remove();
      map = null;
    }
    if (!element || !source || !window.inclusionMap) {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data) {
      return;
    }
    var mine = drawing;
    window.inclusionMap.whenShown(element, function () {
      if (mine === drawing) {
        draw(element, data, mine);
      }
    });
  }

  function draw(element, data, mine) {
    var L = window.L;
    frenchControls(L);
    var factor = Math.pow(10, data.precision);
    map = L.map(element, { scrollWheelZoom: false, attributionControl: false, zoomSnap: 0.25 });
    map.on("layeradd", notInTabOrder);
    // The view must exist before vector layers are added (Leaflet's renderer reads the pixel bounds).
    if (data.bounds) {
      map.fitBounds(data.bounds);
    } else {
      map.setView([46.6, 2.5], 6);
    }
    var communes = L.geoJSON(null, {
      style: function (feature) {
        var row = feature.properties.row;
        // Communes outside the table's filters stay visible but faded.
        return { fillColor: data.colours[row[3]], fillOpacity: row[7] ? 0.85 : 0.2, color: "#555555", weight: 0.6 };
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(function () { return tooltip(feature.properties.row, data.statuses); });
      }
    }).addTo(map);
    var rows = data.communes.filter(function (row) { return data.shapes[row[0]]; });
    var marked = data.communes.filter(function (row) {
      return row[4] && row[7] && row[5] !== null && row[6] !== null;
    });
    var index = 0;
    window.inclusionMap.later(function () {
      if (mine !== drawing || index >= rows.length) {
        return false;
      }
      var row = rows[index];
      communes.addData({
        type: "Feature",
        properties: { row: row },
        geometry: {
          type: "MultiPolygon",
          coordinates: data.shapes[row[0]].map(function (rings) {
            return rings.map(function (ring) { return decodeRing(ring, factor); });
          })
        }
      });
      index += 1;
      return index < rows.length;
    });
    var mark = 0;
    window.inclusionMap.later(function () {
      if (mine !== drawing || !marked.length) {
        return false;
      }
      var row = marked[mark];
      L.circleMarker([row[5], row[6]], {
        radius: 5,
        color: "#1e1e1e",
        weight: 2,
        fillColor: row[4] === "submitted" ? "#1e1e1e" : "#ffffff",
        fillOpacity: 1
      }).bindTooltip(function () { return tooltip(row, data.statuses); }).addTo(map);
      mark += 1;
      return mark < marked.length;
    });
  }

  // Shorter shareable URLs: leave the empty filters out of the htmx requests (and so of the pushed URL).
  document.addEventListener("htmx:configRequest", function (event) {
    var parameters = event.detail.parameters;
    var keys = parameters instanceof FormData ? Array.from(parameters.keys()) : Object.keys(parameters);
    keys.forEach(function (key) {
      var value = parameters instanceof FormData ? parameters.get(key) : parameters[key];
      if (value === "") {
        if (parameters instanceof FormData) {
          parameters.delete(key);
        } else {
          delete parameters[key];
        }
      }
    });
  });

  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
})();
