/* Rebuilds the commune contours of our folium maps (see territories/maps.py) before Leaflet reads them.
 * Contours travel as Google encoded polylines (integer deltas at 10^-precision degree) to keep pages light. */
(function () {
  "use strict";

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

  function contours(collection, shapes, precision) {
    var factor = Math.pow(10, precision);
    collection.features.forEach(function (feature) {
      var polygons = shapes[feature.id];
      if (!polygons) {
        return;
      }
      feature.geometry = {
        type: "MultiPolygon",
        coordinates: polygons.map(function (rings) {
          return rings.map(function (ring) {
            return decodeRing(ring, factor);
          });
        })
      };
    });
    return collection;
  }

  window.inclusionMap = { contours: contours, decodeRing: decodeRing };
})();
