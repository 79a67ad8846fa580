// The hamlet's boundary and the survey's GPS point, on a blank background (no tiles: the
// console works without internet).
(function () {
  var box = document.getElementById("map");
  if (!box || !window.L) { return; }
  var point = JSON.parse(box.dataset.point);
  var boundary = JSON.parse(box.dataset.boundary || "null");
  var map = L.map(box, { attributionControl: false });
  var marker = L.circleMarker(point, { radius: 7, color: "#b00020", fillOpacity: 0.9 }).addTo(map);
  if (boundary) {
    var shape = L.geoJSON(boundary, { style: { color: "#0b5394", weight: 2, fillOpacity: 0.05 } }).addTo(map);
    map.fitBounds(shape.getBounds().extend(marker.getLatLng()), { padding: [10, 10] });
  } else {
    map.setView(point, 16);
  }
})();
