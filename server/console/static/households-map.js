// The households of /map/data, clustered, coloured by class or by the round's state, over
// the hamlet boundaries; no tiles.
(function () {
  var box = document.getElementById("households-map");
  if (!box || !window.L) { return; }
  var labels = JSON.parse(box.dataset.labels);
  var colours = { poor: "#b00020", near_poor: "#e67e00", average: "#1e6b30", not_poor: "#6c7a89",
                  undetermined: "#444444" };
  var map = L.map(box, { attributionControl: false, maxZoom: 19 });
  var clusters = L.markerClusterGroup({ chunkedLoading: true });
  var data = null;
  function colour(properties, by) {
    if (by === "state") { return properties.state ? "#0b5394" : "#c9d1d9"; }
    return colours[properties["class"]] || "#c9d1d9";
  }
  function draw() {
    var by = document.getElementById("colour-by").value;
    clusters.clearLayers();
    L.geoJSON(data.households, {
      pointToLayer: function (feature, latlng) {
        var p = feature.properties;
        return L.circleMarker(latlng, { radius: 5, weight: 1, color: "#ffffff",
                                        fillColor: colour(p, by), fillOpacity: 0.9 })
          .bindPopup(p.code + " · " + p.head + "<br>" + p.hamlet + "<br>" +
                     (labels.classes[p["class"]] || "—") +
                     (p.state ? "<br>" + labels.states[p.state] : ""));
      }
    }).eachLayer(function (layer) { clusters.addLayer(layer); });
  }
  fetch("/map/data", { credentials: "same-origin" }).then(function (r) { return r.json(); })
    .then(function (body) {
      data = body;
      var hamlets = L.geoJSON(body.hamlets, { style: { color: "#0b5394", weight: 2, fillOpacity: 0.03 } })
        .bindTooltip(function (layer) { return layer.feature.properties.name; }).addTo(map);
      map.fitBounds(hamlets.getBounds());
      clusters.addTo(map);
      draw();
    });
  document.getElementById("colour-by").addEventListener("change", function () { if (data) { draw(); } });
})();
