// Plot helpers shared by the chart widgets (prepended to charts.js and compare.js by canvas.py):
// float32 decoding, axes, keys and line/stacked-area panels on plain canvases.

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

function lines(ctx, title, steps, columns, colours, names, stacked, dashes = []) {
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
      ctx.setLineDash(dashes[i] || []);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  });
  keys(ctx, colours.map((c, i) => [c, names[i]]));
}

