// trustcascade compare charts (anywidget front end; canvas.py CompareCharts is the Python side).
// `series_a`, `series_b`: float32 [rows, columns, steps..., column 1..., ...] of the two
// societies (live.py LiveRun.series), same columns, same steps (they step together).
// One panel per metric, both societies on the same axes: A solid, B dashed.

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "tc-compare-charts";
  root.style.cssText = "display:flex;flex-wrap:wrap;gap:8px";
  const titles = model.get("titles");
  const canvases = titles.map(() => {
    const canvas = document.createElement("canvas");
    canvas.width = WIDTH;
    canvas.height = HEIGHT;
    canvas.style.cssText = "border:1px solid #ddd;max-width:100%";
    root.append(canvas);
    return canvas.getContext("2d");
  });
  el.appendChild(root);
  let scheduled = false;

  function columnsOf(value) {
    const data = floats(value);
    const rows = data.length ? data[0] : 0;
    return { rows, column: (i) => data.subarray(2 + i * rows, 2 + (i + 1) * rows) };
  }

  function draw() {
    scheduled = false;
    const a = columnsOf(model.get("series_a")), b = columnsOf(model.get("series_b"));
    const rows = Math.min(a.rows, b.rows);
    const labels = model.get("labels"), colours = model.get("colours");
    titles.forEach((title, i) => {
      const steps = a.column(0).subarray(0, rows);
      const pair = [a.column(i + 1).subarray(0, rows), b.column(i + 1).subarray(0, rows)];
      lines(canvases[i], title, steps, pair, colours, labels, false, [[], [6, 4]]);
    });
    root.dataset.rows = String(rows);
    root.dataset.step = rows ? String(a.column(0)[rows - 1]) : "0";
  }

  function schedule() {
    if (!scheduled) { scheduled = true; requestAnimationFrame(draw); }
  }

  model.on("change:series_a", schedule);
  model.on("change:series_b", schedule);
  schedule();
  return () => { model.off("change:series_a", schedule); model.off("change:series_b", schedule); };
}

export default { render };
