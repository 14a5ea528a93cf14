/* Hub dashboard map: one département's communes coloured by IFN class, with a mark for each commune's diagnostic
 * status. Data come from the JSON block #dashboard-map-data (see diagnostic/dashboard/selectors.map_data); the
 * contours are decoded by static/js/map.js. Re-drawn after every htmx swap of the results. */
(function () {
  "use strict";

  var map = null;

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function render() {
    var element = document.getElementById("dashboard-map");
    var source = document.getElementById("dashboard-map-data");
    if (map) {
      map.remove();
      map = null;
    }
    if (!element || !source || !window.L || !window.inclusionMap) {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data) {
      return;
    }
    map = window.L.map(element, { scrollWheelZoom: false, attributionControl: false });
    var collection = {
      type: "FeatureCollection",
      features: data.features.map(function (feature) {
        return { type: "Feature", id: feature.id, properties: feature.properties, geometry: null };
      })
    };
    window.inclusionMap.contours(collection, data.shapes, data.precision);
    collection.features = collection.features.filter(function (feature) {
      return feature.geometry !== null;
    });

    function label(insee, name, ifn) {
      var commune = data.communes[insee] || [0, ""];
      return name + "<br>IFN : " + ifn + "<br>Diagnostic : " + escapeHtml(data.statuses[commune[1]] || "");
    }

    window.L.geoJSON(collection, {
      style: function (feature) {
        var commune = data.communes[feature.id] || [0, ""];
        return { fillColor: data.colours[commune[0]], fillOpacity: 0.85, color: "#555555", weight: 0.6 };
      },
      onEachFeature: function (feature, layer) {
        // feature.properties.n is escaped on the server (territories/maps.py).
        layer.bindTooltip(label(feature.id, feature.properties.n, feature.properties.v));
      }
    }).addTo(map);

    var names = {};
    data.features.forEach(function (feature) {
      names[feature.id] = feature.properties;
    });
    Object.keys(data.communes).forEach(function (insee) {
      var commune = data.communes[insee];
      if (!commune[1] || commune[2] === null || commune[3] === null) {
        return;
      }
      var marker = window.L.circleMarker([commune[2], commune[3]], {
        radius: 5,
        color: "#1e1e1e",
        weight: 2,
        fillColor: commune[1] === "submitted" ? "#1e1e1e" : "#ffffff",
        fillOpacity: 1
      });
      var props = names[insee];
      if (props) {
        marker.bindTooltip(label(insee, props.n, props.v));
      }
      marker.addTo(map);
    });
    if (data.bounds) {
      map.fitBounds(data.bounds);
    } else {
      map.setView([46.6, 2.5], 6);
    }
  }

  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
})();
