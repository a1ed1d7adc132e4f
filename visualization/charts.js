// trustcascade live charts (anywidget front end; canvas.py is the Python side).
// `series`: float32 [rows, columns, steps..., column 1..., ...] (live.py LiveRun.series);
// `histogram`: float32 [low, high, threshold, clean score, counts..., grade of each bin...].
// Drawn on plain canvases: no plotting library, nothing fetched, cheap at any refresh rate.

const WIDTH = 330, HEIGHT = 220, BOX = { left: 46, right: 10, top: 34, bottom: 30 };

function floats(value) {
  if (!value) return new Float32Array(0);
  const bytes = ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    : new Uint8Array(value);
  return new Float32Array(bytes.slice().buffer);
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function label(value) {
  if (value === 0) return "0";
  if (Math.abs(value) >= 1000) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(0);
  if (Math.abs(value) >= 1) return value.toFixed(1);
  return value.toPrecision(2);
}

function frame(ctx, title, xMin, xMax, yMax, xTitle) {
  const w = WIDTH - BOX.left - BOX.right, h = HEIGHT - BOX.top - BOX.bottom;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  ctx.fillStyle = "#222";
  ctx.font = "bold 11px sans-serif";
  ctx.fillText(title, 6, 14);
  ctx.font = "11px sans-serif";
  ctx.strokeStyle = "#ddd";
  ctx.lineWidth = 1;
  for (const f of [0, 0.5, 1]) {
    const y = BOX.top + h * (1 - f) + 0.5;
    ctx.beginPath(); ctx.moveTo(BOX.left, y); ctx.lineTo(BOX.left + w, y); ctx.stroke();
    ctx.textAlign = "right";
    ctx.fillText(label(yMax * f), BOX.left - 4, y + 4);
  }
  ctx.textAlign = "center";
  ctx.fillText(label(xMin), BOX.left, HEIGHT - BOX.bottom + 14);
  ctx.fillText(label(xMax), BOX.left + w, HEIGHT - BOX.bottom + 14);
  ctx.fillText(xTitle, BOX.left + w / 2, HEIGHT - 4);
  ctx.textAlign = "left";
  return {
    x: (v) => BOX.left + (xMax > xMin ? (v - xMin) / (xMax - xMin) : 0) * w,
    y: (v) => BOX.top + h * (1 - v / yMax),
  };
}

function keys(ctx, entries) {
  let x = WIDTH - BOX.right;
  ctx.font = "10px sans-serif";
  for (const [colour, name] of entries.slice().reverse()) {
    x -= ctx.measureText(name).width + 16;
    ctx.fillStyle = colour;
    ctx.fillRect(x, BOX.top - 14, 9, 9);
    ctx.fillStyle = "#222";
    ctx.fillText(name, x + 12, BOX.top - 6);
  }
}

function lines(ctx, title, steps, columns, colours, names, stacked) {
  const rows = steps.length;
  const totals = new Float32Array(rows);
  let top = 0;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (const c of columns) sum = stacked ? sum + c[r] : Math.max(sum, c[r]);
    totals[r] = sum;
    top = Math.max(top, sum);
  }
  const scale = frame(ctx, title, rows ? steps[0] : 0, rows ? steps[rows - 1] : 1, niceMax(top), "step (month)");
  const base = new Float32Array(rows);
  columns.forEach((column, i) => {
    ctx.strokeStyle = colours[i];
    ctx.fillStyle = colours[i];
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (let r = 0; r < rows; r++) {
      const y = scale.y(base[r] + column[r]);
      if (r === 0) ctx.moveTo(scale.x(steps[r]), y); else ctx.lineTo(scale.x(steps[r]), y);
    }
    if (stacked && rows > 1) {
      for (let r = rows - 1; r >= 0; r--) ctx.lineTo(scale.x(steps[r]), scale.y(base[r]));
      ctx.closePath();
      ctx.globalAlpha = 0.75;
      ctx.fill();
      ctx.globalAlpha = 1;
      for (let r = 0; r < rows; r++) base[r] += column[r];
    } else {
      ctx.stroke();
    }
  });
  keys(ctx, colours.map((c, i) => [c, names[i]]));
}

function histogram(ctx, values, gradeColours) {  // bars stacked by grade
  const [low, high, threshold, clean, grades, bins] = values;
  const counts = values.subarray(6);
  const totals = new Float32Array(bins);
  for (let g = 0; g < grades; g++) for (let b = 0; b < bins; b++) totals[b] += counts[g * bins + b];
  const title = `Scores (dashed: listing threshold ${label(threshold)}, clean ${label(clean)})`;
  const scale = frame(ctx, title, low, high, niceMax(Math.max(...totals, 1)), "score (points)");
  const width = (scale.x(high) - scale.x(low)) / bins;
  const base = new Float32Array(bins);
  for (let g = 0; g < grades; g++) {
    ctx.fillStyle = gradeColours[g];
    for (let b = 0; b < bins; b++) {
      const c = counts[g * bins + b];
      if (!c) continue;
      const top = scale.y(base[b] + c), bottom = scale.y(base[b]);
      ctx.fillRect(scale.x(low) + b * width + 0.5, top, Math.max(1, width - 1), bottom - top);
      base[b] += c;
    }
  }
  ctx.strokeStyle = "#000";
  ctx.setLineDash([4, 3]);
  for (const value of [threshold, clean]) {
    const x = scale.x(value);
    ctx.beginPath(); ctx.moveTo(x, BOX.top); ctx.lineTo(x, HEIGHT - BOX.bottom); ctx.stroke();
  }
  ctx.setLineDash([]);
  keys(ctx, gradeColours.map((c, g) => [c, "ABCD"[g]]));
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "tc-charts";
  root.style.cssText = "display:flex;flex-wrap:wrap;gap:8px";
  const canvases = [0, 1, 2].map(() => {
    const canvas = document.createElement("canvas");
    canvas.width = WIDTH;
    canvas.height = HEIGHT;
    canvas.style.cssText = "border:1px solid #ddd;max-width:100%";
    root.append(canvas);
    return canvas.getContext("2d");
  });
  el.appendChild(root);
  let scheduled = false;

  function draw() {
    scheduled = false;
    const names = model.get("names"), colours = model.get("colours");
    const data = floats(model.get("series"));
    const rows = data.length ? data[0] : 0, width = data.length ? data[1] : names.length;
    const column = (i) => data.subarray(2 + i * rows, 2 + (i + 1) * rows);
    const steps = column(0), shares = [column(1), column(2)];
    const causes = Array.from({ length: width - 2 }, (_, i) => column(3 + i));
    lines(canvases[0], "Listed share and collateral share", steps, shares, colours.slice(0, 2),
      names.slice(0, 2), false);
    lines(canvases[1], "New listings by primary cause", steps, causes, colours.slice(2), names.slice(2), true);
    const hist = floats(model.get("histogram"));
    if (hist.length > 6) histogram(canvases[2], hist, model.get("grade_colours"));
    root.dataset.rows = String(rows);
  }

  function schedule() {
    if (!scheduled) { scheduled = true; requestAnimationFrame(draw); }
  }

  model.on("change:series", schedule);
  model.on("change:histogram", schedule);
  schedule();
  return () => { model.off("change:series", schedule); model.off("change:histogram", schedule); };
}

export default { render };
