// Draws each Plotly figure the server built: <div class="chart" data-figure="ID"> with
// its JSON in <script id="ID" type="application/json">. A point with a link in its
// customdata (the heatmap's teams) opens that link when clicked. Charts are drawn as
// they come near the screen: a results page holds a dozen or more, and drawing those
// below the fold first would keep the ones in view waiting.
(function () {
  function draw(element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || typeof Plotly === "undefined" || element.dataset.drawn) return;
    element.dataset.drawn = "1";
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
  }
  function start() {
    var charts = document.querySelectorAll(".chart[data-figure]");
    if (!("IntersectionObserver" in window)) {
      charts.forEach(draw);
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          draw(entry.target);
        });
      },
      { rootMargin: "400px 0px" }
    );
    charts.forEach(function (element) {
      observer.observe(element);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
