// Draws each Plotly figure the server built: <div class="chart" data-figure="ID"> with
// its JSON in <script id="ID" type="application/json">. A point with a link in its
// customdata (the heatmap's teams) opens that link when clicked.
(function () {
  function draw() {
    document.querySelectorAll(".chart[data-figure]").forEach(function (element) {
      var source = document.getElementById(element.dataset.figure);
      if (!source || typeof Plotly === "undefined") return;
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(element, figure.data, figure.layout, {
        displaylogo: false,
        responsive: true,
        modeBarButtonsToRemove: ["select2d", "lasso2d"],
      }).then(function () {
        element.on("plotly_click", function (event) {
          var point = event.points && event.points[0];
          var link = point && point.customdata;
          if (typeof link === "string" && link.charAt(0) === "/") window.location.assign(link);
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
