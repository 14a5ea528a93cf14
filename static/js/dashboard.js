/* Hub dashboard map: one département's communes coloured by IFN class, with a mark for each commune's diagnostic
 * status. Data come from the JSON block #dashboard-map-data (diagnostic/dashboard/selectors.map_data): rows
 * [insee, name, IFN text, class 0..5, status, lat, lon] and the encoded contours of territories/maps.py
 * (Google encoded polylines, integer deltas at 10^-precision degree). Re-drawn after every htmx swap. */
(function () {
  "use strict";

  var map = null;

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
    if (map) {
      map.remove();
      map = null;
    }
    if (!element || !source || !window.L) {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data) {
      return;
    }
    var L = window.L;
    var factor = Math.pow(10, data.precision);
    map = L.map(element, { scrollWheelZoom: false, attributionControl: false, zoomSnap: 0.25 });
    map.on("layeradd", notInTabOrder);
    // The view must exist before vector layers are added (Leaflet's renderer reads the pixel bounds).
    if (data.bounds) {
      map.fitBounds(data.bounds);
    } else {
      map.setView([46.6, 2.5], 6);
    }
    var features = data.communes.filter(function (row) {
      return data.shapes[row[0]];
    }).map(function (row) {
      return {
        type: "Feature",
        properties: { row: row },
        geometry: {
          type: "MultiPolygon",
          coordinates: data.shapes[row[0]].map(function (rings) {
            return rings.map(function (ring) { return decodeRing(ring, factor); });
          })
        }
      };
    });
    L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function (feature) {
        var row = feature.properties.row;
        // Communes outside the table's filters stay visible but faded.
        return { fillColor: data.colours[row[3]], fillOpacity: row[7] ? 0.85 : 0.2, color: "#555555", weight: 0.6 };
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(tooltip(feature.properties.row, data.statuses));
      }
    }).addTo(map);
    data.communes.forEach(function (row) {
      if (!row[4] || !row[7] || row[5] === null || row[6] === null) {
        return;
      }
      L.circleMarker([row[5], row[6]], {
        radius: 5,
        color: "#1e1e1e",
        weight: 2,
        fillColor: row[4] === "submitted" ? "#1e1e1e" : "#ffffff",
        fillOpacity: 1
      }).bindTooltip(tooltip(row, data.statuses)).addTo(map);
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

  if (window.L) {
    frenchControls(window.L);
  }
  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
})();
