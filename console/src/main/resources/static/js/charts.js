// Vigil console: charts drawn with uPlot from JSON — alerts per rule over time (/alerts/chart:
// series of {rule, counts}) and the streams' event rates (/streams/activity/rates: series of
// {label, values}, with the axis's unit and the sentence for no data). The table or numbers beside
// each chart are the same data for readers that do not see the chart.
(function () {
  "use strict";

  var COLOURS = ["#1f5fbf", "#b3261e", "#1b7a3a", "#8a5a00", "#7a2e8e", "#0b6e79", "#5b6576", "#d0661a"];

  function draw(box, chart) {
    box.textContent = "";
    if (chart.series.length === 0) {
      var none = document.createElement("p");
      none.className = "muted";
      none.textContent = chart.empty || "No alerts in the last " + chart.range + ".";
      box.appendChild(none);
      return;
    }
    var data = [chart.times];
    var series = [{}];
    chart.series.forEach(function (s, i) {
      data.push(s.values || s.counts);
      series.push({
        label: s.label || s.rule,
        stroke: COLOURS[i % COLOURS.length],
        width: 1.5,
        points: { show: false },
        paths: window.uPlot.paths.stepped({ align: 1 })
      });
    });
    var options = {
      width: Math.max(320, box.clientWidth),
      height: 220,
      series: series,
      scales: { x: { time: true } },
      // UTC, as every time on the console's pages.
      tzDate: function (ts) { return window.uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      axes: [{ label: "UTC" },
             { label: chart.unit || "alerts per " + (chart.stepSeconds / 60) + " min" }]
    };
    box.uplot = new window.uPlot(options, data, box);
  }

  function load(box) {
    fetch(box.dataset.src, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (chart) { draw(box, chart); box.dataset.drawn = "true"; })
      .catch(function (e) { box.textContent = "The chart could not be loaded (" + e.message + ")."; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.uPlot) { return; }
    document.querySelectorAll(".chart[data-src]").forEach(load);
  });

  window.addEventListener("resize", function () {
    document.querySelectorAll(".chart[data-src]").forEach(function (box) {
      if (box.uplot) { box.uplot.setSize({ width: Math.max(320, box.clientWidth), height: 220 }); }
    });
  });
})();
