// trustcascade live charts (anywidget front end; canvas.py is the Python side).
// `series`: float32 [rows, columns, steps..., column 1..., ...] (live.py LiveRun.series);
// `histogram`: float32 [low, high, threshold, clean score, counts..., grade of each bin...].
// Drawn on plain canvases: no plotting library, nothing fetched, cheap at any refresh rate.

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
