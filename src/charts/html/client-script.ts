/**
 * The report page's own script: draws each chart of the JSON payload with uPlot (inlined before it), adds phase
 * toggles, phase bands and limit lines, keeps a comparison's difference plot zoomed with its overlay and resizes
 * with the window. Plain ES2017 in a string: it runs in the browser, never in Node, and is checked by the Chromium
 * test (test/integration/html-report.test.ts) rather than by tsc.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var payload = JSON.parse(document.getElementById('memscope-data').textContent);
  var UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

  function fmtBytes(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) return '\u2013';
    var sign = v < 0 ? '-' : '';
    var a = Math.abs(v);
    var u = 0;
    while (a >= 1024 && u < UNITS.length - 1) { a /= 1024; u++; }
    return sign + (u === 0 ? a.toFixed(0) : a.toFixed(digits === undefined ? 2 : digits)) + ' ' + UNITS[u];
  }
  function pad2(n) { return (n < 10 ? '0' : '') + n; }
  function fmtElapsed(s, span) {
    if (s === null || s === undefined || !isFinite(s)) return '\u2013';
    if (span < 120) return (Math.round(s * 1000) / 1000) + ' s';
    var t = Math.round(s);
    if (span < 3 * 3600) return Math.floor(t / 60) + ':' + pad2(t % 60);
    return Math.floor(t / 3600) + ':' + pad2(Math.floor(t / 60) % 60) + ':' + pad2(t % 60);
  }
  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  // Byte axes on binary units with round steps (25 MiB, 0.5 GiB), like the PNG/SVG charts.
  function niceStep(rough) {
    var base = Math.pow(10, Math.floor(Math.log(rough) / Math.LN10));
    var m = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < m.length; i++) if (m[i] * base >= rough * (1 - 1e-9)) return m[i] * base;
    return 10 * base;
  }
  function unitOf(min, max) {
    var mag = Math.max(Math.abs(min), Math.abs(max)) || 1;
    return Math.min(4, Math.max(0, Math.floor(Math.log(mag) / Math.log(1024))));
  }
  function byteStep(min, max, count) {
    var unit = Math.pow(1024, unitOf(min, max));
    var step = niceStep(Math.max(max - min, 1) / unit / Math.max(1, count)) * unit;
    return Math.max(1, step);
  }
  function byteRange(min, max, count) {
    var lo = Math.min(0, min);
    var hi = Math.max(0, max);
    if (hi === lo) hi = lo + 1024;
    var step = byteStep(lo, hi, count);
    return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
  }
  function byteSplits(u, axis, min, max) {
    var step = byteStep(min, max, Math.max(2, Math.floor(u.bbox.height / (window.devicePixelRatio || 1) / 45)));
    var out = [];
    for (var i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) out.push(i * step);
    return out;
  }
  function byteLabels(u, splits) {
    var k = 0;
    splits.forEach(function (v) { k = Math.max(k, unitOf(v, 0)); });
    var unit = Math.pow(1024, k);
    return splits.map(function (v) { return v === 0 ? '0' : String(Number((v / unit).toFixed(2))) + ' ' + UNITS[k]; });
  }
  function seriesMax(data) {
    var max = 0;
    for (var i = 1; i < data.length; i++) for (var j = 0; j < data[i].length; j++) if (data[i][j] > max) max = data[i][j];
    return max;
  }

  function render(chart) {
    var figure = document.getElementById('chart-' + chart.id);
    if (!figure) return;
    var plotEl = figure.querySelector('.plot');
    var span = chart.x.length > 0 ? chart.x[chart.x.length - 1] - chart.x[0] : 0;
    var data = [chart.x].concat(chart.series.map(function (s) { return s.values; }));
    var dataMax = seriesMax(data);
    var limits = chart.limits.filter(function (l) { return l.value <= Math.max(dataMax, 1) * 1.5; });
    var minDepth = Infinity;
    var shown = {};
    chart.phases.forEach(function (p) { minDepth = Math.min(minDepth, p.depth); shown[p.name] = true; });
    var dpr = window.devicePixelRatio || 1;
    var laneH = 14 * dpr;

    function drawPhases(u) {
      var ctx = u.ctx;
      var b = u.bbox;
      ctx.save();
      ctx.beginPath();
      ctx.rect(b.left, b.top, b.width, b.height);
      ctx.clip();
      ctx.font = (10 * dpr) + 'px system-ui, sans-serif';
      chart.phases.forEach(function (p) {
        if (!shown[p.name]) return;
        var x0 = u.valToPos(p.start, 'x', true);
        var x1 = u.valToPos(p.end, 'x', true);
        if (x1 < b.left || x0 > b.left + b.width) return;
        var w = Math.max(1, x1 - x0);
        var lane = p.depth - minDepth;
        if (lane === 0) {
          ctx.fillStyle = alpha(p.color, 0.1);
          ctx.fillRect(x0, b.top, w, b.height);
        }
        var y = p.run === 0 ? b.top + lane * laneH : b.top + b.height - (lane + 1) * laneH;
        ctx.fillStyle = alpha(p.color, 0.5);
        ctx.fillRect(x0, y, w, laneH - dpr);
        if (ctx.measureText(p.name).width + 6 * dpr < w) {
          ctx.fillStyle = '#1f2937';
          ctx.fillText(p.name, Math.max(x0, b.left) + 3 * dpr, y + laneH - 4 * dpr);
        }
      });
      ctx.restore();
    }

    function drawLimits(u) {
      var ctx = u.ctx;
      var b = u.bbox;
      ctx.save();
      ctx.font = (11 * dpr) + 'px system-ui, sans-serif';
      ctx.textAlign = 'right';
      limits.forEach(function (l) {
        var y = u.valToPos(l.value, 'y', true);
        if (y < b.top || y > b.top + b.height) return;
        ctx.strokeStyle = l.color;
        ctx.fillStyle = l.color;
        ctx.lineWidth = 1.5 * dpr;
        ctx.setLineDash([6 * dpr, 4 * dpr]);
        ctx.beginPath();
        ctx.moveTo(b.left, y);
        ctx.lineTo(b.left + b.width, y);
        ctx.stroke();
        ctx.fillText(l.label + ' ' + fmtBytes(l.value), b.left + b.width - 4 * dpr, y - 4 * dpr);
      });
      ctx.restore();
    }

    function width() { return Math.max(320, plotEl.clientWidth || figure.clientWidth || 900); }

    var opts = {
      width: width(),
      height: 380,
      cursor: { drag: { x: true, y: false }, sync: { key: 'memscope-' + chart.id } },
      scales: {
        x: { time: false },
        y: {
          range: function (u, min, max) {
            var hi = max;
            limits.forEach(function (l) { hi = Math.max(hi, l.value); });
            // Headroom for the phase lanes drawn along the top of the plot.
            return byteRange(min, hi * 1.12, 8);
          },
        },
      },
      axes: [
        { label: 'Elapsed time', values: function (u, splits) { return splits.map(function (v) { return fmtElapsed(v, span); }); } },
        { size: 84, splits: byteSplits, values: byteLabels },
      ],
      series: [{ label: 'Elapsed', value: function (u, v) { return fmtElapsed(v, span); } }].concat(chart.series.map(function (s) {
        return {
          label: s.label,
          stroke: s.color,
          width: 1.5,
          dash: s.dash ? [6, 4] : undefined,
          show: s.show,
          spanGaps: false,
          gaps: breakGaps,
          value: function (u, v) { return fmtBytes(v); },
        };
      })),
      hooks: { drawClear: [drawPhases], draw: [drawLimits], setScale: [syncX] },
    };
    // Lines break between the parts of a run (a row of nulls the payload lists in chart.breaks) and span a missing
    // reading; in a comparison every null is such a break (chart.breaks is null).
    function breakGaps(u, sidx, idx0, idx1, nullGaps) {
      if (!chart.breaks) return nullGaps;
      var at = chart.breaks.map(function (x) { return u.valToPos(x, 'x', true); });
      return nullGaps.filter(function (g) { return at.some(function (p) { return p >= g[0] - 1 && p <= g[1] + 1; }); });
    }
    // Zooming the overlay zooms the difference plot with it, and the other way round.
    var plots = [];
    var syncing = false;
    function syncX(u, key) {
      if (key !== 'x' || syncing) return;
      syncing = true;
      plots.forEach(function (p) { if (p !== u) p.setScale('x', { min: u.scales.x.min, max: u.scales.x.max }); });
      syncing = false;
    }
    plots.push(new uPlot(opts, data, plotEl));

    if (chart.diff) {
      var diffEl = figure.querySelector('.diff-plot');
      var diffOpts = {
        width: width(),
        height: 170,
        cursor: { drag: { x: true, y: false }, sync: { key: 'memscope-' + chart.id } },
        scales: {
          x: { time: false },
          y: { range: function (u, min, max) { return byteRange(min, max, 4); } },
        },
        axes: [
          { values: function (u, splits) { return splits.map(function (v) { return fmtElapsed(v, span); }); } },
          { size: 84, splits: byteSplits, values: byteLabels },
        ],
        series: [{ label: 'Elapsed', value: function (u, v) { return fmtElapsed(v, span); } }, {
          label: chart.diff.label,
          stroke: '#374151',
          width: 1,
          spanGaps: false,
          fillTo: 0,
          fill: function (u) {
            var b = u.bbox;
            // uPlot asks for the fill before the first layout too, when the box is not measured yet.
            if (!b || !isFinite(b.top) || !(b.height > 0)) return 'rgba(107,114,128,0.25)';
            var zero = Math.min(1, Math.max(0, (u.valToPos(0, 'y', true) - b.top) / b.height));
            var g = u.ctx.createLinearGradient(0, b.top, 0, b.top + b.height);
            g.addColorStop(0, 'rgba(220,38,38,0.35)');
            g.addColorStop(zero, 'rgba(220,38,38,0.35)');
            g.addColorStop(zero, 'rgba(22,163,74,0.35)');
            g.addColorStop(1, 'rgba(22,163,74,0.35)');
            return g;
          },
          value: function (u, v) { return v === null || v === undefined ? '\u2013' : (v > 0 ? '+' : '') + fmtBytes(v); },
        }],
      };
      diffOpts.hooks = { setScale: [syncX] };
      plots.push(new uPlot(diffOpts, [chart.x, chart.diff.values], diffEl));
    }

    var names = Object.keys(shown);
    var toggles = figure.querySelector('.phase-toggles');
    if (names.length > 0) {
      var colorOf = {};
      chart.phases.forEach(function (p) { colorOf[p.name] = p.color; });
      var addToggle = function (text, color, onChange) {
        var label = document.createElement('label');
        var box = document.createElement('input');
        box.type = 'checkbox';
        box.checked = true;
        box.addEventListener('change', function () { onChange(box.checked); });
        label.appendChild(box);
        if (color) {
          var sw = document.createElement('span');
          sw.className = 'swatch';
          sw.style.background = alpha(color, 0.6);
          label.appendChild(sw);
        }
        label.appendChild(document.createTextNode(text));
        toggles.appendChild(label);
        return box;
      };
      var boxes = [];
      addToggle('all phases', null, function (on) {
        names.forEach(function (n) { shown[n] = on; });
        boxes.forEach(function (b) { b.checked = on; });
        plots.forEach(function (p) { p.redraw(false); });
      });
      names.forEach(function (n) {
        boxes.push(addToggle(n, colorOf[n], function (on) { shown[n] = on; plots.forEach(function (p) { p.redraw(false); }); }));
      });
    }

    var note = figure.querySelector('.limits');
    var off = chart.limits.filter(function (l) { return limits.indexOf(l) < 0; });
    note.textContent = off.map(function (l) { return l.label + ': ' + fmtBytes(l.value) + ' (above the chart)'; }).join(' \u00b7 ');

    window.addEventListener('resize', function () {
      plots.forEach(function (p) { p.setSize({ width: width(), height: p.height }); });
    });
    figure.memscopePlots = plots;
  }

  payload.charts.forEach(render);
  document.documentElement.setAttribute('data-memscope-ready', 'true');
})();
`;
